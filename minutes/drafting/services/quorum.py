"""Who is present for each paragraph and whether the board has a quorum there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from board.models import Appointment, Person
from board.selectors import board_on

from ...models import (
    Attendance,
    Meeting,
    Paragraph,
    Recusal,
)


@dataclass
class Quorum:
    seats: int  # ledamöter with vote on the board that day
    present: list[Person] = field(default_factory=list)
    needed: int = 0
    uncertain: list[Person] = field(default_factory=list)  # partial by time, paragraph time unknown

    @property
    def count(self) -> int:
        # Serving substitutes stand in for absent ledamöter: never more votes than seats.
        return min(len(self.present), self.seats) if self.seats else len(self.present)

    @property
    def overfull(self) -> bool:
        """More people with vote than seats: the attendance (or the registry) needs a look."""
        return self.seats > 0 and len(self.present) > self.seats

    @property
    def ok(self) -> bool:
        return self.seats > 0 and self.count >= self.needed


def present_for(attendance: Attendance, paragraph: Paragraph, positions: dict[int, int]) -> bool | None:
    """Was the person there when the paragraph was handled? None when it cannot be known."""
    if attendance.role == Attendance.Role.ABSENT:
        return False
    if attendance.from_paragraph_id and positions.get(attendance.from_paragraph_id, 0) > paragraph.position:
        return False
    if attendance.until_paragraph_id and positions.get(attendance.until_paragraph_id, 10**9) < paragraph.position:
        return False
    if attendance.present_from or attendance.present_until:
        if paragraph.handled_at is None:
            return None
        if attendance.present_from and paragraph.handled_at < attendance.present_from:
            return False
        if attendance.present_until and paragraph.handled_at > attendance.present_until:
            return False
    return True


def quorum_by_paragraph(
    *,
    seats: int,
    paragraphs: Iterable[Paragraph],
    attendances: Iterable[Attendance],
    recusals: dict[int, set[int]],
) -> dict[int, Quorum]:
    """Beslutförhet per paragraph: more than half of the ledamöter with vote present.

    `recusals` is {paragraph id: person ids with jäv}. Pure: the caller fetches the rows, so
    the editor can compute it for 30 paragraphs without a query per paragraph.
    """
    paragraphs = list(paragraphs)
    voters = [a for a in attendances if a.role in Attendance.VOTING_ROLES]
    positions = {p.pk: p.position for p in paragraphs}
    needed = seats // 2 + 1
    result: dict[int, Quorum] = {}
    for paragraph in paragraphs:
        q = Quorum(seats=seats, needed=needed)
        recused = recusals.get(paragraph.pk, set())
        for a in voters:
            if a.person_id in recused:
                continue
            here = present_for(a, paragraph, positions)
            if here:
                q.present.append(a.person)
            elif here is None:
                q.uncertain.append(a.person)
        result[paragraph.pk] = q
    return result


def seats_with_vote(meeting: Meeting) -> int:
    return sum(1 for a in board_on(meeting.organ_id, meeting.date) if a.seat == Appointment.Seat.MEMBER)


def meeting_quorum(meeting: Meeting) -> dict[int, Quorum]:
    paragraphs = list(meeting.paragraphs.order_by("position"))
    recusals: dict[int, set[int]] = {}
    for paragraph_id, person_id in Recusal.objects.filter(paragraph__meeting=meeting).values_list(
        "paragraph_id", "person_id"
    ):
        recusals.setdefault(paragraph_id, set()).add(person_id)
    return quorum_by_paragraph(
        seats=seats_with_vote(meeting),
        paragraphs=paragraphs,
        attendances=meeting.attendances.select_related("person"),
        recusals=recusals,
    )
