"""Confidential handlingar (sekretess under OSL): who may read them, the copy each reader gets
with their name on every page, and the log of every opening for the secretary.

Entitled are those who prepare the meeting (whoever may edit the association's minutes) and the
members of the meeting's organ: a ledamot or ersättare whose seat covers the meeting's day.
Anyone else who may see the meeting (an auditor, a member of another organ, the arkivarie) sees
neither the handling nor its title, and its address answers 404 to them as to an outsider.
"""

from __future__ import annotations

import io
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from pypdf import PdfReader, PdfWriter, Transformation

from board.models import Appointment
from board.people import display_name
from board.permissions import Action, can

from ..models import AgendaDocument, DocumentOpen, Meeting

NOT_GIVEN_OUT = "Handlingen kunde inte vattenmärkas och lämnas därför inte ut. Kontakta sekreteraren."


class NotWatermarkable(Exception):
    """The PDF cannot be read or written by pypdf (damaged, encrypted)."""


def may_read_confidential(user: Any, meeting: Meeting) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if can(user, Action.EDIT_MINUTES, meeting.organ.organisation_id):
        return True
    person = getattr(user, "person", None)
    if person is None:
        return False
    return Appointment.objects.filter(person=person, organ_id=meeting.organ_id).active_on(meeting.date).exists()


def documents_for(user: Any, meeting: Meeting, documents: QuerySet[AgendaDocument]) -> QuerySet[AgendaDocument]:
    """The documents of the meeting the user may know of."""
    return documents if may_read_confidential(user, meeting) else documents.filter(confidential=False)


def check_watermarkable(content: bytes) -> None:
    """Raise NotWatermarkable unless pypdf can stamp every page of this PDF."""
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted or not reader.pages:
            raise NotWatermarkable
        for page in reader.pages:
            page.mediabox  # noqa: B018 - every page must have its box
    except NotWatermarkable:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise NotWatermarkable from exc


def _stamp(text: str, name: str) -> bytes:
    """One A4 page with the reader's line at the foot and their name across the page."""
    from board.documents.pdf import render_pdf

    html = (
        "<html><head><style>@page{size:A4;margin:0}body{margin:0;font-family:sans-serif}"
        ".foot{position:absolute;left:12mm;right:12mm;bottom:6mm;font-size:8pt;color:#a00000}"
        ".across{position:absolute;top:130mm;left:0;right:0;text-align:center;font-size:26pt;color:#a00000;"
        "opacity:0.18;transform:rotate(-35deg)}</style></head><body>"
        f'<div class="across">{escape(name)}</div><div class="foot">{escape(text)}</div></body></html>'
    )
    return render_pdf(html, title="Vattenmärke")


def watermarked(document: AgendaDocument, user: Any) -> bytes:
    """The handling's PDF with the reader's name and the time on every page."""
    reason = f" ({document.osl_reference})" if document.osl_reference else ""
    name = display_name(user)
    text = f"Sekretessmarkerad handling{reason}. Utlämnad till {name} {timezone.localtime():%Y-%m-%d %H:%M}."
    try:
        with document.file.open("rb") as source:  # a file the storage lost is not given out either
            content = source.read()
        stamp = PdfReader(io.BytesIO(_stamp(text, name))).pages[0]
        writer = PdfWriter(clone_from=io.BytesIO(content))
        for page in writer.pages:
            box = page.mediabox
            sx, sy = float(box.width) / float(stamp.mediabox.width), float(box.height) / float(stamp.mediabox.height)
            page.merge_transformed_page(
                stamp, Transformation().scale(sx, sy).translate(float(box.left), float(box.bottom)), over=True,
            )
        writer.add_metadata({"/Title": document.title, "/Subject": text})
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:
        raise NotWatermarkable from exc
    return out.getvalue()


def opened(document: AgendaDocument, user: Any, how: str) -> None:
    DocumentOpen.objects.create(document=document, user=user, reader=display_name(user)[:300], how=how)
