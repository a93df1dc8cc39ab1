"""Each public paragraph's copies of its meeting's status and its association's retention
(PublicParagraph.meeting_signed and retention_months, migration 0027) are what the meeting and
the association say, however they are written, and the public paragraphs they let through are
those of the rule itself (the meeting justerat, and minutes_on_the_web through the meeting's
organ and association), on any day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from board.models import Organ, Organisation
from minutes.models import Meeting, PublicParagraph
from minutes.public.selectors import (
    longest_minutes_retention,
    minutes_on_the_web,
    organisation_choices,
    public_paragraphs,
)
from tests.conftest import make_board, triggers_off
from tests.public.conftest import make_minutes

pytestmark = pytest.mark.django_db

# Month ends and leap days, where "N months before" is not "N times 30 days".
DAYS = [dt.date(2025, 12, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2026, 3, 31),
        dt.date(2026, 4, 30), dt.date(2026, 5, 31), dt.date(2026, 8, 31), dt.date(2026, 9, 30),
        dt.date(2027, 2, 28), dt.date(2028, 2, 29), dt.date(2028, 3, 31)]
MEETINGS = [dt.date(2023, 2, 28), dt.date(2023, 3, 31), dt.date(2024, 2, 29), dt.date(2025, 5, 31),
            dt.date(2025, 11, 30), dt.date(2026, 1, 31)]


@pytest.fixture
def archive(secretary, board):
    """Two associations, each with minutes at month ends, retentions of 12 and 36 months."""
    other = make_board(name="Samordningsförbundet Annat", slug="annat", prefix="ANN")
    Organisation.objects.filter(pk=board.organisation.pk).update(minutes_retention_months=36)
    Organisation.objects.filter(pk=other.organisation.pk).update(minutes_retention_months=12)
    for b in (board, other):
        for day in MEETINGS:
            make_minutes(organ=b.organ, actor=secretary, date=day, titles=["Budget", "Rapport"])
    return board, other


def by_the_rule(day: dt.date) -> set[int]:
    """The rule through the meeting itself, its organ and its association."""
    meetings = Meeting.objects.filter(status=Meeting.Status.SIGNED).filter(minutes_on_the_web(day))
    return set(PublicParagraph.objects.filter(meeting__in=meetings).values_list("pk", flat=True))


def assert_kept_and_the_rule_holds() -> None:
    rows = PublicParagraph.objects.values_list(
        "meeting_signed", "retention_months", "meeting__status", "meeting__organ__organisation__minutes_retention_months")
    assert rows and all((signed, months) == (status == Meeting.Status.SIGNED, own)
                        for signed, months, status, own in rows)
    seen = set()
    longest = longest_minutes_retention(organisation_choices())
    for day in DAYS:
        shown = set(public_paragraphs(day).values_list("pk", flat=True))
        assert shown == by_the_rule(day), day
        # The bound as a value, as the search gives it: the same rows.
        assert set(public_paragraphs(day, longest).values_list("pk", flat=True)) == shown, day
        seen.add(len(shown))
    assert len(seen) > 2  # the days did differ: some minutes in, some out


def test_the_copy_follows_the_association_however_it_is_written(archive):
    board, other = archive
    assert_kept_and_the_rule_holds()
    # A save, as the association's settings page does.
    org = Organisation.objects.get(pk=board.organisation.pk)
    org.minutes_retention_months = 13
    org.save()
    assert_kept_and_the_rule_holds()
    # An UPDATE past the ORM's save.
    Organisation.objects.filter(pk=other.organisation.pk).update(minutes_retention_months=40)
    assert_kept_and_the_rule_holds()
    # And in SQL, as psql would.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE board_organisation SET minutes_retention_months = 24 WHERE id = %s",
                       [board.organisation.pk])
    assert_kept_and_the_rule_holds()
    # A meeting moved to the other association's organ (the lock triggers off, as only the
    # tables' owner can for justerade minutes) takes that association's retention.
    moved = Meeting.objects.filter(organ=board.organ).order_by("date").first()
    with triggers_off():
        Meeting.objects.filter(pk=moved.pk).update(organ=other.organ)
    assert set(moved.public_paragraphs.values_list("retention_months", flat=True)) == {40}
    assert_kept_and_the_rule_holds()
    # An organ moved to the other association takes that association's retention.
    Organ.objects.filter(pk=board.organ.pk).update(organisation=other.organisation)
    assert set(PublicParagraph.objects.filter(organ=board.organ).values_list("retention_months", flat=True)) == {40}
    assert_kept_and_the_rule_holds()


def test_a_value_written_from_outside_is_not_taken(archive):
    PublicParagraph.objects.update(retention_months=600)  # no way to keep minutes longer by hand
    assert_kept_and_the_rule_holds()
    PublicParagraph.objects.filter(pk__in=PublicParagraph.objects.values("pk")[:3]).update(meeting_signed=False)
    assert_kept_and_the_rule_holds()


def test_minutes_no_longer_justerade_leave_the_public_at_once(archive, secretary):
    """An unlock takes the meeting out of justerat: its rows stay (they are replaced at the next
    justering) but are public no more, also when the lock triggers are off (as in psql by the
    tables' owner), and again once the minutes are justerade."""
    board, _ = archive
    meeting = Meeting.objects.filter(organ=board.organ).order_by("-date").first()
    with triggers_off():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFTING)
    assert meeting.public_paragraphs.exists()
    assert not public_paragraphs(DAYS[0]).filter(meeting=meeting).exists()
    assert_kept_and_the_rule_holds()
    with triggers_off():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SIGNED)
    assert public_paragraphs(DAYS[0]).filter(meeting=meeting).exists()
    assert_kept_and_the_rule_holds()


def test_new_minutes_take_the_value_at_their_justering(archive, secretary):
    board, _ = archive
    Organisation.objects.filter(pk=board.organisation.pk).update(minutes_retention_months=7)
    meeting = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2026, 2, 10), titles=["Ny"])
    assert set(meeting.public_paragraphs.values_list("retention_months", flat=True)) == {7}
    assert_kept_and_the_rule_holds()
