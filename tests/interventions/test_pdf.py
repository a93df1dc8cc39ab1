"""The intervention report as a sealed PDF (kind "interventions.report") through the shared
document toolkit, rendered in process and by a real Celery worker."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import document_render
from interventions.models import Indicator
from interventions.pdf import current_document, report_request, report_version
from interventions.selectors import follow_up_report
from interventions.services.follow_up import follow_up_record, indicator_define
from tests.conftest import wait_until_rendered


def _figures(intervention, actor):
    indicator_define(intervention=intervention, name="Andel med stegförflyttning", target=80,
                              source=Indicator.Source.STEPS, actor=actor)
    follow_up_record(intervention=intervention, period_start=dt.date(2024, 1, 1),
                              period_end=dt.date(2024, 4, 30), enrolled=40, new=10, closed=8, steps_work=30,
                              steps_studies=12, actor=actor)


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode().replace("\u00a0", " ")


def test_the_report_pdf_is_sealed_and_shows_targets_against_results(
    seal_certificate, settings, tmp_path, intervention, secretary
):
    settings.MEDIA_ROOT = str(tmp_path)
    _figures(intervention, secretary)
    document = report_request(intervention=intervention, actor=secretary)
    done = document_render(document.pk)
    assert done.status == RenderedDocument.Status.DONE
    content = Path(done.file.path).read_bytes()
    assert verify_pdf(content).ok
    text = _text(content)
    assert "Samordningsteam A – uppföljning mot mål" in text
    assert "84 %" in text and "80 %" in text and "Målet nått" in text


def test_new_figures_make_a_new_version(intervention, secretary):
    _figures(intervention, secretary)
    before = report_version(follow_up_report(intervention))
    assert report_version(follow_up_report(intervention)) == before
    follow_up_record(intervention=intervention, period_start=dt.date(2024, 1, 1),
                              period_end=dt.date(2024, 4, 30), enrolled=40, new=11, closed=8, actor=secretary)
    assert report_version(follow_up_report(intervention)) != before


@pytest.mark.worker
def test_the_contact_asks_for_the_pdf_and_the_worker_renders_it(
    transactional_db, celery_worker, seal_certificate, intervention, secretary, contact, outsider, login
):
    _figures(intervention, secretary)
    client = login(contact)
    response = client.post(reverse("interventions:report_pdf", args=["prov", intervention.pk]))
    assert response.status_code == 302
    document = current_document(intervention)
    document = wait_until_rendered(document.pk, timeout=60)
    path = Path(document.file.path)
    try:
        assert verify_pdf(path.read_bytes()).ok
        page = client.get(reverse("interventions:follow_up", args=["prov", intervention.pk])).content.decode()
        assert document.get_download_url() in page
        download = client.get(document.get_download_url())
        assert download.status_code == 200
        assert login(outsider).get(document.get_download_url()).status_code in (403, 404)
    finally:
        path.unlink(missing_ok=True)


def test_a_report_over_several_pages_says_on_each_what_it_is(db, seal_certificate, settings, tmp_path):
    import io

    from django.core.management import call_command

    from interventions.models import Intervention

    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_demo", stdout=io.StringIO())
    intervention = Intervention.objects.get(name="Samordningsteam Surahammar")
    done = document_render(report_request(intervention=intervention, actor=None).pk)
    pages = _text(Path(done.file.path).read_bytes()).split("\f")[:-1]
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        assert "Samordningsteam Surahammar – uppföljning mot mål" in page, i
        assert f"Sida {i} av {len(pages)}" in page
    # A heading is not printed twice over the table it names.
    lines = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert lines.count("Mål och resultat") == 1
    # "Målet nått (50 %)" is not broken between the figure and its unit.
    assert "(50 %)" in pages[0] and not any(line.endswith("(50") for line in lines)
