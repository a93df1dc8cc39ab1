"""The anslagsbevis: rendered and sealed by the real Celery worker, publicly downloadable,
with every fact the law asks for and nothing of the confidential paragraph."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import time_machine

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from minutes.notices import services as notices
from tests.conftest import wait_until_rendered
from tests.public.conftest import SECRET

pytestmark = pytest.mark.worker



def test_the_justering_issues_a_sealed_public_anslagsbevis(transactional_db, celery_worker, published, secretary, chair,
                                                          client):
    # Completed by the chair: the anslagsbevis names the meeting's secretary, as seed 004 does.
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=dt.date(2023, 11, 6), actor=chair)
    document = RenderedDocument.objects.get(kind="notice.certificate", object_id=notice.pk)
    done = wait_until_rendered(document.pk)
    path = Path(done.file.path)
    try:
        content = path.read_bytes()
        assert verify_pdf(content).ok
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        facts = {
            "Organ": str(published.meeting.organ), "Sammanträdesdatum": "2023-11-02",
            "Paragrafer": "PRV §§ 1–4", "Datum för anslags uppsättande": "2023-11-06",
            "Datum för anslags nedtagande": "2023-11-27", "Sista dag för överklagande": "2023-11-27",
            "Förvaringsplats för protokollet": "Förbundets kansli", "Ansvarig för anslag": "Sekreterare Kansli",
        }
        for label, value in facts.items():
            assert label in flat and value in flat, label
        for fact in ("Anslagsbevis", "Samordningsförbundet Prov", "laglighetsprövning hos förvaltningsrätten",
                     "inom tre veckor"):
            assert fact in flat, fact
        assert SECRET not in flat and "Hemligsakuppgift" not in flat
        import pypdf

        root = pypdf.PdfReader(str(path)).trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/Lang"] == "sv"  # tagged, language set
        # Public: the anonymous visitor downloads it from the board.
        with time_machine.travel(dt.datetime(2023, 11, 10, 12, 0), tick=False):
            page = client.get("/anslagstavla/").content.decode()
        assert done.get_download_url() in page
        response = client.get(done.get_download_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        # Moving the posting day issues a new version with the new dates.
        moved = notices.notice_set_posting_day(notice=notice, posted_on=dt.date(2023, 11, 8), actor=secretary)
        second = wait_until_rendered(RenderedDocument.objects.get(kind="notice.certificate", object_id=notice.pk,
                                                               version=moved.version).pk)
        text2 = subprocess.run(["pdftotext", second.file.path, "-"], capture_output=True, text=True, check=True).stdout
        assert "2023-11-29" in text2
        Path(second.file.path).unlink(missing_ok=True)
    finally:
        path.unlink(missing_ok=True)


@pytest.mark.django_db(transaction=False)
def test_a_delegationsbeslut_s_anslagsbevis_speaks_of_the_decision_not_of_minutes(board, secretary, client):
    """KL 8 kap. 13 §: the notice of a delegated decision names the decision, the organ and where
    it is kept; 13 kap. 5 §: the appeal runs from the day it was announced. No minutes were
    justerade, so neither the anslagsbevis nor the notice page may say so."""
    from board.documents.services import document_render

    with time_machine.travel(dt.datetime(2024, 3, 1, 12, 0), tick=False):
        notice = notices.notice_create(
            organisation=board.organisation, kind="delegationsbeslut", actor=secretary,
            title="Delegationsbeslut: avtal om ekonomitjänst förlängt", posted_on=dt.date(2024, 3, 1),
        )
        page = " ".join(client.get(f"/anslagstavla/anslag/{notice.pk}/").content.decode().split())
    document = RenderedDocument.objects.get(kind="notice.certificate", object_id=notice.pk)
    done = document_render(document.pk)
    path = Path(done.file.path)
    try:
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        assert "Beslutet har tillkännagivits genom anslag på förbundets anslagstavla." in flat
        assert "Beslut Delegationsbeslut: avtal om ekonomitjänst förlängt" in flat
        assert "Förvaringsplats för beslutet" in flat
        assert "inom tre veckor från den dag då beslutet tillkännagavs på anslagstavlan" in flat
        assert "senast 2024-03-22" in flat
        for text_about_minutes in ("protokollet", "protokollets", "Justeringen"):
            assert text_about_minutes not in flat, text_about_minutes
        assert "Förvaringsplats för beslutet" in page and "protokollets justering" not in page
    finally:
        path.unlink(missing_ok=True)
