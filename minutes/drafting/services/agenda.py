"""The agenda (dagordning) of a meeting and its documents (handlingar).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from board.audit import acting_user, save_with_actor
from board.documents.services import document_request

from ...models import (
    AgendaDocument,
    AgendaItem,
    Meeting,
    Paragraph,
)
from ..confidential import NotWatermarkable, check_watermarkable
from ..handling_pdf import HANDLING_PDF, copies_of, needs_pdf
from .editing import clean_text, delete_row, repack_positions, require_editable, send_edited
from .uploads import validated_upload


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
    require_editable(meeting)
    if not clean_text(title):
        raise ValidationError({"title": _("Ange en rubrik.")})
    last = meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(
        meeting=meeting, position=last + 1, title=clean_text(title), dnr=clean_text(dnr),
        description=description, proposed_decision=proposed_decision, presenter=clean_text(presenter),
    )
    save_with_actor(item, actor)
    return item


AGENDA_FIELDS = ("title", "dnr", "description", "proposed_decision", "presenter")


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, actor: Any, **changes: Any) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    require_editable(item.meeting)
    for name, value in changes.items():
        if name not in AGENDA_FIELDS:
            raise ValidationError({name: _("Fältet kan inte ändras.")})
        setattr(item, name, value)
    if not clean_text(item.title):
        raise ValidationError({"title": _("Ange en rubrik.")})
    save_with_actor(item, actor)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: Any) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    require_editable(meeting)
    delete_row(item, actor)
    repack_positions(list(meeting.agenda_items.order_by("position")), actor)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, position: int, actor: Any) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    require_editable(meeting)
    items = [i for i in meeting.agenda_items.order_by("position") if i.pk != item.pk]
    position = max(1, min(position, len(items) + 1))
    items.insert(position - 1, item)
    repack_positions(items, actor)
    item.refresh_from_db()
    return item


@transaction.atomic
def document_add(
    *,
    meeting: Meeting,
    title: str,
    upload: Any = None,
    agenda_item: AgendaItem | None = None,
    paragraph: Paragraph | None = None,
    confidential: bool = False,
    osl_reference: str = "",
    actor: Any,
) -> AgendaDocument:
    """Attach a handling. With a file, its content is checked; without, it is listed by title.
    A confidential one (OSL) must be a PDF that can be watermarked with each reader's name."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Punkten hör till ett annat möte.")})
    if paragraph is not None and paragraph.meeting_id != meeting.pk:
        raise ValidationError({"paragraph": _("Paragrafen hör till ett annat möte.")})
    original = getattr(upload, "name", "") or ""
    title = clean_text(title) or original.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not title:
        raise ValidationError({"title": _("Ange en titel eller ladda upp en fil.")})
    last = meeting.documents.aggregate(m=Max("position"))["m"] or 0
    document = AgendaDocument(
        meeting=meeting, agenda_item=agenda_item, paragraph=paragraph, title=title[:300],
        position=last + 1, uploaded_by=acting_user(actor),
        confidential=bool(confidential), osl_reference=clean_text(osl_reference or "")[:120] if confidential else "",
    )
    if upload is not None:
        kind, content = validated_upload(upload)
        if confidential:
            if kind != AgendaDocument.FileType.PDF:
                raise ValidationError({"file": _(
                    "En sekretessmarkerad handling laddas upp som PDF, så att den kan vattenmärkas med läsarens namn."
                )})
            try:
                check_watermarkable(content)
            except NotWatermarkable:
                raise ValidationError({"file": _(
                    "PDF-filen går inte att vattenmärka (skadad eller krypterad). Spara den som en ny PDF och försök igen."
                )}) from None
        stem = slugify(original.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:80] or "handling"
        document.file_type = kind
        document.original_name = original[:255]
        document.size = len(content)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.file.save(f"{stem}.{kind}", ContentFile(content), save=False)
    save_with_actor(document, actor)
    if needs_pdf(document):  # a copy to read in the browser, made by the worker (handling_pdf.py)
        document_request(kind=HANDLING_PDF, target=document, version=1,
                         organisation=meeting.organ.organisation, actor=actor)
    if paragraph is not None:
        send_edited(meeting, actor, "document.added")
    return document


@transaction.atomic
def document_delete(*, document: AgendaDocument, actor: Any) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=document.meeting_id)
    require_editable(meeting)
    # The file, and the PDF copy a worker made of it (handling_pdf.py), go once the row has gone.
    pdf_copies = copies_of(document)
    files = [document.file] if document.file else []
    files += [copy.file for copy in pdf_copies if copy.file]
    stored = [(f.storage, f.name) for f in files if f.name]
    pdf_copies.delete()
    delete_row(document, actor)

    def remove_files() -> None:
        for storage, name in stored:
            storage.delete(name)

    if stored:
        transaction.on_commit(remove_files)
    send_edited(meeting, actor, "document.deleted")
