"""Done when: after the demo minutes of seed 004 are signed through the justering, the board
shows the notice with the seed's dates and both PDFs, the minutes are in the public archive,
and a search for "tilläggsäskande" finds them."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from board.demo import loader as board_demo
from board.documents.models import RenderedDocument
from minutes.demo import loader as minutes_demo
from minutes.justering import services as justering
from minutes.models import Meeting, Notice

pytestmark = pytest.mark.worker
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEMO_PASSWORD = "samordna-demo"


def wait_done(qs, timeout: float = 120) -> list[RenderedDocument]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        docs = list(qs.all())  # a fresh query each time
        if docs and all(d.status == RenderedDocument.Status.DONE for d in docs):
            return docs
        time.sleep(0.3)
    raise AssertionError([(d.kind, d.status, d.error) for d in qs.all()])


def test_seed_004_signed_is_on_the_board_in_the_archive_and_found(transactional_db, celery_worker, client):
    board_demo.load(stdout=io.StringIO())
    minutes_demo.load(stdout=io.StringIO())
    meeting = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date=dt.date(2023, 11, 2))
    users = get_user_model().objects
    with time_machine.travel(dt.datetime(2023, 11, 6, 10, 0, tzinfo=STOCKHOLM), tick=False):
        version = justering.minutes_send_for_justering(meeting=meeting, actor=users.get(username="sekreterare"))
        for signer in version.snapshot.get("signers", []):
            person_id = signer.get("person_id") or signer.get("person")
            user = users.get(person__pk=person_id)
            justering.justering_sign(meeting=meeting, actor=user, password=DEMO_PASSWORD,
                                     request=RequestFactory().post("/", REMOTE_ADDR="10.0.0.1"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED
    notice = Notice.objects.get(meeting=meeting, kind=Notice.Kind.JUSTERING)
    assert (notice.posted_on, notice.takedown_on, notice.last_appeal_day) == (
        dt.date(2023, 11, 6), dt.date(2023, 11, 27), dt.date(2023, 11, 27))
    assert notice.paragraphs == "NVSam §§ 54–58"
    # Roger Ingvarsson, the justerare, completed the justering; seed 004 names the secretary.
    assert notice.posted_by.username == "justerare"
    assert notice.posted_by_name == "Ann Rilegård"
    docs = wait_done(RenderedDocument.objects.filter(kind__in=["minutes.public", "notice.certificate"]))
    try:
        by_kind = {d.kind: d for d in docs}
        with time_machine.travel(dt.datetime(2023, 11, 10, 12, 0, tzinfo=STOCKHOLM), tick=False):
            board = client.get("/anslagstavla/").content.decode()
            for text in (notice.title, "2023-11-06", "2023-11-27", "NVSam §§ 54–58",
                         by_kind["minutes.public"].get_download_url(), by_kind["notice.certificate"].get_download_url()):
                assert text in board, text
            archive = client.get("/protokoll/norra-vastmanland/2023/").content.decode()
            assert f"/protokoll/norra-vastmanland/2023/{meeting.pk}/" in archive
            page = client.get(f"/protokoll/norra-vastmanland/2023/{meeting.pk}/").content.decode()
            assert "Tilläggsäskande 2023 Samordningsteam Sala" in page
            found = client.get("/sok/", {"q": "tilläggsäskande"}).content.decode()
            assert f"/protokoll/norra-vastmanland/2023/{meeting.pk}/#p" in found
            assert "<mark>" in found
    finally:
        for d in RenderedDocument.objects.exclude(file=""):
            Path(d.file.path).unlink(missing_ok=True)
