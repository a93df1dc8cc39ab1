"""The public web page of justerade minutes is stored at the justering and served from there;
an unlock and a new justering replace it; a page nobody stored is written at the first visit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from board.documents.models import RenderedDocument
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.models import Meeting, PublishedMinutes
from minutes.public.publication import published_page
from tests.conftest import justered_without_signatures, triggers_off
from tests.justering.conftest import sign


def _url(meeting: Meeting) -> str:
    return f"/protokoll/prov/{meeting.date.year}/{meeting.pk}/"


def test_the_justering_stores_the_page_without_the_confidential_text(justered, client, settings):
    page = PublishedMinutes.objects.get(meeting=justered)
    assert page.meeting_updated_at == justered.updated_at
    stored = page.head_html + page.body_html
    assert "Tilläggsäskande 2023 Samordningsteam Sala" in stored
    assert "120 tkr" in stored
    assert "39 kap. 3 § OSL" in stored
    assert "HEMLIGT-INNEHALL" not in stored and "Personalärende" not in stored
    # The visit serves what is stored: change the stored text and the page shows it.
    with triggers_off():  # the database refuses it otherwise (test_lock.py)
        PublishedMinutes.objects.filter(pk=justered.pk).update(body_html="<p>Lagrad sida</p>")
    text = client.get(_url(justered)).content.decode()
    assert "Lagrad sida" in text and "120 tkr" in page.body_html and "120 tkr" not in text.split("Lagrad sida")[1]
    # The notice and the PDF link are read at the visit, not stored.
    assert "Anslag" in text and "sista dag för överklagande" in text
    assert "Anslag" not in page.head_html + page.body_html


def test_an_unlocked_and_rejusterad_meeting_gets_a_new_page(justered, client, secretary, chair, member, settings):
    unlock = justering.unlock_propose(meeting=justered, reason="Fel belopp", actor=chair)
    justering.unlock_confirm(unlock=unlock, actor=member)
    assert client.get(_url(justered)).status_code == 404  # unlocked minutes are not public
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    minutes_services.paragraph_update(
        paragraph=paragraph, expected_version=paragraph.version, actor=secretary,
        clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 110 tkr"],
    )
    justering.minutes_send_for_justering(meeting=justered, actor=secretary)
    for user in (secretary, chair, member):
        sign(justered, user)
    text = client.get(_url(justered)).content.decode()
    assert "110 tkr" in text and "120 tkr" not in text
    assert "110 tkr" in PublishedMinutes.objects.get(meeting=justered).body_html


def test_a_page_from_an_older_state_of_the_meeting_is_never_served(justered, client, settings):
    """A stored page written for an earlier save of the meeting is rendered again."""
    with triggers_off():
        PublishedMinutes.objects.filter(pk=justered.pk).update(
            body_html="<p>Gammal sida</p>", meeting_updated_at=justered.updated_at - dt.timedelta(days=3),
        )
    text = client.get(_url(justered)).content.decode()
    assert "Gammal sida" not in text and "120 tkr" in text
    assert "Gammal sida" not in PublishedMinutes.objects.get(pk=justered.pk).body_html


def test_minutes_justerade_before_the_table_get_their_page_at_the_first_visit(justered, client, settings):
    with triggers_off():
        PublishedMinutes.objects.filter(pk=justered.pk).delete()
    with CaptureQueriesContext(connection) as first:
        assert "120 tkr" in client.get(_url(justered)).content.decode()
    assert PublishedMinutes.objects.filter(pk=justered.pk).exists()
    with CaptureQueriesContext(connection) as second:
        assert "120 tkr" in client.get(_url(justered)).content.decode()
    # Stored: one query, for the meeting with its page, its notice and its PDF.
    assert len(second.captured_queries) == 1 < len(first.captured_queries)


def test_minutes_deleted_between_their_row_and_their_page_are_404_not_an_error(justered, client, monkeypatch):
    """The row said justerade minutes without a current page; by the time the page is to be
    written, the meeting is gone: the answer is 404, never a 500."""
    from minutes.public import publication

    found = publication._MINUTES_PAGE_QUERY.rows
    gone = justered.pk + 999

    def rows(**values: object) -> list[dict[str, object]]:
        row = found(**{**values, "pk": justered.pk})[0]  # the row read before the meeting went
        return [{**row, "published__meeting_updated_at": None}]  # with no current page stored

    monkeypatch.setattr(publication._MINUTES_PAGE_QUERY, "rows", rows)
    assert client.get(f"/protokoll/prov/{justered.date.year}/{gone}/").status_code == 404
    assert client.get(_url(justered)).status_code == 200  # the same row for a meeting that is there


def test_a_failing_render_does_not_undo_the_justering(sent, secretary, chair, member, monkeypatch):
    from minutes.public import publication

    def broken(meeting):
        raise RuntimeError("mallen saknas")

    monkeypatch.setattr(publication, "render_published", broken)
    with time_machine.travel(dt.datetime(2023, 11, 6, 10, 0), tick=False):
        for user in (chair, member, secretary):
            sign(sent, user)
    sent.refresh_from_db()
    assert sent.status == Meeting.Status.SIGNED
    assert not PublishedMinutes.objects.filter(pk=sent.pk).exists()
    from board.models import AuditEvent

    assert AuditEvent.objects.filter(verb="minutes.publish_failed").exists()


def test_published_page_reuses_a_current_page_without_a_query(justered):
    meeting = Meeting.objects.select_related("published", "organ__organisation").get(pk=justered.pk)
    with CaptureQueriesContext(connection) as ctx:
        page = published_page(meeting)
    assert len(ctx.captured_queries) == 0
    assert "120 tkr" in page.body_html


@pytest.mark.parametrize("status", [s for s in Meeting.Status if s != Meeting.Status.SIGNED])
def test_the_page_exists_only_while_the_minutes_are_justerade(minutes, client, status):
    """minutes_page asks for the meeting's status: every other status is refused, even with a
    stored page left behind."""
    justered_without_signatures(minutes)
    assert client.get(_url(minutes)).status_code == 200
    with triggers_off():  # as an unlock would, without its rows
        Meeting.objects.filter(pk=minutes.pk).update(status=status)
    assert client.get(_url(minutes)).status_code == 404
    with triggers_off():
        Meeting.objects.filter(pk=minutes.pk).update(status=Meeting.Status.SIGNED)
    assert client.get(_url(minutes)).status_code == 200  # the same page, once justerat again


def test_the_page_answers_only_at_its_own_association_and_year(justered, client, other_org):
    year = justered.date.year
    assert client.get(f"/protokoll/{other_org.slug}/{year}/{justered.pk}/").status_code == 404
    assert client.get(f"/protokoll/prov/{year - 1}/{justered.pk}/").status_code == 404
    assert client.get(f"/protokoll/prov/{year + 1}/{justered.pk}/").status_code == 404
    assert client.get(f"/protokoll/prov/{year}/{justered.pk + 999}/").status_code == 404


def test_the_page_links_the_latest_issued_public_pdf_only(justered, client):
    def document(kind: str, version: int, status: str, finished: dt.datetime | None) -> RenderedDocument:
        doc = RenderedDocument(
            organisation=justered.organ.organisation, kind=kind, version=version,
            content_type=ContentType.objects.get_for_model(Meeting), object_id=justered.pk,
            status=status, finished_at=finished, size=1000 * version,
        )
        if status == RenderedDocument.Status.DONE:
            doc.file.save(f"v{version}.pdf", ContentFile(b"%PDF-1.7"), save=False)
            doc.sha256 = f"{version % 10}" * 64
        doc.save()
        return doc

    RenderedDocument.objects.filter(object_id=justered.pk, kind__startswith="minutes.").delete()
    assert "Den offentliga PDF-versionen skapas." in client.get(_url(justered)).content.decode()
    at = dt.datetime(2023, 11, 6, 12, 0, tzinfo=dt.UTC)
    older = document("minutes.public", 11, RenderedDocument.Status.DONE, at)
    newer = document("minutes.public", 12, RenderedDocument.Status.DONE, at + dt.timedelta(hours=1))
    queued = document("minutes.public", 13, RenderedDocument.Status.QUEUED, None)
    full = document("minutes.full", 14, RenderedDocument.Status.DONE, at + dt.timedelta(hours=2))
    text = client.get(_url(justered)).content.decode()
    assert newer.get_download_url() in text
    for other in (older, queued, full):
        assert other.get_download_url() not in text


def test_a_year_outside_the_calendar_is_404_not_an_error(justered, client):
    for year in (0, 99999):
        assert client.get(f"/protokoll/prov/{year}/{justered.pk}/").status_code == 404
        assert client.get(f"/protokoll/prov/{year}/").status_code == 404


# --- the stored page is locked like the minutes (migration 0009) ---------------------------


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_stored_page_of_justerade_minutes_cannot_be_changed_or_deleted_by_sql(justered, client, settings):
    for sql in [
        "UPDATE minutes_publishedminutes SET body_html = '<p>Förfalskad</p>' WHERE meeting_id = %s",
        "UPDATE minutes_publishedminutes SET head_html = '' WHERE meeting_id = %s",
        # Made to look like a page from an older state, to have it replaced by a forged one.
        "UPDATE minutes_publishedminutes SET meeting_updated_at = meeting_updated_at - interval '1 day'"
        " WHERE meeting_id = %s",
        "DELETE FROM minutes_publishedminutes WHERE meeting_id = %s",
    ]:
        with pytest.raises(IntegrityError, match="publicerade sidan"):
            _raw(sql, [justered.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedMinutes.objects.filter(pk=justered.pk).update(body_html="<p>Förfalskad</p>")
    assert "120 tkr" in client.get(_url(justered)).content.decode()
    # A missing page (minutes justerade before the table) is written for the meeting's state only.
    with triggers_off():
        PublishedMinutes.objects.filter(pk=justered.pk).delete()
    with pytest.raises(IntegrityError):
        _raw("INSERT INTO minutes_publishedminutes (meeting_id, meeting_updated_at, head_html, body_html, rendered_at)"
             " VALUES (%s, now() - interval '1 day', '', '<p>Förfalskad</p>', now())", [justered.pk])
    assert "120 tkr" in client.get(_url(justered)).content.decode()


def test_a_page_left_from_before_an_unlock_is_replaced_once_by_the_new_one(
    justered, client, secretary, chair, member, monkeypatch, settings
):
    """The path the lock leaves open: a new justering after an unlock, whose page could not be
    stored then, gets it at the first visit; from then on that page is locked."""
    from minutes.public import publication

    unlock = justering.unlock_propose(meeting=justered, reason="Fel belopp", actor=chair)
    justering.unlock_confirm(unlock=unlock, actor=member)
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    minutes_services.paragraph_update(
        paragraph=paragraph, expected_version=paragraph.version, actor=secretary,
        clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 110 tkr"],
    )
    justering.minutes_send_for_justering(meeting=justered, actor=secretary)
    real = publication.render_published

    def broken(meeting):
        raise RuntimeError("mallen saknas")

    monkeypatch.setattr(publication, "render_published", broken)
    for user in (secretary, chair, member):
        sign(justered, user)
    monkeypatch.setattr(publication, "render_published", real)
    justered.refresh_from_db()
    assert justered.status == Meeting.Status.SIGNED
    assert "120 tkr" in PublishedMinutes.objects.get(pk=justered.pk).body_html  # the page from before

    text = client.get(_url(justered)).content.decode()
    assert "110 tkr" in text and "120 tkr" not in text
    stored = PublishedMinutes.objects.get(pk=justered.pk)
    assert stored.meeting_updated_at == justered.updated_at and "110 tkr" in stored.body_html
    with pytest.raises(IntegrityError):
        _raw("UPDATE minutes_publishedminutes SET body_html = '<p>Förfalskad</p>' WHERE meeting_id = %s",
             [justered.pk])


def test_publishing_again_keeps_the_page_already_stored(justered):
    """Two first visitors at once: the second finds the first one's page and keeps it."""
    from minutes.public.publication import publish

    before = PublishedMinutes.objects.get(pk=justered.pk)
    again = publish(Meeting.objects.select_related("organ__organisation").get(pk=justered.pk))
    after = PublishedMinutes.objects.get(pk=justered.pk)
    assert again.body_html == before.body_html and after.rendered_at == before.rendered_at
