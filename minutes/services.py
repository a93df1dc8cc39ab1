"""Everything that changes meetings and minutes. Views, the API and the demo loader call these.

Each service runs in one transaction, records the acting user in the history
(`save_with_actor`) and, for acts that matter in themselves (kallelse sent, vote recorded),
an AuditEvent. Numbering is serialised per organ and year by locking the `ParagraphYear` row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from board.audit import acting_user, event_record, save_with_actor
from board.formatting import one_line
from board.mail import mail_queue
from board.models import Appointment, Organ, OutgoingMail, Person, StaffRole
from board.selectors import board_on, staff_on

from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    DecisionClause,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    ParagraphYear,
    ProtocolNote,
    Recusal,
    Reservation,
    Vote,
    VoteBallot,
    VoteProposal,
)
from .signals import minutes_edited

STOCKHOLM = ZoneInfo("Europe/Stockholm")


# --- shared checks -------------------------------------------------------------------------


def _require_editable(meeting: Meeting) -> None:
    if not meeting.is_editable:
        raise ValidationError(_("Protokollet är justerat och kan inte ändras."))


def _edited(meeting: Meeting, actor: Any, what: str) -> None:
    """Tell listeners (the justering) after commit that the minutes changed."""
    transaction.on_commit(
        lambda: minutes_edited.send(sender=Meeting, meeting=meeting, actor=actor, what=what)
    )


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


# --- meetings ------------------------------------------------------------------------------

MEETING_FIELDS = ("date", "start_time", "end_time", "place", "is_remote", "kind", "kallelse_message")


# The years a meeting may fall in (those of the numbering page too). A meeting dated
# 9999-12-31 was saved, and its justering page, adding the 14 days, answered 500.
MEETING_YEARS = range(1901, 3000)


def _validate_meeting(meeting: Meeting) -> None:
    organ = meeting.organ
    if meeting.date is None:  # PATCH {"date": null}: the checks below compare with it
        raise ValidationError({"date": _("Ange mötets datum.")})
    if meeting.date.year not in MEETING_YEARS:
        raise ValidationError({"date": _("Ange ett datum mellan år %(first)s och %(last)s.")
                               % {"first": MEETING_YEARS[0], "last": MEETING_YEARS[-1]}})
    if not meeting.place and not meeting.is_remote:
        raise ValidationError({"place": _("Ange en plats eller markera att mötet hålls digitalt.")})
    if organ.active_from and meeting.date < organ.active_from or (
        organ.active_until and meeting.date > organ.active_until
    ):
        raise ValidationError({"date": _("Organet är inte verksamt det datumet.")})


@transaction.atomic
def meeting_create(
    *,
    organ: Organ,
    date: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    is_remote: bool = False,
    kind: str = Meeting.Kind.ORDINARY,
    kallelse_message: str = "",
    actor: Any,
) -> Meeting:
    meeting = Meeting(
        organ=organ,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=_clean_text(place),
        is_remote=is_remote,
        kind=kind,
        kallelse_message=kallelse_message,
    )
    _validate_meeting(meeting)
    save_with_actor(meeting, actor)
    event_record(
        verb="meeting.created", actor=actor, organisation=organ.organisation, target=meeting,
        summary=str(meeting),
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Any, **changes: Any) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("organ").get(pk=meeting.pk)
    _require_editable(meeting)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old_date = meeting.date
    for name, value in changes.items():
        setattr(meeting, name, _clean_text(value) if name == "place" else value)
    _validate_meeting(meeting)
    has_paragraphs = meeting.paragraphs.exists()
    if has_paragraphs and meeting.date.year != old_date.year:
        raise ValidationError(
            {"date": _("Mötet har redan paragrafer numrerade för %(y)s; datumet kan inte flyttas till ett annat år.")
             % {"y": old_date.year}}
        )
    save_with_actor(meeting, actor)
    if has_paragraphs and meeting.date != old_date:
        # The order of meetings within the year decides the numbers.
        _renumber_year(_lock_year(meeting.organ, meeting.date.year), actor)
    _edited(meeting, actor, "meeting.updated")
    return meeting


# --- agenda --------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    dnr: str = "",
    description: str = "",
    proposed_decision: str = "",
    presenter: str = "",
    actor: Any,
) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(meeting)
    if not _clean_text(title):
        raise ValidationError({"title": _("Ange en rubrik.")})
    last = meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(
        meeting=meeting, position=last + 1, title=_clean_text(title), dnr=_clean_text(dnr),
        description=description, proposed_decision=proposed_decision, presenter=_clean_text(presenter),
    )
    save_with_actor(item, actor)
    return item


AGENDA_FIELDS = ("title", "dnr", "description", "proposed_decision", "presenter")


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, actor: Any, **changes: Any) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _require_editable(item.meeting)
    for name, value in changes.items():
        if name not in AGENDA_FIELDS:
            raise ValidationError({name: _("Fältet kan inte ändras.")})
        setattr(item, name, value)
    if not _clean_text(item.title):
        raise ValidationError({"title": _("Ange en rubrik.")})
    save_with_actor(item, actor)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: Any) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_editable(meeting)
    _delete(item, actor)
    _repack_positions(list(meeting.agenda_items.order_by("position")), actor)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, position: int, actor: Any) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_editable(meeting)
    items = [i for i in meeting.agenda_items.order_by("position") if i.pk != item.pk]
    position = max(1, min(position, len(items) + 1))
    items.insert(position - 1, item)
    _repack_positions(items, actor)
    item.refresh_from_db()
    return item


def _repack_positions(rows: Sequence[Any], actor: Any) -> None:
    """Positions 1..n in the given order (the unique constraint is deferred to commit)."""
    changed = []
    for i, row in enumerate(rows, start=1):
        if row.position != i:
            row.position = i
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, type(changed[0]), ["position"], default_user=acting_user(actor))


def _delete(row: Any, actor: Any) -> None:
    """Delete, recording the acting user in the row's history (as `save_with_actor` does)."""
    row._history_user = acting_user(actor)
    row.delete()


