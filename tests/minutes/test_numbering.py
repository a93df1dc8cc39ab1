"""Paragraph numbers run on per organ and calendar year, gap-free, even under concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from minutes.drafting import services
from minutes.models import Meeting, Paragraph


def numbers(meeting: Meeting) -> list[int]:
    return list(meeting.paragraphs.order_by("position").values_list("number", flat=True))


def make_meeting(board, actor, day: dt.date) -> Meeting:
    return services.meeting_create(organ=board.organ, date=day, place="Kansliet", actor=actor)


def test_numbers_continue_across_the_meetings_of_a_year(board, secretary):
    spring = make_meeting(board, secretary, dt.date(2023, 3, 1))
    autumn = make_meeting(board, secretary, dt.date(2023, 8, 29))
    for title in ("Val av justerare", "Dagordning", "Budget"):
        services.paragraph_add(meeting=spring, title=title, actor=secretary)
    for title in ("Val av justerare", "Dagordning"):
        services.paragraph_add(meeting=autumn, title=title, actor=secretary)
    assert numbers(spring) == [1, 2, 3]
    assert numbers(autumn) == [4, 5]


def test_a_new_year_starts_again_at_one(board, secretary):
    december = make_meeting(board, secretary, dt.date(2023, 12, 14))
    january = make_meeting(board, secretary, dt.date(2024, 1, 18))
    services.paragraph_add(meeting=december, title="Budget 2024", actor=secretary)
    services.paragraph_add(meeting=december, title="Övriga frågor", actor=secretary)
    services.paragraph_add(meeting=january, title="Val av justerare", actor=secretary)
    assert numbers(december) == [1, 2]
    assert numbers(january) == [1]


def test_the_first_number_of_the_year_follows_numbers_used_before_the_system(board, secretary):
    services.paragraph_year_set_first_number(organ=board.organ, year=2023, first_number=25, actor=secretary)
    meeting = make_meeting(board, secretary, dt.date(2023, 8, 29))
    for i in range(10):
        services.paragraph_add(meeting=meeting, title=f"Punkt {i}", actor=secretary)
    assert numbers(meeting) == list(range(25, 35))


def test_the_prefix_is_the_associations_and_is_kept_when_it_changes(board, secretary):
    meeting = make_meeting(board, secretary, dt.date(2023, 11, 2))
    paragraph = services.paragraph_add(meeting=meeting, title="Val av justerare", actor=secretary)
    assert paragraph.label == "PRV § 1"
    board.organisation.paragraph_prefix = "NY"
    board.organisation.save()
    paragraph.refresh_from_db()
    assert paragraph.label == "PRV § 1"


def test_organs_have_their_own_series(board, secretary):
    from tests.factories import OrganFactory

    group = OrganFactory(organisation=board.organisation, name="Beredningsgruppen")
    a = make_meeting(board, secretary, dt.date(2023, 5, 1))
    b = services.meeting_create(organ=group, date=dt.date(2023, 5, 1), place="Kansliet", actor=secretary)
    services.paragraph_add(meeting=a, title="A", actor=secretary)
    services.paragraph_add(meeting=b, title="B", actor=secretary)
    assert numbers(a) == [1] and numbers(b) == [1]


def test_moving_a_paragraph_renumbers_the_meeting(board, secretary):
    meeting = make_meeting(board, secretary, dt.date(2023, 8, 29))
    first, second, third = (
        services.paragraph_add(meeting=meeting, title=t, actor=secretary) for t in ("A", "B", "C")
    )
    services.paragraph_move(paragraph=third, position=1, actor=secretary)
    titles = list(meeting.paragraphs.order_by("number").values_list("title", flat=True))
    assert titles == ["C", "A", "B"]
    assert numbers(meeting) == [1, 2, 3]


def test_a_paragraph_added_to_an_earlier_meeting_pushes_the_later_numbers(board, secretary):
    spring = make_meeting(board, secretary, dt.date(2023, 3, 1))
    autumn = make_meeting(board, secretary, dt.date(2023, 9, 1))
    services.paragraph_add(meeting=spring, title="A", actor=secretary)
    services.paragraph_add(meeting=autumn, title="C", actor=secretary)
    services.paragraph_add(meeting=spring, title="B", actor=secretary)
    assert numbers(spring) == [1, 2]
    assert numbers(autumn) == [3]


def test_deleting_a_paragraph_leaves_no_gap(board, secretary):
    meeting = make_meeting(board, secretary, dt.date(2023, 8, 29))
    paragraphs = [services.paragraph_add(meeting=meeting, title=t, actor=secretary) for t in "ABCD"]
    services.paragraph_delete(paragraph=paragraphs[1], actor=secretary)
    assert numbers(meeting) == [1, 2, 3]
    assert list(meeting.paragraphs.order_by("position").values_list("title", flat=True)) == ["A", "C", "D"]


def test_signed_minutes_keep_their_numbers(board, secretary):
    spring = make_meeting(board, secretary, dt.date(2023, 3, 1))
    autumn = make_meeting(board, secretary, dt.date(2023, 9, 1))
    services.paragraph_add(meeting=spring, title="A", actor=secretary)
    services.paragraph_add(meeting=autumn, title="B", actor=secretary)
    Meeting.objects.filter(pk=autumn.pk).update(status=Meeting.Status.SIGNED)
    with pytest.raises(ValidationError, match="justerade"):
        services.paragraph_add(meeting=spring, title="Sent tillägg", actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        services.paragraph_add(meeting=Meeting.objects.get(pk=autumn.pk), title="X", actor=secretary)
    assert numbers(spring) == [1] and numbers(autumn) == [2]


def test_the_database_refuses_a_duplicate_number(board, secretary):
    meeting = make_meeting(board, secretary, dt.date(2023, 8, 29))
    p = services.paragraph_add(meeting=meeting, title="A", actor=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(
            meeting=meeting, organ=board.organ, year=2023, number=p.number, position=2, title="Dubblett"
        )
        # The constraint is deferred to commit; force the check inside the savepoint.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.django_db(transaction=True)
def test_two_people_adding_at_the_same_moment_get_consecutive_numbers(board, secretary):
    """Two real database connections, two threads, released together at a barrier."""
    meeting = make_meeting(board, secretary, dt.date(2023, 8, 29))
    services.paragraph_add(meeting=meeting, title="Val av justerare", actor=secretary)
    per_thread = 5
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                services.paragraph_add(meeting=meeting, title=f"{name} {i}", actor=secretary)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=add, args=(n,)) for n in ("Anna", "Bertil")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert numbers(meeting) == list(range(1, 2 + 2 * per_thread))
    positions = list(meeting.paragraphs.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 2 + 2 * per_thread))
