"""Everything that changes notices (anslag), and the anslagsbevis PDF.

- `notice_for_justering` is called by the justering when the minutes become justerade: the
  anslag is posted on the justering day unless the secretary picks a later day (at most the
  second day after the justering, KL 8 kap 12 §), stays up through the last day of appeal
  (three weeks from posting, moved off weekends and holidays, minutes/notices/legal_dates.py), and
  its anslagsbevis is issued as a sealed PDF by the Celery worker (board.documents).
- `notice_set_posting_day` moves the posting day within that same limit.
- `notice_kungorelse` announces an upcoming meeting from its kallelse; `notice_create` posts a
  delegationsbeslut or a free notice; `notice_attachment_add` attaches a file to one.

Each posting sends `minutes.signals.notice_posted` in its transaction (the public's e-mail
subscriptions record that the notice is owed to them, minutes/subscriptions/).

Whether a notice is up is never stored: see `Notice.objects.up_on(day)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from board.audit import acting_user, event_record, save_with_actor
from board.documents.models import RenderedDocument
from board.documents.pdf import render_pdf, seal_pdf
from board.documents.registry import ProducedPdf, register_producer
from board.documents.services import document_request
from board.models import Organ, Organisation, Person
from board.people import display_name

from ..drafting.selectors import paragraph_range
from ..drafting.services.uploads import validated_upload
from ..justering.selectors import justered_version, secretary_person
from ..models import Meeting, Notice, NoticeAttachment, Paragraph
from ..signals import notice_posted
from .legal_dates import last_appeal_day, validate_posting_day

CERTIFICATE_KIND = "notice.certificate"


def _responsible_name(organisation: Organisation, actor: Any, secretary: Person | None = None) -> str:
    """Who the notice names as responsible for it ("Ansvarig för anslag").

    The person the association has named, else the meeting's secretary, else the one who
    posts it. Not simply the actor: a justering is completed by whoever signs last, often a
    justerare, who is not responsible for the notice (seed 004 names the secretary).
    """
    if organisation.notice_responsible_id is not None:
        return Person.objects.get(pk=organisation.notice_responsible_id).full_name
    if secretary is not None:
        return secretary.full_name
    return display_name(acting_user(actor))


def paragraphs_label(meeting: Meeting) -> str:
    """ "NVSam §§ 54–58": the range of the meeting's paragraphs."""

    return paragraph_range(list(Paragraph.objects.filter(meeting=meeting).only("number", "prefix")))


def certificate_request(*, notice: Notice, actor: Any) -> RenderedDocument:
    """Queue the anslagsbevis of the notice's current version (after commit)."""
    return document_request(
        kind=CERTIFICATE_KIND, target=notice, version=notice.version,
        organisation=notice.organisation, actor=actor,
    )


@transaction.atomic
def notice_for_justering(
    *, meeting: Meeting, justered_on: dt.date, actor: Any, posted_on: dt.date | None = None
) -> Notice:
    """The anslag of justerade minutes; asking twice returns the one already posted.

    Call it once the meeting's status is justerat (in the same transaction is fine).
    """
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SIGNED:
        raise ValidationError(
            {"meeting": "Protokollet är inte justerat; anslaget sätts upp när justeringen är klar."}
        )
    existing = Notice.objects.filter(meeting=meeting, kind=Notice.Kind.JUSTERING).first()
    if existing is not None:
        return existing
    posted = posted_on or justered_on
    validate_posting_day(justered=justered_on, posted=posted)
    organisation = meeting.organ.organisation
    # The secretary who signed the justerade version (or, without one, the meeting's).

    secretary = secretary_person(meeting, justered_version(meeting))
    last_day = last_appeal_day(posted)
    notice = Notice(
        organisation=organisation,
        organ=meeting.organ,
        kind=Notice.Kind.JUSTERING,
        title=f"Justerat protokoll: {meeting.organ}, {organisation.short_name or organisation.name}, "
        f"sammanträde {meeting.date:%Y-%m-%d}",
        meeting=meeting,
        paragraphs=paragraphs_label(meeting),
        justered_on=justered_on,
        posted_on=posted,
        last_appeal_day=last_day,
        takedown_on=last_day,
        storage_place=organisation.storage_place,
        posted_by=acting_user(actor),
        posted_by_name=_responsible_name(organisation, actor, secretary),
    )
    save_with_actor(notice, actor)
    event_record(
        verb="notice.posted", actor=actor, organisation=organisation, target=notice,
        summary=f"Anslag {notice.posted_on:%Y-%m-%d}–{notice.takedown_on:%Y-%m-%d}: {notice.title}",
        data={"posted_on": posted.isoformat(), "last_appeal_day": last_day.isoformat()},
    )
    certificate_request(notice=notice, actor=actor)
    notice_posted.send(sender=Notice, notice=notice, actor=actor)
    return notice


