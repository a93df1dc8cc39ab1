"""The delårsrapport as a sealed PDF through the shared document toolkit and a real Celery worker."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from board.documents import RenderedDocument, document_render
from board.pdf import verify_pdf
from finance import demo, services
from finance.models import Budget, BudgetLine
from finance.pdf import current_document, report_request, report_version
from finance.reports import build_report
from tests.conftest import wait_until_rendered


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode().replace("\u00a0", " ")


@pytest.mark.django_db
def test_the_pdf_is_sealed_and_shows_seed_003s_summa(seal_certificate, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo.load(stdout=io.StringIO())
    budget = Budget.objects.get(organisation__slug="vastmanland", year=2024)
    document = report_request(budget=budget, actor=None)
    done = document_render(document.pk)
    assert done.status == RenderedDocument.Status.DONE
    content = Path(done.file.path).read_bytes()
    assert verify_pdf(content).ok
    text = _text(content)
    assert "Samordningsteamet FNS" in text or "Samordningsteamet" in text
    assert "-1 945 000" in text and "2 355 335" in text and "-1 703 329" in text and "241 671" in text


@pytest.mark.django_db
def test_a_changed_forecast_is_a_new_pdf_version_and_an_unchanged_table_the_same(budget, director):
    before = report_version(build_report(budget))
    assert report_version(build_report(budget)) == before
    services.forecast_update(line=BudgetLine.objects.get(budget=budget, code="mgt"), amount=Decimal(-150_000),
                             based_on=None, actor=director)
    assert report_version(build_report(budget)) != before


@pytest.mark.worker
def test_the_director_asks_for_the_pdf_and_the_worker_renders_it(
    transactional_db, celery_worker_process, seal_certificate, budget, director, login
):
    client = login(director)
    response = client.post(reverse("finance:budget_pdf", args=[budget.organisation.slug, 2024]))
    assert response.status_code == 302
    document = current_document(budget)
    document = wait_until_rendered(document.pk, timeout=60)
    path = Path(document.file.path)
    try:
        assert verify_pdf(path.read_bytes()).ok
        page = client.get(reverse("finance:budget", args=[budget.organisation.slug, 2024])).content.decode()
        assert document.get_download_url() in page
    finally:
        path.unlink(missing_ok=True)
