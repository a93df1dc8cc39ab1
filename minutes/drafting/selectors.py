"""Queries the pages, the API and the PDF share.

`minutes_document(meeting)` loads everything the minutes show in a fixed number of queries
(whatever the number of paragraphs or attendees): the editor, the preview and the justering's
PDF all render from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Max, Min, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from board.models import Organisation
from board.permissions import Action, can, organisation_ids_for

from ..models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    TextModule,
    Vote,
    VoteBallot,
    VoteProposal,
)
from .services.quorum import Quorum, quorum_by_paragraph, seats_with_vote

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def meeting_for(user: Any, pk: int) -> Meeting:
    """The meeting if the user may see it; 404 otherwise (outsiders learn nothing)."""
    meeting = get_object_or_404(Meeting.objects.select_related("organ__organisation"), pk=pk)
    if not can(user, Action.VIEW, meeting.organ.organisation_id):
        raise Http404
    return meeting


class ParagraphNumbers(TypedDict):
    """What meetings_of annotates: the first and last § number of the meeting (None without §§)."""

    first_number: int | None
    last_number: int | None


def meetings_of(organisation: Organisation) -> QuerySet[WithAnnotations[Meeting, ParagraphNumbers]]:
    return (
        Meeting.objects.filter(organ__organisation=organisation)
        .select_related("organ")
        .annotate(
            first_number=Min("paragraphs__number"),
            last_number=Max("paragraphs__number"),
        )
        .order_by("-date", "-start_time")
    )


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    ids = organisation_ids_for(user, Action.VIEW)
    qs = Meeting.objects.select_related("organ__organisation")
    return qs if ids is None else qs.filter(organ__organisation_id__in=list(ids))


def number_range(prefix: str, lo: int | None, hi: int | None) -> str:
    """ "§§ 25–34", "NVSam §§ 54–58", "§ 12" or "" (no paragraphs)."""
    if lo is None:
        return ""
    text = f"§ {lo}" if lo == hi else f"§§ {lo}–{hi}"
    return f"{prefix} {text}".strip()


def paragraph_range(paragraphs: list[Paragraph]) -> str:
    """The range of the paragraphs, with the prefix of the first one."""
    if not paragraphs:
        return ""
    numbers = [p.number for p in paragraphs]
    return number_range(paragraphs[0].prefix, min(numbers), max(numbers))


def _time(value: Any) -> str:
    return value.strftime("%H.%M") if value else ""


def presence_text(a: Attendance) -> str:
    """The partial presence as the seeds write it: "fr o m kl 09.50", "§§ 20–21", "via Teams"."""
    parts = []
    if a.present_from and a.present_until:
        parts.append(f"kl {_time(a.present_from)}–{_time(a.present_until)}")
    elif a.present_from:
        parts.append(f"fr o m kl {_time(a.present_from)}")
    elif a.present_until:
        parts.append(f"t o m kl {_time(a.present_until)}")
    f, u = a.from_paragraph, a.until_paragraph
    if f and u:
        parts.append(number_range("", f.number, u.number))
    elif f:
        parts.append(f"fr o m § {f.number}")
    elif u:
        parts.append(f"t o m § {u.number}")
    if a.is_remote:
        parts.append("via Teams")
    return ", ".join(parts)


def attendance_line(a: Attendance) -> str:
    """One line of the attendance block: "Åsa Brodd, Försäkringskassan (via Teams)"."""
    name = a.person.full_name + (f" ({a.party})" if a.party else "")
    bits = [name]
    if a.role == Attendance.Role.SERVING_SUBSTITUTE:
        bits.append(
            f"tjänstgörande ersättare för {a.replacing.full_name}" if a.replacing else "tjänstgörande ersättare"
        )
    if a.function in (Attendance.Function.CHAIR, Attendance.Function.VICE_CHAIR):
        bits.append(a.get_function_display().lower())
    if a.affiliation:
        bits.append(a.affiliation)
    if a.role_text:
        bits.append(a.role_text)
    line = ", ".join(bits)
    presence = presence_text(a)
    return f"{line} ({presence})" if presence else line


@dataclass
class ParagraphView:
    paragraph: Paragraph
    quorum: Quorum
    recused_names: list[str] = field(default_factory=list)
    handlingar: list[AgendaDocument] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)

    @property
    def decision_lines(self) -> list[str]:
        return self.paragraph.decision_lines

    @property
    def missing_decision(self) -> bool:
        """An ordinary § (an ärende, not a standard one such as the agenda's) with neither a
        decision clause nor a stock decision: the outline flags it."""
        return self.paragraph.kind == Paragraph.Kind.ORDINARY and not self.decision_lines


@dataclass
class MinutesDocument:
    meeting: Meeting
    organisation: Organisation
    paragraphs: list[ParagraphView]
    attendances: list[Attendance]
    adjusters: list[MinutesAdjuster]
    seats: int
    range_label: str

    def _lines(self, *roles: str) -> list[str]:
        return [attendance_line(a) for a in self.attendances if a.role in roles]

    @property
    def decision_makers(self) -> list[str]:
        return self._lines(Attendance.Role.MEMBER, Attendance.Role.SERVING_SUBSTITUTE)

    @property
    def substitutes(self) -> list[str]:
        return self._lines(Attendance.Role.SUBSTITUTE)

    @property
    def others(self) -> list[str]:
        return self._lines(Attendance.Role.OTHER)

    @property
    def absent(self) -> list[str]:
        return [a.person.full_name for a in self.attendances if a.role == Attendance.Role.ABSENT]

    @property
    def chair(self) -> Attendance | None:
        return next((a for a in self.attendances if a.function == Attendance.Function.CHAIR), None)

    @property
    def secretary(self) -> Attendance | None:
        return next((a for a in self.attendances if a.function == Attendance.Function.SECRETARY), None)

    @property
    def place_and_time(self) -> str:
        m = self.meeting
        text = m.place_display
        if m.start_time and m.end_time:
            text += f", kl {_time(m.start_time)}–{_time(m.end_time)}"
        elif m.start_time:
            text += f", kl {_time(m.start_time)}"
        return text

    @property
    def quorum_problems(self) -> list[ParagraphView]:
        return [p for p in self.paragraphs if not p.quorum.ok]


def minutes_document(meeting: Meeting) -> MinutesDocument:
    """Everything the minutes show, in a fixed number of queries."""
    meeting = (
        Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
        if "organ" not in meeting._state.fields_cache
        else meeting
    )
    paragraphs = list(
        Paragraph.objects.filter(meeting=meeting)
        .order_by("position")
        .prefetch_related(
            # Each person in the row's own query (a join), not in a prefetch of its own: five
            # queries fewer, and no related manager per row for them (bench/editor_bench.py).
            "clauses",
            Prefetch("recusals", queryset=Recusal.objects.select_related("person")),
            Prefetch("reservations", queryset=Reservation.objects.select_related("person")),
            Prefetch("notes", queryset=ProtocolNote.objects.select_related("person")),
            Prefetch("documents", queryset=AgendaDocument.objects.order_by("position", "pk")),
            Prefetch(
                "agenda_item",
                queryset=AgendaItem.objects.prefetch_related(
                    Prefetch("documents", queryset=AgendaDocument.objects.filter(paragraph__isnull=True))
                ),
            ),
            Prefetch(
                "votes",
                queryset=Vote.objects.order_by("position").prefetch_related(
                    Prefetch("proposals", queryset=VoteProposal.objects.select_related("proposer")),
                    Prefetch("ballots", queryset=VoteBallot.objects.select_related("person")),
                ),
            ),
        )
    )
    attendances = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "replacing", "from_paragraph", "until_paragraph")
        .order_by("position", "pk")
    )
    adjusters = list(meeting.adjusters.select_related("person").order_by("position"))
    return build_document(meeting, paragraphs, attendances, adjusters, seats=seats_with_vote(meeting))


def build_document(
    meeting: Meeting,
    paragraphs: list[Paragraph],
    attendances: list[Attendance],
    adjusters: list[MinutesAdjuster],
    *,
    seats: int,
) -> MinutesDocument:
    """The minutes from their rows as `minutes_document` loads them: the paragraphs in order with
    their clauses, recusals, reservations, notes, documents, agenda item and votes prefetched, the
    attendance and the justerare in order, and the ledamöter with vote (`seats_with_vote`).
    The bench data (bench_data) reads the rows of thousands of minutes at once and builds each
    with this."""
    recusals = {p.pk: {r.person_id for r in p.recusals.all()} for p in paragraphs}
    quorum = quorum_by_paragraph(seats=seats, paragraphs=paragraphs, attendances=attendances, recusals=recusals)
    views = []
    for p in paragraphs:
        handlingar = list(p.agenda_item.documents.all()) if p.agenda_item else []
        handlingar += list(p.documents.all())
        views.append(
            ParagraphView(
                paragraph=p,
                quorum=quorum[p.pk],
                recused_names=[r.person.full_name for r in p.recusals.all()],
                handlingar=handlingar,
                votes=list(p.votes.all()),
            )
        )
    return MinutesDocument(
        meeting=meeting,
        organisation=meeting.organ.organisation,
        paragraphs=views,
        attendances=attendances,
        adjusters=adjusters,
        seats=seats,
        range_label=paragraph_range(paragraphs),
    )


def decision_paragraphs(organisation: Organisation | int, years: list[int]) -> QuerySet[Paragraph]:
    """The association's minutes paragraphs of the given years, latest meeting first, with their
    meeting: the decisions a budget version (finance) can name as the one that adopted it."""
    return (
        Paragraph.objects.filter(organ__organisation=organisation, year__in=years)
        .select_related("meeting")
        .order_by("-meeting__date", "number")
    )


def decision_paragraph(organisation: Organisation | int, pk: int) -> Paragraph | None:
    """One of the association's minutes paragraphs; None for another association's or none."""
    return Paragraph.objects.filter(organ__organisation=organisation, pk=pk).first()


def text_modules_of(organisation: Organisation | int) -> QuerySet[TextModule]:
    """The association's text modules: phrases first, then decisions, each by name."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return TextModule.objects.filter(organisation_id=org_id).order_by("-kind", "name", "pk")