@transaction.atomic
def notice_set_posting_day(*, notice: Notice, posted_on: dt.date, actor: Any) -> Notice:
    """Move the posting day of a justering or delegationsbeslut notice within the legal limit."""
    notice = Notice.objects.select_for_update().select_related("organisation").get(pk=notice.pk)
    if notice.kind == Notice.Kind.JUSTERING:
        assert notice.justered_on is not None  # the constraint notice_justering_has_meeting
        validate_posting_day(justered=notice.justered_on, posted=posted_on)
    if posted_on == notice.posted_on:
        return notice
    old = notice.posted_on
    notice.posted_on = posted_on
    if notice.last_appeal_day is not None:
        notice.last_appeal_day = last_appeal_day(posted_on)
        notice.takedown_on = notice.last_appeal_day
    elif notice.takedown_on < posted_on:
        raise ValidationError({"posted_on": "Anslaget kan inte sättas upp efter att det tas ned."})
    notice.version += 1
    save_with_actor(notice, actor)
    event_record(
        verb="notice.rescheduled", actor=actor, organisation=notice.organisation, target=notice,
        summary=f"Anslagsdag ändrad {old:%Y-%m-%d} → {posted_on:%Y-%m-%d}: {notice.title}",
        data={"from": old.isoformat(), "to": posted_on.isoformat()},
    )
    certificate_request(notice=notice, actor=actor)
    return notice


def kungorelse_body(meeting: Meeting) -> str:
    """The text of a kungörelse: organ, date, time, place and the agenda (Markdown)."""
    when = f"{meeting.date:%Y-%m-%d}"
    if meeting.start_time:
        when += f" kl. {meeting.start_time:%H.%M}"
    lines = [
        f"{meeting.organ}, {meeting.organ.organisation}, sammanträder {when}.",
        "",
        f"Plats: {meeting.place_display or 'meddelas senare'}",
        "",
        "Ärenden:",
        "",
    ]
    items = list(meeting.agenda_items.order_by("position"))
    lines += [f"{i.position}. {i.title}" for i in items] or ["Dagordningen publiceras senare."]
    return "\n".join(lines)


@transaction.atomic
def notice_kungorelse(*, meeting: Meeting, actor: Any, posted_on: dt.date | None = None) -> Notice:
    """Announce an upcoming meeting; up from posting until the day of the meeting."""
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    posted = posted_on or timezone.localdate()
    if posted > meeting.date:
        raise ValidationError({"posted_on": "Kungörelsen måste sättas upp senast sammanträdesdagen."})
    if Notice.objects.filter(meeting=meeting, kind=Notice.Kind.KUNGORELSE).exists():
        raise ValidationError({"meeting": "Sammanträdet är redan kungjort."})
    notice = Notice(
        organisation=meeting.organ.organisation,
        organ=meeting.organ,
        kind=Notice.Kind.KUNGORELSE,
        title=f"Kungörelse: {meeting.organ} sammanträder {meeting.date:%Y-%m-%d}",
        body=kungorelse_body(meeting),
        meeting=meeting,
        posted_on=posted,
        takedown_on=meeting.date,
        storage_place=meeting.organ.organisation.storage_place,
        posted_by=acting_user(actor),
        posted_by_name=_responsible_name(meeting.organ.organisation, actor),
    )
    save_with_actor(notice, actor)
    event_record(
        verb="notice.posted", actor=actor, organisation=notice.organisation, target=notice,
        summary=notice.title,
    )
    notice_posted.send(sender=Notice, notice=notice, actor=actor)
    return notice