# --- handlingar ----------------------------------------------------------------------------

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_type_of(head: bytes, data: io.BufferedIOBase | io.BytesIO | Any) -> str | None:
    """The file's real type from its content, or None. The name is not trusted."""
    if head.startswith(b"%PDF-"):
        return AgendaDocument.FileType.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            data.seek(0)
            with zipfile.ZipFile(data) as zf:
                names = set(zf.namelist())
                # An ODT's "mimetype" is its first, 39-byte entry; a larger one is not read.
                if "mimetype" in names and zf.getinfo("mimetype").file_size <= len(ODT_MIMETYPE) + 2 \
                        and zf.read("mimetype").strip() == ODT_MIMETYPE:
                    return AgendaDocument.FileType.ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return AgendaDocument.FileType.DOCX
                if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                    return AgendaDocument.FileType.XLSX
        except Exception:
            # Not only BadZipFile: an entry flagged encrypted (RuntimeError), of an unknown
            # method (NotImplementedError) or with corrupt data (zlib.error) answered 500.
            return None
    return None


def _validated_upload(upload: Any) -> tuple[str, bytes]:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise ValidationError({"file": _("Filen är tom.")})
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {"file": _("Filen är för stor: högst %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}}
        )
    upload.seek(0)
    content = upload.read()
    buffer = io.BytesIO(content)
    kind = document_type_of(content[:8], buffer)
    if kind is None:
        raise ValidationError(
            {"file": _("Filen är inte en PDF, DOCX, XLSX eller ODT (innehållet avgör, inte filnamnet).")}
        )
    return kind, content


@transaction.atomic
def document_add(
    *,
    meeting: Meeting,
    title: str,
    upload: Any = None,
    agenda_item: AgendaItem | None = None,
    paragraph: Paragraph | None = None,
    actor: Any,
) -> AgendaDocument:
    """Attach a handling. With a file, its content is checked; without, it is listed by title."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Punkten hör till ett annat möte.")})
    if paragraph is not None and paragraph.meeting_id != meeting.pk:
        raise ValidationError({"paragraph": _("Paragrafen hör till ett annat möte.")})
    original = getattr(upload, "name", "") or ""
    title = _clean_text(title) or original.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not title:
        raise ValidationError({"title": _("Ange en titel eller ladda upp en fil.")})
    last = meeting.documents.aggregate(m=Max("position"))["m"] or 0
    document = AgendaDocument(
        meeting=meeting, agenda_item=agenda_item, paragraph=paragraph, title=title[:300],
        position=last + 1, uploaded_by=acting_user(actor),
    )
    if upload is not None:
        kind, content = _validated_upload(upload)
        stem = slugify(original.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:80] or "handling"
        document.file_type = kind
        document.original_name = original[:255]
        document.size = len(content)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.file.save(f"{stem}.{kind}", ContentFile(content), save=False)
    save_with_actor(document, actor)
    if paragraph is not None:
        _edited(meeting, actor, "document.added")
    return document


@transaction.atomic
def document_delete(*, document: AgendaDocument, actor: Any) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=document.meeting_id)
    _require_editable(meeting)
    stored = document.file.name if document.file else ""
    _delete(document, actor)
    if stored:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
    _edited(meeting, actor, "document.deleted")


# --- kallelse ------------------------------------------------------------------------------


def _agenda_text(meeting: Meeting) -> str:
    return "\n".join(f"{i.position}. {i.title}" for i in meeting.agenda_items.order_by("position"))


def meeting_ics(meeting: Meeting, *, url: str = "") -> bytes:
    """An iCalendar event for the meeting (the kallelse's attachment)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Samordna//Kallelse//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@samordna")
    event.add("dtstamp", timezone.now())
    start = meeting.start_time or dt.time(9, 0)
    end = meeting.end_time or (dt.datetime.combine(meeting.date, start) + dt.timedelta(hours=2)).time()
    event.add("dtstart", dt.datetime.combine(meeting.date, start, tzinfo=STOCKHOLM))
    event.add("dtend", dt.datetime.combine(meeting.date, end, tzinfo=STOCKHOLM))
    event.add("summary", f"{meeting.organ} – {meeting.organ.organisation}: {meeting.get_kind_display().lower()}")
    event.add("location", meeting.place_display)
    event.add("description", f"Dagordning:\n{_agenda_text(meeting)}\n\n{url}".strip())
    if url:
        event.add("url", url)
    cal.add_component(event)
    # RFC 5545: a TZID needs its VTIMEZONE in the file, or the client has to guess.
    cal.add_missing_timezones()
    return cal.to_ical()


def kallelse_recipients(meeting: Meeting) -> list[Person]:
    """Everyone on the board on the meeting date (ledamöter and ersättare), once each."""
    seen: dict[int, Person] = {}
    for appointment in board_on(meeting.organ, meeting.date):
        seen.setdefault(appointment.person_id, appointment.person)
    return list(seen.values())


@transaction.atomic
def kallelse_send(*, meeting: Meeting, actor: Any) -> list[str]:
    """E-mail the kallelse (link + ICS) to every board member; returns the addresses used."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    _require_editable(meeting)
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Lägg till minst en punkt på dagordningen innan kallelsen skickas."))
    recipients = [p for p in kallelse_recipients(meeting) if p.email]
    if not recipients:
        raise ValidationError(_("Ingen i styrelsen har en e-postadress."))
    url = settings.SITE_URL + reverse("minutes:kallelse", args=[meeting.pk])
    ics = meeting_ics(meeting, url=url)
    organisation = meeting.organ.organisation
    subject = one_line(f"Kallelse: {meeting.organ}, {organisation}, {meeting.date:%Y-%m-%d}")
    when = meeting.date.strftime("%Y-%m-%d")
    if meeting.start_time:
        when += f" kl {meeting.start_time:%H.%M}"
    body = (
        f"Välkommen till {meeting.get_kind_display().lower()} med {meeting.organ}, {organisation}.\n\n"
        f"Tid: {when}\nPlats: {meeting.place_display}\n\n"
        f"{meeting.kallelse_message.strip()}\n\nDagordning:\n{_agenda_text(meeting)}\n\n"
        f"Kallelse och handlingar: {url}\n"
    )
    for person in recipients:
        mail_queue(
            to=person, subject=subject, body=body, meeting=meeting, kind=OutgoingMail.Kind.KALLELSE, actor=actor,
            attachments=[(f"sammantrade-{meeting.date:%Y-%m-%d}.ics", ics, "text/calendar; method=PUBLISH")],
        )
    meeting.kallelse_sent_at = timezone.now()
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.CALLED
    save_with_actor(meeting, actor)
    addresses = [p.email for p in recipients]
    event_record(
        verb="meeting.kallelse_sent", actor=actor, organisation=organisation, target=meeting,
        summary=f"Kallelse {meeting} till {len(addresses)} mottagare", data={"to": addresses},
    )
    return addresses


# --- attendance ----------------------------------------------------------------------------


# The chair, then the vice chair, then the others (in the order of the call list).
_CHAIR_FIRST: dict[str, int] = {Appointment.Role.CHAIR: 0, Appointment.Role.VICE_CHAIR: 1}


@transaction.atomic
def attendance_prefill(*, meeting: Meeting, actor: Any) -> list[Attendance]:
    """Fill attendance from the board on the meeting date; people already listed are kept.

    Ledamöter start as beslutande and ersättare as närvarande ersättare; the chair's and
    vice chair's roles come from their seats. The secretary from the office is added as an
    övrig deltagare. The secretary then corrects who was absent or served.
    """
    meeting = Meeting.objects.select_for_update().select_related("organ").get(pk=meeting.pk)
    _require_editable(meeting)
    existing = set(meeting.attendances.values_list("person_id", flat=True))
    has_chair = meeting.attendances.filter(function=Attendance.Function.CHAIR).exists()
    position = (meeting.attendances.aggregate(m=Max("position"))["m"] or 0)
    created: list[Attendance] = []
    appointments = sorted(
        board_on(meeting.organ, meeting.date),
        key=lambda a: (
            a.seat != Appointment.Seat.MEMBER,
            _CHAIR_FIRST.get(a.role, 2),
            a.call_order or 0,
        ),
    )
    for appointment in appointments:
        if appointment.person_id in existing:
            continue
        existing.add(appointment.person_id)
        position += 1
        function = ""
        if appointment.role == Appointment.Role.CHAIR and not has_chair:
            function = Attendance.Function.CHAIR
            has_chair = True
        elif appointment.role == Appointment.Role.VICE_CHAIR:
            function = Attendance.Function.VICE_CHAIR
        row = Attendance(
            meeting=meeting, person=appointment.person, appointment=appointment,
            role=Attendance.Role.MEMBER if appointment.seat == Appointment.Seat.MEMBER
            else Attendance.Role.SUBSTITUTE,
            function=function,
            affiliation=str(appointment.appointed_by or ""), position=position,
        )
        save_with_actor(row, actor)
        created.append(row)
    for staff in staff_on(meeting.organ.organisation_id, meeting.date):
        if staff.person_id in existing or staff.role not in {
            StaffRole.Role.SECRETARY, StaffRole.Role.DIRECTOR
        }:
            continue
        existing.add(staff.person_id)
        position += 1
        row = Attendance(
            meeting=meeting, person=staff.person, role=Attendance.Role.OTHER,
            function=Attendance.Function.SECRETARY if staff.role == StaffRole.Role.SECRETARY else "",
            role_text=staff.get_role_display().lower(), position=position,
        )
        save_with_actor(row, actor)
        created.append(row)
    _edited(meeting, actor, "attendance.prefilled")
    return created


ATTENDANCE_FIELDS = (
    "role", "function", "replacing", "role_text", "affiliation", "party", "is_remote",
    "present_from", "present_until", "from_paragraph", "until_paragraph",
)


@transaction.atomic
def attendance_set(*, meeting: Meeting, person: Person, actor: Any, **values: Any) -> Attendance:
    """Add or change one person's attendance."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(meeting)
    unknown = set(values) - set(ATTENDANCE_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    row = Attendance.objects.filter(meeting=meeting, person=person).first()
    if row is None:
        last = meeting.attendances.aggregate(m=Max("position"))["m"] or 0
        row = Attendance(meeting=meeting, person=person, position=last + 1)
        if "role" not in values:
            raise ValidationError({"role": _("Ange närvaro.")})
    for name, value in values.items():
        setattr(row, name, value if value is not None or name not in {"role_text", "affiliation", "party", "function"} else "")
    errors: dict[str, str] = {}
    if row.role != Attendance.Role.SERVING_SUBSTITUTE:
        row.replacing = None
    if row.replacing_id is not None:
        if row.replacing_id == person.pk:
            errors["replacing"] = _("En person kan inte ersätta sig själv.")
        else:
            replaced = Attendance.objects.filter(meeting=meeting, person_id=row.replacing_id).first()
            if replaced is not None and replaced.role == Attendance.Role.MEMBER and not replaced.is_partial:
                errors["replacing"] = _("%(p)s är själv beslutande hela mötet.") % {"p": replaced.person}
    if row.role == Attendance.Role.ABSENT:
        row.function = ""
        row.present_from = row.present_until = None
        row.from_paragraph = row.until_paragraph = None
        row.is_remote = False
    for name in ("from_paragraph", "until_paragraph"):
        para = getattr(row, name)
        if para is not None and para.meeting_id != meeting.pk:
            errors[name] = _("Paragrafen hör till ett annat möte.")
    if (
        row.from_paragraph is not None
        and row.until_paragraph is not None
        and row.until_paragraph.position < row.from_paragraph.position
    ):
        errors["until_paragraph"] = _("T o m-paragrafen kommer före fr o m-paragrafen.")
    if row.role == Attendance.Role.OTHER and not row.role_text and not row.affiliation:
        errors["role_text"] = _("Ange roll eller vem personen företräder.")
    if row.function == Attendance.Function.CHAIR and row.role not in Attendance.VOTING_ROLES:
        errors["function"] = _("Ordföranden måste vara beslutande.")
    if row.function == Attendance.Function.CHAIR and Attendance.objects.filter(
        meeting=meeting, function=Attendance.Function.CHAIR
    ).exclude(pk=row.pk).exists():
        errors["function"] = _("Mötet har redan en ordförande.")
    if errors:
        raise ValidationError(errors)
    save_with_actor(row, actor)
    _edited(meeting, actor, "attendance.set")
    return row


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: Any) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=attendance.meeting_id)
    _require_editable(meeting)
    _delete(attendance, actor)
    _edited(meeting, actor, "attendance.removed")


# --- quorum --------------------------------------------------------------------------------


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


# --- numbering -----------------------------------------------------------------------------


def _lock_year(organ: Organ, year: int) -> ParagraphYear:
    """Lock (creating if needed) the organ's numbering series for the year."""
    # ON CONFLICT DO NOTHING: two first-ever paragraphs of a year may race to create the row.
    ParagraphYear.objects.bulk_create([ParagraphYear(organ=organ, year=year)], ignore_conflicts=True)
    return ParagraphYear.objects.select_for_update().get(organ=organ, year=year)


@transaction.atomic
def paragraph_year_set_first_number(*, organ: Organ, year: int, first_number: int, actor: Any) -> ParagraphYear:
    """Where the year's numbering starts in this system (numbers used before it are kept)."""
    series = _lock_year(organ, year)
    if first_number < 1:
        raise ValidationError({"first_number": _("Numret måste vara minst 1.")})
    series.first_number = first_number
    save_with_actor(series, actor)
    _renumber_year(series, actor)
    return series


def _renumber_year(series: ParagraphYear, actor: Any) -> None:
    """Number the year's paragraphs gap-free in meeting order; `series` is locked by the caller.

    Meetings are ordered by date and time, paragraphs by position. A number that would change
    in justerade minutes stops everything: signed minutes keep their numbers.
    """
    paragraphs = list(
        Paragraph.objects.filter(organ_id=series.organ_id, year=series.year)
        .select_related("meeting")
        .order_by("meeting__date", "meeting__start_time", "meeting_id", "position")
    )
    changed = []
    for i, paragraph in enumerate(paragraphs):
        number = series.first_number + i
        if paragraph.number != number:
            if not paragraph.meeting.is_editable:
                raise ValidationError(
                    _("Ändringen skulle numrera om justerade paragrafer (%(label)s).")
                    % {"label": paragraph.label}
                )
            paragraph.number = number
            changed.append(paragraph)
    if changed:
        bulk_update_with_history(changed, Paragraph, ["number"], default_user=acting_user(actor))


PARAGRAPH_FIELDS = (
    "title", "dnr", "body", "stock_decision", "is_confidential", "osl_reference",
    "immediate_justering", "exp_till", "kopia_till", "handled_at", "kind",
)


def _validate_paragraph(paragraph: Paragraph) -> None:
    errors = {}
    if not _clean_text(paragraph.title):
        errors["title"] = _("Ange en rubrik.")
    if paragraph.is_confidential and not _clean_text(paragraph.osl_reference):
        errors["osl_reference"] = _("Ange sekretessbestämmelse (OSL) för en paragraf med sekretess.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def paragraph_add(
    *,
    meeting: Meeting,
    title: str,
    actor: Any,
    position: int | None = None,
    agenda_item: AgendaItem | None = None,
    clauses: Sequence[str] = (),
    **values: Any,
) -> Paragraph:
    """Add a § to the meeting (at the end unless a position is given) and number the year.

    The number is the next after the last used by the organ that year; the year lock makes
    two people adding at the same moment get consecutive numbers, never the same one.
    """
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    _require_editable(meeting)
    unknown = set(values) - set(PARAGRAPH_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Punkten hör till ett annat möte.")})
    organ = meeting.organ
    year = meeting.date.year
    series = _lock_year(organ, year)
    siblings = list(meeting.paragraphs.order_by("position"))
    last_number = (
        Paragraph.objects.filter(organ=organ, year=year).aggregate(m=Max("number"))["m"]
    )
    paragraph = Paragraph(
        meeting=meeting, organ=organ, year=year,
        number=(last_number + 1) if last_number else series.first_number,
        prefix=organ.organisation.paragraph_prefix, position=len(siblings) + 1,
        agenda_item=agenda_item, title=_clean_text(title), updated_by=acting_user(actor), **values,
    )
    _validate_paragraph(paragraph)
    save_with_actor(paragraph, actor)
    if clauses:
        clauses_set(paragraph=paragraph, clauses=clauses, actor=actor)
    if position is not None and position <= len(siblings):
        siblings.insert(max(0, position - 1), paragraph)
        _repack_positions(siblings, actor)
    _renumber_year(series, actor)
    paragraph.refresh_from_db()
    _edited(meeting, actor, "paragraph.added")
    return paragraph


@transaction.atomic
def paragraph_move(*, paragraph: Paragraph, position: int, actor: Any) -> Paragraph:
    """Move a § within its meeting; the meeting's (and later meetings') numbers follow."""
    meeting = Meeting.objects.select_related("organ").get(pk=paragraph.meeting_id)
    _require_editable(meeting)
    series = _lock_year(meeting.organ, paragraph.year)
    siblings = [p for p in meeting.paragraphs.order_by("position") if p.pk != paragraph.pk]
    position = max(1, min(position, len(siblings) + 1))
    current = Paragraph.objects.get(pk=paragraph.pk)
    siblings.insert(position - 1, current)
    _repack_positions(siblings, actor)
    _renumber_year(series, actor)
    current.refresh_from_db()
    _edited(meeting, actor, "paragraph.moved")
    return current


@transaction.atomic
def paragraph_delete(*, paragraph: Paragraph, actor: Any) -> None:
    meeting = Meeting.objects.select_related("organ").get(pk=paragraph.meeting_id)
    _require_editable(meeting)
    series = _lock_year(meeting.organ, paragraph.year)
    Attendance.objects.filter(from_paragraph=paragraph).update(from_paragraph=None)
    Attendance.objects.filter(until_paragraph=paragraph).update(until_paragraph=None)
    _delete(paragraph, actor)
    _repack_positions(list(meeting.paragraphs.order_by("position")), actor)
    _renumber_year(series, actor)
    _edited(meeting, actor, "paragraph.deleted")


class StaleParagraph(ValidationError):
    """A save based on an old version: someone else saved in between. Nothing was written."""

    def __init__(self, current: Paragraph) -> None:
        who = current.updated_by.get_full_name() or current.updated_by.get_username() if current.updated_by else _("någon annan")
        when = timezone.localtime(current.updated_at).strftime("%H.%M") if current.updated_at else ""
        message = _(
            "%(label)s har ändrats av %(who)s kl %(when)s medan du skrev. Din ändring är inte sparad. "
            "Den sparade texten är nu: %(body)s"
        ) % {"label": current.label, "who": who, "when": when, "body": current.body or _("(tom)")}
        super().__init__({"version": [message]})
        self.current = current
        self.who = who


@transaction.atomic
def paragraph_update(
    *,
    paragraph: Paragraph,
    expected_version: int,
    actor: Any,
    clauses: Sequence[str] | None = None,
    **changes: Any,
) -> Paragraph:
    """Save a § if nobody saved it since `expected_version`; otherwise refuse (StaleParagraph).

    `clauses`, when given, replaces the decision's "Att …" clauses in the same save.
    """
    current = (
        Paragraph.objects.select_for_update(of=("self",))
        .select_related("meeting", "updated_by", "organ")
        .get(pk=paragraph.pk)
    )
    _require_editable(current.meeting)
    if current.version != expected_version:
        raise StaleParagraph(current)
    unknown = set(changes) - set(PARAGRAPH_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        if isinstance(value, str) and name not in {"body"}:
            value = value.strip()
        setattr(current, name, value)
    _validate_paragraph(current)
    current.version += 1
    current.updated_by = acting_user(actor)
    save_with_actor(current, actor)
    if clauses is not None:
        clauses_set(paragraph=current, clauses=clauses, actor=actor)
    _edited(current.meeting, actor, "paragraph.updated")
    return current


def clauses_set(*, paragraph: Paragraph, clauses: Sequence[str], actor: Any) -> list[DecisionClause]:
    """Replace the decision clauses of a § (inside the caller's transaction)."""
    texts = [t for t in (_clean_text(c) for c in clauses) if t]
    existing = list(paragraph.clauses.order_by("position"))
    result = []
    for i, text in enumerate(texts, start=1):
        if i <= len(existing):
            clause = existing[i - 1]
            if clause.text != text:
                clause.text = text
                save_with_actor(clause, actor)
        else:
            clause = DecisionClause(paragraph=paragraph, position=i, text=text)
            save_with_actor(clause, actor)
        result.append(clause)
    for clause in existing[len(texts):]:
        _delete(clause, actor)
    return result


# Before the justering: the minutes may be started in any of these.
_BEFORE_JUSTERING = frozenset(
    {Meeting.Status.PLANNED, Meeting.Status.CALLED, Meeting.Status.HELD, Meeting.Status.DRAFTING}
)
STANDARD_OPENING = [
    (Paragraph.Kind.ADJUSTERS, "Val av justerare", ""),
    (Paragraph.Kind.AGENDA, "Godkännande av dagordning", Paragraph.StockDecision.AGENDA_APPROVED),
    (Paragraph.Kind.PREVIOUS, "Föregående protokoll", ""),
]
STANDARD_CLOSING = [
    (Paragraph.Kind.OTHER, "Övriga frågor", ""),
    (Paragraph.Kind.CLOSING, "Mötets avslutande", ""),
]
STANDARD_TEXT = {
    Paragraph.Kind.PREVIOUS: ["Att föregående protokoll godkänns och läggs till handlingarna."],
}
STANDARD_BODY = {
    Paragraph.Kind.CLOSING: "Ordförande tackar alla närvarande och förklarar mötet avslutat.",
}


@transaction.atomic
def minutes_start(
    *,
    meeting: Meeting,
    actor: Any,
    opening: Iterable[str] = tuple(k for k, _t, _d in STANDARD_OPENING),
    from_agenda: bool = True,
    closing: Iterable[str] = tuple(k for k, _t, _d in STANDARD_CLOSING),
) -> list[Paragraph]:
    """Start the minutes: the chosen standard paragraphs, one § per agenda item, the closing ones."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(meeting)
    if meeting.status not in _BEFORE_JUSTERING:
        raise ValidationError(_("Protokollet är redan skickat för justering."))
    opening, closing = set(opening), set(closing)
    created: list[Paragraph] = []
    if not meeting.paragraphs.exists():
        for kind, title, stock in STANDARD_OPENING:
            if kind in opening:
                created.append(paragraph_add(
                    meeting=meeting, title=title, kind=kind, stock_decision=stock,
                    clauses=STANDARD_TEXT.get(kind, ()), actor=actor,
                ))
        if from_agenda:
            for item in meeting.agenda_items.order_by("position"):
                created.append(paragraph_add(
                    meeting=meeting, title=item.title, dnr=item.dnr, agenda_item=item,
                    body=item.description, clauses=_proposal_clauses(item.proposed_decision),
                    actor=actor,
                ))
        for kind, title, stock in STANDARD_CLOSING:
            if kind in closing:
                created.append(paragraph_add(
                    meeting=meeting, title=title, kind=kind, stock_decision=stock,
                    body=STANDARD_BODY.get(kind, ""), actor=actor,
                ))
    meeting.status = Meeting.Status.DRAFTING
    meeting.minutes_started_at = meeting.minutes_started_at or timezone.now()
    save_with_actor(meeting, actor)
    event_record(
        verb="minutes.started", actor=actor, organisation=meeting.organ.organisation,
        target=meeting, summary=str(meeting),
    )
    return created


def _proposal_clauses(text: str) -> list[str]:
    """A proposed decision becomes draft clauses, one per line."""
    return [line.lstrip("-•* ").strip() for line in (text or "").splitlines() if line.strip()]


# --- votes ---------------------------------------------------------------------------------


@dataclass
class VoteOutcome:
    yes: int
    no: int
    abstain: int
    result: str
    decided_by: str


def vote_outcome(
    *, kind: str, ballots: dict[int, str], chair_id: int | None, casting_vote: str = "", lot_result: str = ""
) -> VoteOutcome:
    """Count the ballots and decide; pure so the rule can be tested on its own.

    A tie is decided by the chair's casting vote (the chair's own ja/nej unless given
    separately), except in elections and personnel matters, where lot decides.
    """
    yes = sum(1 for c in ballots.values() if c == VoteBallot.Choice.YES)
    no = sum(1 for c in ballots.values() if c == VoteBallot.Choice.NO)
    abstain = sum(1 for c in ballots.values() if c == VoteBallot.Choice.ABSTAIN)
    if yes != no:
        return VoteOutcome(yes, no, abstain, Vote.Answer.YES if yes > no else Vote.Answer.NO,
                           Vote.DecidedBy.MAJORITY)
    if yes == 0:
        raise ValidationError({"ballots": _("Ingen har röstat ja eller nej.")})
    if kind in {Vote.Kind.ELECTION, Vote.Kind.PERSONNEL}:
        if lot_result not in {Vote.Answer.YES, Vote.Answer.NO}:
            raise ValidationError(
                {"lot_result": _("Lika röstetal i val eller personalärende: lotten avgör. Ange lottens utfall.")}
            )
        return VoteOutcome(yes, no, abstain, lot_result, Vote.DecidedBy.LOT)
    casting = casting_vote or (ballots.get(chair_id, "") if chair_id else "")
    if casting not in {Vote.Answer.YES, Vote.Answer.NO}:
        raise ValidationError(
            {"casting_vote": _("Lika röstetal: ordförandens utslagsröst avgör. Ange den (ordföranden har inte röstat ja eller nej).")}
        )
    return VoteOutcome(yes, no, abstain, casting, Vote.DecidedBy.CASTING)


@transaction.atomic
def vote_record(
    *,
    paragraph: Paragraph,
    yes_text: str,
    no_text: str,
    ballots: dict[Person, str] | dict[int, str],
    actor: Any,
    kind: str = Vote.Kind.ORDINARY,
    question: str = "",
    yes_proposer: Person | None = None,
    no_proposer: Person | None = None,
    casting_vote: str = "",
    lot_result: str = "",
) -> Vote:
    """Record an omröstning: the two proposals, each member's vote and the result."""
    paragraph = Paragraph.objects.select_for_update().select_related("meeting__organ").get(pk=paragraph.pk)
    meeting = paragraph.meeting
    _require_editable(meeting)
    errors: dict[str, str] = {}
    if not _clean_text(yes_text):
        errors["yes_text"] = _("Ange förslaget som röstas med ja.")
    if not _clean_text(no_text):
        errors["no_text"] = _("Ange förslaget som röstas med nej.")
    if kind not in Vote.Kind.values:
        errors["kind"] = _("Okänt slag av omröstning.")
    by_id = {(p.pk if isinstance(p, Person) else int(p)): c for p, c in ballots.items() if c}
    if any(c not in VoteBallot.Choice.values for c in by_id.values()):
        errors["ballots"] = _("En röst är ja, nej eller avstår.")
    if errors:
        raise ValidationError(errors)
    q = meeting_quorum(meeting)[paragraph.pk]
    allowed = {p.pk for p in q.present} | {p.pk for p in q.uncertain}
    strangers = set(by_id) - allowed
    if strangers:
        names = ", ".join(str(p) for p in Person.objects.filter(pk__in=strangers))
        raise ValidationError(
            {"ballots": _("Bara beslutande som deltar i paragrafen kan rösta (inte: %(n)s).") % {"n": names}}
        )
    chair = meeting.attendances.filter(function=Attendance.Function.CHAIR).first()
    outcome = vote_outcome(
        kind=kind, ballots=by_id, chair_id=chair.person_id if chair else None,
        casting_vote=casting_vote, lot_result=lot_result,
    )
    position = (paragraph.votes.aggregate(m=Max("position"))["m"] or 0) + 1
    vote = Vote(
        paragraph=paragraph, position=position, kind=kind, question=_clean_text(question),
        casting_vote=casting_vote if outcome.decided_by == Vote.DecidedBy.CASTING else "",
        lot_result=lot_result if outcome.decided_by == Vote.DecidedBy.LOT else "",
        result=outcome.result, decided_by=outcome.decided_by,
        yes_count=outcome.yes, no_count=outcome.no, abstain_count=outcome.abstain,
    )
    if outcome.decided_by == Vote.DecidedBy.CASTING and not casting_vote:
        vote.casting_vote = outcome.result
    save_with_actor(vote, actor)
    save_with_actor(VoteProposal(vote=vote, answer=Vote.Answer.YES, text=_clean_text(yes_text), proposer=yes_proposer), actor)
    save_with_actor(VoteProposal(vote=vote, answer=Vote.Answer.NO, text=_clean_text(no_text), proposer=no_proposer), actor)
    for person_id, choice in by_id.items():
        save_with_actor(VoteBallot(vote=vote, person_id=person_id, choice=choice), actor)
    event_record(
        verb="minutes.vote", actor=actor, organisation=meeting.organ.organisation, target=vote,
        summary=f"Omröstning {paragraph.label}: {outcome.yes} ja, {outcome.no} nej, {outcome.abstain} avstår",
    )
    _edited(meeting, actor, "vote.recorded")
    return vote


@transaction.atomic
def vote_delete(*, vote: Vote, actor: Any) -> None:
    meeting = Meeting.objects.get(paragraphs__votes=vote)
    _require_editable(meeting)
    _delete(vote, actor)
    _edited(meeting, actor, "vote.deleted")


# --- reservations, notes, jäv, justerare ---------------------------------------------------


def _paragraph_for_edit(paragraph: Paragraph) -> Paragraph:
    paragraph = Paragraph.objects.select_related("meeting").get(pk=paragraph.pk)
    _require_editable(paragraph.meeting)
    return paragraph


def _must_attend(paragraph: Paragraph, person: Person, field_name: str = "person") -> None:
    if not Attendance.objects.filter(meeting_id=paragraph.meeting_id, person=person).exclude(
        role=Attendance.Role.ABSENT
    ).exists():
        raise ValidationError({field_name: _("%(p)s är inte med i närvarolistan.") % {"p": person}})


@transaction.atomic
def reservation_add(*, paragraph: Paragraph, person: Person, motivation: str = "", actor: Any) -> Reservation:
    paragraph = _paragraph_for_edit(paragraph)
    _must_attend(paragraph, person)
    if not Attendance.objects.filter(
        meeting_id=paragraph.meeting_id, person=person, role__in=Attendance.VOTING_ROLES
    ).exists():
        raise ValidationError({"person": _("Bara beslutande kan reservera sig.")})
    if Recusal.objects.filter(paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s deltar inte i paragrafen (jäv).") % {"p": person}})
    if Reservation.objects.filter(paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s har redan reserverat sig.") % {"p": person}})
    reservation = Reservation(paragraph=paragraph, person=person, motivation=motivation.strip())
    save_with_actor(reservation, actor)
    _edited(paragraph.meeting, actor, "reservation.added")
    return reservation


@transaction.atomic
def note_add(*, paragraph: Paragraph, text: str, person: Person | None = None, actor: Any) -> ProtocolNote:
    paragraph = _paragraph_for_edit(paragraph)
    if not _clean_text(text):
        raise ValidationError({"text": _("Skriv anteckningen.")})
    if person is not None:
        _must_attend(paragraph, person)
    note = ProtocolNote(paragraph=paragraph, person=person, text=text.strip())
    save_with_actor(note, actor)
    _edited(paragraph.meeting, actor, "note.added")
    return note


@transaction.atomic
def recusal_add(*, paragraph: Paragraph, person: Person, reason: str = "", actor: Any) -> Recusal:
    paragraph = _paragraph_for_edit(paragraph)
    _must_attend(paragraph, person)
    if VoteBallot.objects.filter(vote__paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s har röstat i paragrafen; ta bort omröstningen först.") % {"p": person}})
    if Recusal.objects.filter(paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s är redan anmäld som jävig.") % {"p": person}})
    recusal = Recusal(paragraph=paragraph, person=person, reason=reason.strip())
    save_with_actor(recusal, actor)
    _edited(paragraph.meeting, actor, "recusal.added")
    return recusal


@transaction.atomic
def paragraph_child_remove(*, obj: Reservation | ProtocolNote | Recusal, actor: Any) -> None:
    """Remove a reservation, note or jäv."""
    paragraph = _paragraph_for_edit(obj.paragraph)
    _delete(obj, actor)
    _edited(paragraph.meeting, actor, f"{type(obj).__name__.lower()}.removed")


@transaction.atomic
def adjusters_set(
    *, meeting: Meeting, persons: Sequence[Person], actor: Any, chosen_in: Paragraph | None = None
) -> list[MinutesAdjuster]:
    """The justerare chosen in "val av justerare"; they sign the minutes with the chair."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(meeting)
    if chosen_in is None:
        chosen_in = meeting.paragraphs.filter(kind=Paragraph.Kind.ADJUSTERS).first()
    if chosen_in is not None and chosen_in.meeting_id != meeting.pk:
        raise ValidationError({"chosen_in": _("Paragrafen hör till ett annat möte.")})
    present = dict(
        meeting.attendances.exclude(role=Attendance.Role.ABSENT).values_list("person_id", "function")
    )
    unique: list[Person] = []
    for person in persons:
        if person.pk not in present:
            raise ValidationError({"persons": _("%(p)s var inte med på mötet.") % {"p": person}})
        if present[person.pk] == Attendance.Function.CHAIR:
            raise ValidationError({"persons": _("Ordföranden justerar redan; välj någon annan.")})
        if person.pk not in {p.pk for p in unique}:
            unique.append(person)
    for old in meeting.adjusters.all():
        _delete(old, actor)
    result = []
    for i, person in enumerate(unique, start=1):
        adjuster = MinutesAdjuster(meeting=meeting, person=person, position=i, chosen_in=chosen_in)
        save_with_actor(adjuster, actor)
        result.append(adjuster)
    _edited(meeting, actor, "adjusters.set")
    return result

