"""The anslag of justerade minutes: posting limit through the service and the form, dates,
and visibility at the start and end of the period, computed at the moment of the request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from minutes.models import Notice
from minutes.notices import services as notices
from tests.public.conftest import make_minutes

JUSTERED = dt.date(2023, 11, 6)  # seed 004: posted 2023-11-06, taken down 2023-11-27


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12, 0)), tick=False)


def test_the_justering_posts_the_notice_on_the_justering_day_with_the_seed_dates(published, secretary, chair):
    # Completed by the chair's signature: the notice still names the meeting's secretary.
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=chair)
    assert notice.kind == Notice.Kind.JUSTERING
    assert notice.posted_on == dt.date(2023, 11, 6)
    assert notice.last_appeal_day == dt.date(2023, 11, 27)
    assert notice.takedown_on == dt.date(2023, 11, 27)
    assert notice.paragraphs == "PRV §§ 1–4"
    assert notice.posted_by == chair
    assert notice.posted_by_name == "Sekreterare Kansli"  # the secretary, as in seed 004
    assert notice.storage_place == published.meeting.organ.organisation.storage_place
    assert notice.history.count() == 1
    # Asking again (the justering task ran twice) gives the same notice, not a second one.
    again = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    assert again.pk == notice.pk
    assert Notice.objects.filter(meeting=published.meeting).count() == 1


@pytest.mark.parametrize("days_after, refusal", [
    (0, None), (1, None), (2, None),
    (3, "senast andra dagen efter justeringen"), (-1, "kan inte sättas upp före justeringen"),
])
def test_the_posting_day_may_be_at_most_the_second_day_after_the_justering(published, secretary, days_after, refusal):
    posted = JUSTERED + dt.timedelta(days=days_after)
    if refusal is None:
        notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED,
                                              posted_on=posted, actor=secretary)
        assert notice.posted_on == posted
    else:
        with pytest.raises(ValidationError, match=refusal) as exc:
            notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED,
                                         posted_on=posted, actor=secretary)
        assert "posted_on" in exc.value.message_dict
        assert not Notice.objects.exists()


def test_a_late_posting_moves_the_last_appeal_day_off_the_weekend(published, secretary):
    # Posted Wednesday 2023-11-08: three weeks later is Wednesday 11-29.
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED,
                                          posted_on=dt.date(2023, 11, 8), actor=secretary)
    assert notice.last_appeal_day == dt.date(2023, 11, 29)
    # Justered Friday 2023-12-01, posted Saturday 12-02: three weeks later is Saturday 12-23,
    # then Sunday, then julafton, juldagen and annandag jul: the last day is Wednesday 12-27.
    other = make_minutes(organ=published.meeting.organ, actor=secretary, date=dt.date(2023, 11, 30),
                         titles=["Budget"], confidential=False)
    notice = notices.notice_for_justering(meeting=other, justered_on=dt.date(2023, 12, 1),
                                          posted_on=dt.date(2023, 12, 2), actor=secretary)
    assert notice.last_appeal_day == dt.date(2023, 12, 27)
    assert notice.takedown_on == dt.date(2023, 12, 27)


def test_no_notice_for_minutes_that_are_not_justerade(published, secretary):
    with pytest.raises(ValidationError, match="Protokollet är inte justerat"):
        notices.notice_for_justering(meeting=published.draft, justered_on=JUSTERED, actor=secretary)
    assert not Notice.objects.exists()


def test_the_secretary_moves_the_posting_day_within_the_limit(published, secretary):
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    moved = notices.notice_set_posting_day(notice=notice, posted_on=dt.date(2023, 11, 8), actor=secretary)
    assert (moved.posted_on, moved.last_appeal_day, moved.version) == (dt.date(2023, 11, 8), dt.date(2023, 11, 29), 2)
    with pytest.raises(ValidationError, match="Justeringen ska tillkännages senast andra") as exc:
        notices.notice_set_posting_day(notice=notice, posted_on=dt.date(2023, 11, 9), actor=secretary)
    assert "senast 2023-11-08" in " ".join(exc.value.message_dict["posted_on"])
    notice.refresh_from_db()
    assert notice.posted_on == dt.date(2023, 11, 8)
    assert notice.history.count() == 2


def test_the_posting_day_form_refuses_a_day_too_late_in_swedish(published, secretary, login):
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    c = login(secretary)
    r = c.post(f"/anslag/{notice.pk}/anslagsdag/", {"posted_on": "2023-11-09"})
    assert r.status_code == 422
    assert "Justeringen ska tillkännages senast andra dagen efter justeringen" in r.content.decode()
    notice.refresh_from_db()
    assert notice.posted_on == JUSTERED
    r = c.post(f"/anslag/{notice.pk}/anslagsdag/", {"posted_on": "2023-11-07"})
    assert r.status_code == 302
    notice.refresh_from_db()
    assert (notice.posted_on, notice.last_appeal_day) == (dt.date(2023, 11, 7), dt.date(2023, 11, 28))


def test_the_posting_day_form_is_closed_to_others(published, secretary, member, outsider, login, client):
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    assert client.get(f"/anslag/{notice.pk}/anslagsdag/").status_code == 302  # to the login
    for user in (outsider, member):
        r = login(user).post(f"/anslag/{notice.pk}/anslagsdag/", {"posted_on": "2023-11-07"})
        assert r.status_code == 404
    notice.refresh_from_db()
    assert notice.posted_on == JUSTERED


@pytest.mark.parametrize(
    "day, on_board, in_archive",
    [
        (dt.date(2023, 11, 5), False, False),   # the day before posting
        (dt.date(2023, 11, 6), True, False),    # the posting day
        (dt.date(2023, 11, 27), True, False),   # the last day of appeal
        (dt.date(2023, 11, 28), False, True),   # the day after: taken down
    ],
)
def test_visibility_follows_the_dates_at_the_moment_of_the_request(published, secretary, client, day, on_board, in_archive):
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    with at(day):
        board = client.get("/anslagstavla/").content.decode()
        org_board = client.get("/anslagstavla/prov/").content.decode()
        archive = client.get("/anslagstavla/arkiv/").content.decode()
        detail = client.get(f"/anslagstavla/anslag/{notice.pk}/")
        feed = client.get("/anslagstavla/atom.xml").content.decode()
    assert (notice.title in board) is on_board
    assert (notice.title in org_board) is on_board
    assert (notice.title in archive) is in_archive
    assert detail.status_code == (404 if day < notice.posted_on else 200)
    assert (notice.title in feed) is (day >= notice.posted_on)
    if in_archive:
        assert "2023-11-06" in archive and "2023-11-27" in archive
    assert Notice.objects.up_on(day).filter(pk=notice.pk).exists() is on_board


def test_kungorelse_from_the_kallelse(board, secretary, login, outsider):
    from minutes.drafting import services

    meeting = services.meeting_create(organ=board.organ, date=dt.date(2031, 5, 14), start_time=dt.time(9, 30),
                                      place="Kommunhuset, Sala", actor=secretary)
    services.agenda_item_add(meeting=meeting, title="Budget 2032", actor=secretary)
    assert login(outsider).post(f"/sammantraden/{meeting.pk}/kungor/").status_code == 404
    assert not Notice.objects.exists()
    with at(dt.date(2031, 5, 2)):
        r = login(secretary).post(f"/sammantraden/{meeting.pk}/kungor/")
        assert r.status_code == 302
        notice = Notice.objects.get(kind=Notice.Kind.KUNGORELSE)
        assert (notice.posted_on, notice.takedown_on) == (dt.date(2031, 5, 2), dt.date(2031, 5, 14))
        for text in ("2031-05-14 kl. 09.30", "Kommunhuset, Sala", "1. Budget 2032", str(board.organ)):
            assert text in notice.body
        page = login(secretary).get("/anslagstavla/").content.decode()
        assert notice.title in page
        assert "<dt>Sammanträde</dt><dd>2031-05-14 kl. 09.30</dd>" in page
        assert "Sammanträdesdatum" not in page  # that is the justering notice's line
    with at(dt.date(2031, 5, 15)):
        assert notice.title not in login(secretary).get("/anslagstavla/").content.decode()


def test_free_and_delegation_notices_with_attachment_through_the_form(board, secretary, login, outsider, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("beslut.pdf", b"%PDF-1.7\n%test\n", content_type="application/pdf")
    url = "/forbund/prov/anslag/"
    assert login(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302
    with at(dt.date(2024, 3, 1)):
        r = login(secretary).post(url, {
            "kind": "delegationsbeslut", "title": "Delegationsbeslut om attest", "posted_on": "2024-03-01",
            "attachment": pdf, "attachment_title": "Beslutet",
        })
        assert r.status_code == 302, r.content.decode()
        notice = Notice.objects.get()
        assert notice.last_appeal_day == dt.date(2024, 3, 22)
        assert notice.takedown_on == dt.date(2024, 3, 22)
        attachment = notice.attachments.get()
        page = client.get(f"/anslagstavla/anslag/{notice.pk}/").content.decode()
        assert "Beslutet (PDF" in page
        download = client.get(attachment.get_absolute_url())
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        # A file that is not what it claims is refused and nothing is saved.
        fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
        r = login(secretary).post(url, {"kind": "fritt", "title": "Fritt", "posted_on": "2024-03-01",
                                        "takedown_on": "2024-03-10", "attachment": fake})
        assert r.status_code == 422
        assert "inte en PDF" in r.content.decode()
        assert Notice.objects.count() == 1
        # A takedown before posting is refused in Swedish.
        r = login(secretary).post(url, {"kind": "fritt", "title": "Fritt", "posted_on": "2024-03-05",
                                        "takedown_on": "2024-03-01"})
        assert r.status_code == 422
        assert "kan inte tas ned före" in r.content.decode()


def test_a_justering_notice_never_outruns_its_minutes(published, client):
    # Even a notice written past the service (an import, a bug) about draft minutes stays off.
    notice = Notice.objects.create(
        organisation=published.draft.organ.organisation, organ=published.draft.organ,
        kind=Notice.Kind.JUSTERING, title="Anslag om ett utkast", meeting=published.draft,
        justered_on=dt.date(2023, 12, 8), posted_on=dt.date(2023, 12, 8), last_appeal_day=dt.date(2023, 12, 29), takedown_on=dt.date(2023, 12, 29),
    )
    with at(dt.date(2023, 12, 10)):
        assert notice.title not in client.get("/anslagstavla/").content.decode()
        assert notice.title not in client.get("/anslagstavla/atom.xml").content.decode()
        assert client.get(f"/anslagstavla/anslag/{notice.pk}/").status_code == 404
        assert client.get(f"/api/v1/public/notices/{notice.pk}").status_code == 404


@pytest.mark.parametrize("field", ["meeting", "last_appeal_day", "justered_on"])
def test_the_database_refuses_a_justering_notice_without_its_meeting_or_dates(published, secretary, field):
    from django.db import IntegrityError, transaction

    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    with pytest.raises(IntegrityError, match="notice_justering_has_meeting"), transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(**{field: None})


def test_a_control_character_in_a_notice_does_not_break_the_public_feed(org, secretary, client, settings):
    """XML 1.0 cannot hold them; Django refuses to write them, and the whole feed answered 500
    for as long as the notice was up."""
    posted = dt.date(2023, 11, 6)
    org.name = "Prov\x1b förbund"
    org.save()
    notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title="Kungörelse\x0b om\x07 mötet",
                          posted_on=posted, takedown_on=posted + dt.timedelta(days=5), actor=secretary,
                          paragraphs="§\x01 5")
    with at(posted):
        response = client.get("/anslagstavla/atom.xml")
    assert response.status_code == 200
    feed = response.content.decode()
    assert "Kungörelse om mötet" in feed and "Prov förbund" in feed and "Paragrafer: § 5." in feed


def test_a_notice_with_an_issued_anslagsbevis_changes_only_as_a_new_version(published, secretary):
    """The board reads the row at every request: it must keep saying what the sealed
    anslagsbevis of its version certifies. Moving the posting day is a new version (with a
    certificate of its own); raw SQL that rewrites or removes the row is refused."""
    from django.db import IntegrityError, connection, transaction

    from board.documents.models import RenderedDocument
    from board.documents.services import document_render

    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    certificate = RenderedDocument.objects.get(kind=notices.CERTIFICATE_KIND, object_id=notice.pk, version=1)
    assert document_render(certificate.pk).status == RenderedDocument.Status.DONE
    for sql in [
        "UPDATE minutes_notice SET posted_on = posted_on + 1, takedown_on = takedown_on + 1 WHERE id = %s",
        "UPDATE minutes_notice SET title = 'Förfalskad rubrik' WHERE id = %s",
        "UPDATE minutes_notice SET last_appeal_day = last_appeal_day + 30, takedown_on = takedown_on + 30"
        " WHERE id = %s",
        "DELETE FROM minutes_notice WHERE id = %s",
    ]:
        with pytest.raises(IntegrityError, match="anslagsbevis"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [notice.pk])
    assert Notice.objects.get(pk=notice.pk).posted_on == JUSTERED

    moved = notices.notice_set_posting_day(notice=notice, posted_on=JUSTERED + dt.timedelta(days=1), actor=secretary)
    assert (moved.version, moved.posted_on) == (2, dt.date(2023, 11, 7))
    assert RenderedDocument.objects.filter(kind=notices.CERTIFICATE_KIND, object_id=notice.pk, version=2).exists()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM minutes_notice WHERE id = %s", [notice.pk])


def test_the_board_is_paged_and_a_page_costs_the_same_however_many_notices_are_up(org, secretary, client):
    """26 notices up give two pages (25 and 1), newest first; 60 up give three, and page one
    takes the same number of queries either way (the board's cost does not grow with what is up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minutes.models import BoardPage
    from minutes.public.views import BOARD_PAGE_SIZE

    posted = dt.date(2023, 11, 6)

    def post(first: int, count: int) -> None:
        for i in range(first, first + count):
            notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title=f"Anslag nummer {i:03d}",
                                  posted_on=posted - dt.timedelta(days=i), takedown_on=posted + dt.timedelta(days=5),
                                  actor=secretary)

    def page(url: str) -> tuple[str, int]:
        with at(posted), CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    assert BOARD_PAGE_SIZE == 25
    post(0, 26)
    page("/anslagstavla/")  # renders and stores the blocks of the notices new on the page, and the page
    _, stored = page("/anslagstavla/")
    assert stored == 1  # the page as stored (blocks.board_page)
    BoardPage.objects.all().delete()  # made from the notices again, as after any change: their blocks stored
    first, queries_26 = page("/anslagstavla/")
    assert first.count('<article class="notice"') == 25
    assert "Anslag nummer 000" in first and "Anslag nummer 024" in first and "Anslag nummer 025" not in first
    assert "Sida 1 av 2" in first and 'sida=2" rel="next"' in first
    second, _ = page("/anslagstavla/?sida=2")
    assert second.count('<article class="notice"') == 1 and "Anslag nummer 025" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    own, _ = page(f"/anslagstavla/{org.slug}/?sida=2")
    assert "Anslag nummer 025" in own
    post(26, 34)
    _, queries_60 = page("/anslagstavla/")  # made anew: the notices changed
    assert queries_60 == queries_26 > stored
    past_the_end, _ = page("/anslagstavla/?sida=999")  # the last page, not an error
    assert "Sida 3 av 3" in past_the_end and "Anslag nummer 059" in past_the_end