@transaction.atomic
def notice_create(
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    posted_on: dt.date,
    actor: Any,
    body: str = "",
    organ: Organ | None = None,
    takedown_on: dt.date | None = None,
    paragraphs: str = "",
) -> Notice:
    """A delegationsbeslut notice (appealable: up through the last day of appeal) or a free one."""
    if kind not in (Notice.Kind.DELEGATION, Notice.Kind.FREE):
        raise ValidationError({"kind": "Justeringar och kungörelser skapas från sammanträdet."})
    if organ is not None and organ.organisation_id != organisation.pk:
        raise ValidationError({"organ": "Organet hör till ett annat förbund."})
    appeal = last_appeal_day(posted_on) if kind == Notice.Kind.DELEGATION else None
    if appeal is not None:
        takedown_on = max(takedown_on or appeal, appeal)
    if takedown_on is None:
        raise ValidationError({"takedown_on": "Ange när anslaget ska tas ned."})
    if takedown_on < posted_on:
        raise ValidationError({"takedown_on": "Anslaget kan inte tas ned före den dag det sätts upp."})
    notice = Notice(
        organisation=organisation, organ=organ, kind=kind, title=title.strip(), body=body.strip(),
        paragraphs=paragraphs.strip(), posted_on=posted_on, last_appeal_day=appeal,
        takedown_on=takedown_on, storage_place=organisation.storage_place,
        posted_by=acting_user(actor), posted_by_name=_responsible_name(organisation, actor),
    )
    save_with_actor(notice, actor)
    event_record(
        verb="notice.posted", actor=actor, organisation=organisation, target=notice, summary=notice.title,
    )
    if kind == Notice.Kind.DELEGATION:
        certificate_request(notice=notice, actor=actor)
    notice_posted.send(sender=Notice, notice=notice, actor=actor)
    return notice


@transaction.atomic
def notice_attachment_add(*, notice: Notice, upload: Any, actor: Any, title: str = "") -> NoticeAttachment:
    """Attach a file; its type is decided by its content (PDF, DOCX, XLSX, ODT)."""

    kind, content = validated_upload(upload)
    original = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    stem = slugify(original.rsplit(".", 1)[0])[:80] or "bilaga"
    attachment = NoticeAttachment(
        notice=notice, title=(title.strip() or original.rsplit(".", 1)[0] or "Bilaga")[:300],
        file_type=kind, original_name=original[:255], size=len(content),
    )
    attachment.file.save(f"{stem}.{kind}", ContentFile(content), save=False)
    save_with_actor(attachment, actor)
    event_record(
        verb="notice.attachment_added", actor=actor, organisation=notice.organisation, target=notice,
        summary=f"Bilaga {attachment.title}", data={"sha256": hashlib.sha256(content).hexdigest()},
    )
    return attachment


# --- the anslagsbevis ---------------------------------------------------------------------


def certificate_context(notice: Notice) -> dict[str, Any]:
    meeting = notice.meeting
    return {
        "notice": notice,
        "organisation": notice.organisation,
        "organ": notice.organ,
        "meeting": meeting,
        "appeal_text": appeal_text(notice),
    }


def appeal_text(notice: Notice) -> str:
    if notice.last_appeal_day is None:
        return ""
    # KL 13 kap. 5 §: three weeks from the announcement of the minutes' justering, or, for a
    # delegated decision not in minutes, of the decision itself (8 kap. 13 §).
    if notice.kind == Notice.Kind.JUSTERING:
        start = "den dag då anslaget om protokollets justering sattes upp på anslagstavlan"
    else:
        start = "den dag då beslutet tillkännagavs på anslagstavlan"
    return (
        "Den som är medlem i någon av förbundets medlemmar får överklaga beslutet genom "
        "laglighetsprövning hos förvaltningsrätten enligt 13 kap. kommunallagen. Överklagandet "
        f"ska ha kommit in till förvaltningsrätten inom tre veckor från {start}, det vill säga "
        f"senast {notice.last_appeal_day:%Y-%m-%d}. Skriv vilket beslut du överklagar, varför du "
        "anser att det ska upphävas och skicka överklagandet till förvaltningsrätten."
    )


def produce_certificate(document: RenderedDocument) -> ProducedPdf:
    """The sealed anslagsbevis of one version of a notice (runs in the Celery worker)."""
    notice = Notice.objects.select_related("organisation", "organ", "meeting").get(pk=document.object_id)
    html = render_to_string("public/certificate_pdf.html", certificate_context(notice))
    title = f"Anslagsbevis – {notice.title}"
    pdf = render_pdf(html, title=title)
    sealed = seal_pdf(pdf, reason="Anslagsbevis", location=notice.organisation.name)
    return ProducedPdf(
        content=sealed,
        filename=f"anslagsbevis-{notice.organisation.slug}-{notice.posted_on:%Y%m%d}-{notice.pk}-v{document.version}.pdf",
        metadata={"title": title},
    )


register_producer(CERTIFICATE_KIND, produce_certificate, label="Anslagsbevis", public=True)
