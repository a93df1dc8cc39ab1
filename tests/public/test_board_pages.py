"""A page of the notice board is stored as rendered (minutes/public/blocks.py, BoardPage) and
shown again only while nothing it shows has changed: the database moves the board's
generation on at any write to what it shows (migration 0026's triggers), however written.
The page cache is off in the tests (conftest), so every request here reaches the store."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from board.models import Organ, Organisation
from minutes.models import BoardGeneration, BoardPage, Meeting, Notice, NoticeAttachment
from minutes.notices import services as notices
from minutes.public.blocks import board_pages_prune
from tests.public.conftest import make_minutes
from tests.public.test_notices import JUSTERED, at

CONTENT = "public/_board_content.html"


def _board(client, url: str = "/anslagstavla/", day: dt.date = JUSTERED) -> tuple[str, bool, int]:
    """The board's text on `day`, whether its content was made from the notices (not as
    stored), and the number of queries."""
    with at(day), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), CONTENT in [t.name for t in response.templates], len(ctx.captured_queries)


@pytest.fixture
def meeting(board, secretary) -> Meeting:
    """Minutes being drafted for a meeting ten days after the notices are posted."""
    return make_minutes(organ=board.organ, actor=secretary, date=JUSTERED + dt.timedelta(days=10),
                        titles=["Budget"], confidential=False, status=Meeting.Status.DRAFTING)


@pytest.fixture
def kungorelse(meeting, secretary) -> Notice:
    return notices.notice_kungorelse(meeting=meeting, actor=secretary, posted_on=JUSTERED)


def test_a_page_is_stored_and_shown_again_in_one_query(org, kungorelse, client):
    text, made, _ = _board(client)
    assert made and kungorelse.title in text
    again, made, queries = _board(client)
    assert not made and queries == 1 and again == text
    own, made, _ = _board(client, f"/anslagstavla/{org.slug}/")
    assert made and kungorelse.title in own  # every association's board has its own page
    own_again, made, queries = _board(client, f"/anslagstavla/{org.slug}/")
    assert not made and queries == 2 and own_again == own  # the association (the title), then the page
    assert BoardPage.objects.count() == 2


def _title_updated(kungorelse: Notice, **_: object) -> str:
    Notice.objects.filter(pk=kungorelse.pk).update(title="Kungörelse med ny rubrik")  # past the signals
    return "Kungörelse med ny rubrik"


def _attachment_added(kungorelse: Notice, **_: object) -> str:
    NoticeAttachment.objects.create(notice=kungorelse, title="Bilaga om budgeten", file="bilaga.pdf",
                                    file_type="pdf", size=1234)
    return "Bilaga om budgeten"


def _association_renamed(org: Organisation, **_: object) -> str:
    Organisation.objects.filter(pk=org.pk).update(name="Samordningsförbundet med nytt namn")
    return "Samordningsförbundet med nytt namn"


def _organ_renamed(kungorelse: Notice, **_: object) -> str:
    Organ.objects.filter(pk=kungorelse.organ_id).update(name="Förbundsstyrelsen")
    return "Förbundsstyrelsen"


def _meeting_moved(meeting: Meeting, **_: object) -> str:
    Meeting.objects.filter(pk=meeting.pk).update(start_time=dt.time(10, 0), end_time=dt.time(12, 0))
    return "kl. 10.00"


def _notice_withdrawn(kungorelse: Notice, **_: object) -> str:
    Notice.objects.filter(pk=kungorelse.pk).delete()
    return "Inga anslag är uppsatta i dag."


@pytest.mark.parametrize("change", [_title_updated, _attachment_added, _association_renamed, _organ_renamed,
                                    _meeting_moved, _notice_withdrawn])
def test_any_change_to_what_the_board_shows_is_shown_at_once(change: Callable[..., str], org, meeting,
                                                            kungorelse, client):
    before, _, _ = _board(client)
    _, made, _ = _board(client)
    assert not made
    shown = change(org=org, meeting=meeting, kungorelse=kungorelse)
    assert shown not in before
    text, made, _ = _board(client)
    assert made and shown in text
    _, made, _ = _board(client)
    assert not made  # and stored again


def test_a_drafting_save_of_the_meeting_keeps_the_page(meeting, kungorelse, client):
    """Only a meeting's status, date and start time are on the board: the secretary's other
    saves while drafting (here the place) do not make every page of the board anew."""
    _board(client)
    generation = BoardGeneration.objects.get().generation
    Meeting.objects.filter(pk=meeting.pk).update(place="Stadshuset")
    assert BoardGeneration.objects.get().generation == generation
    _, made, _ = _board(client)
    assert not made
    Meeting.objects.filter(pk=meeting.pk).update(date=F("date") + dt.timedelta(days=1))
    assert BoardGeneration.objects.get().generation == generation + 1


def test_a_page_is_made_anew_the_next_day(kungorelse, client):
    _board(client)
    text, made, _ = _board(client, day=JUSTERED + dt.timedelta(days=1))
    assert made and kungorelse.title in text
    text, made, _ = _board(client, day=JUSTERED + dt.timedelta(days=11))  # the meeting's day was the last
    assert made and kungorelse.title not in text


@pytest.mark.parametrize("stale", [
    {"template": "0" * 64},  # another deploy's templates
    {"generation": F("generation") - 1},
    {"day": JUSTERED - dt.timedelta(days=1)},
])
def test_a_stored_page_of_other_templates_generation_or_day_is_not_shown(stale, kungorelse, client):
    _board(client)
    BoardPage.objects.update(html="<p>Gammalt innehåll</p>", **stale)
    text, made, _ = _board(client)
    assert made and "Gammalt innehåll" not in text and kungorelse.title in text


def test_a_page_number_past_the_last_shows_the_last_and_stores_nothing_under_it(kungorelse, client):
    for _ in range(2):
        text, made, _ = _board(client, "/anslagstavla/?sida=99")
        assert made and kungorelse.title in text  # page 1 of 1, made each time
    assert not BoardPage.objects.exists()


def test_without_a_generation_row_pages_are_made_not_stored_until_the_next_change(kungorelse, client):
    """A flush (TRUNCATE, as the tests' transactional cleanup does) empties the one-row table;
    the next write to what the board shows creates it again (the trigger's upsert)."""
    BoardGeneration.objects.all().delete()
    for _ in range(2):
        _, made, _ = _board(client)
        assert made
    assert not BoardPage.objects.exists()
    Notice.objects.filter(pk=kungorelse.pk).update(title="Kungörelse, rättad")
    assert BoardGeneration.objects.get().generation == 1
    _board(client)
    text, made, queries = _board(client)
    assert not made and queries == 1 and "Kungörelse, rättad" in text


def test_pages_of_another_day_or_generation_are_deleted_hourly(org, kungorelse, client):
    _board(client)
    _board(client, f"/anslagstavla/{org.slug}/")
    with at(JUSTERED):
        assert board_pages_prune() == 0  # both are today's
    Notice.objects.filter(pk=kungorelse.pk).update(title="Kungörelse, rättad")
    _board(client)  # stored again at the new generation
    with at(JUSTERED):
        assert board_pages_prune() == 1  # the association's page of the generation before
    assert list(BoardPage.objects.values_list("scope", flat=True)) == [""]
    with at(JUSTERED + dt.timedelta(days=1)):
        assert board_pages_prune() == 1
    assert not BoardPage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_generation_moves_on_at_the_commit_and_holds_no_one_up(org, secretary):
    """The triggers are deferred: the generation row is written at the commit. A transaction
    that changed a notice and has not committed keeps no other from changing another notice
    and committing (with triggers at each statement, the first would hold the row locked until
    its commit, and two such transactions could deadlock over it). Committed here, as in
    production: the tests' own transaction sets the triggers to fire at once (conftest)."""
    first, second = (
        notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title=title, posted_on=JUSTERED,
                              takedown_on=JUSTERED + dt.timedelta(days=5), actor=secretary)
        for title in ("Första anslaget", "Andra anslaget")
    )
    start = BoardGeneration.objects.get().generation
    other: dict[str, object] = {}

    def change_the_second() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
            Notice.objects.filter(pk=second.pk).update(title="Andra anslaget, rättat")  # and commits
            other["done"] = True
        except Exception as exc:  # noqa: BLE001 - reported below
            other["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        Notice.objects.filter(pk=first.pk).update(title="Första anslaget, rättat")
        thread = threading.Thread(target=change_the_second)
        thread.start()
        thread.join()
        assert other == {"done": True}
        assert BoardGeneration.objects.get().generation == start + 1  # the other's, committed
        Notice.objects.filter(pk__in=[first.pk, second.pk]).update(body="Rättad text")
        Notice.objects.filter(pk=first.pk).update(body="Rättad text igen")
    # This one's, at its commit: once for its four changed rows (one row written per changed
    # row made a commit of 21,000 of them take seconds: the migration's function).
    assert BoardGeneration.objects.get().generation == start + 2
