"""Mitt sammanträde: the member's coming meetings, one meeting with its agenda, handlingar and
the member's private notes, a handling shown in the browser, every handling in one ZIP, and the
export of the member's notes. (A handling read in the browser is
drafting.views.agenda.document_read, beside its download.)

Whoever may see the meeting may use its room (an outsider gets 404, a visitor not logged in the
login page); the notes shown and saved are always the signed-in user's own.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from ..drafting.confidential import (
    NOT_GIVEN_OUT,
    NotWatermarkable,
    documents_for,
    opened,
    watermarked,
)
from ..drafting.handling_pdf import copies
from ..drafting.views.common import meeting_or_404, posted_id
from ..models import NOTE_MAX_LENGTH, AgendaDocument, AgendaItem, DocumentOpen
from . import services


@login_required
@require_GET
def my_room(request: HttpRequest) -> HttpResponse:
    meetings = services.coming_meetings(request.user)
    return render(request, "minutes/member/room.html", {"meetings": meetings})


@login_required
@require_GET
def room_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    last_seen = services.meeting_visited(user=request.user, meeting=meeting)
    visible = documents_for(request.user, meeting, AgendaDocument.objects.all())
    items = list(meeting.agenda_items.order_by("position").prefetch_related(Prefetch("documents", queryset=visible)))
    loose = list(visible.filter(meeting=meeting, agenda_item__isnull=True, paragraph__isnull=True).order_by("position", "pk"))
    item_notes, document_notes = services.notes_of(request.user, meeting)
    pdf_copies = copies(loose + [d for item in items for d in item.documents.all()])

    def row(d: AgendaDocument) -> dict[str, Any]:
        return {"doc": d, "new": last_seen is not None and d.uploaded_at > last_seen, "note": document_notes.get(d.pk, ""),
                "pdf": pdf_copies.get(d.pk)}

    agenda: list[dict[str, Any]] = [
        {"item": item, "note": item_notes.get(item.pk, ""), "documents": [row(d) for d in item.documents.all()]}
        for item in items
    ]
    loose_rows = [row(d) for d in loose]
    rows = loose_rows + [r for a in agenda for r in a["documents"]]
    return render(request, "minutes/member/meeting.html", {
        "meeting": meeting, "agenda": agenda, "loose_documents": loose_rows, "last_seen": last_seen,
        "new_count": sum(1 for r in rows if r["new"]), "has_files": any(r["doc"].file for r in rows),
        "note_max": NOTE_MAX_LENGTH,
    })


@login_required
@require_POST
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    item = document = None
    if "agenda_item" in request.POST:
        item = get_object_or_404(AgendaItem, pk=posted_id(request, "agenda_item"), meeting=meeting)
    elif "document" in request.POST:
        document = get_object_or_404(documents_for(request.user, meeting, meeting.documents.all()),
                                     pk=posted_id(request, "document"))
    else:
        return HttpResponse("Anteckningen måste höra till en punkt eller en handling.", status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        services.note_save(author=request.user, meeting=meeting, agenda_item=item, document=document,
                           text=request.POST.get("text", ""))
    except ValidationError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(" ".join(exc.messages), status=422, content_type="text/plain; charset=utf-8")
        messages.error(request, " ".join(exc.messages))
    else:
        if request.headers.get("HX-Request"):
            return HttpResponse("Sparad", content_type="text/plain; charset=utf-8")
        messages.success(request, "Anteckningen är sparad.")
    anchor = f"punkt-{item.pk}" if item else f"handling-{document.pk}" if document else ""
    return redirect(reverse("minutes:room_meeting", args=[meeting.pk]) + f"#{anchor}")


@login_required
@require_GET
def bundle(request: HttpRequest, pk: int) -> HttpResponse:
    """Every handling of the meeting with a file, in one ZIP, numbered in agenda order."""
    meeting = meeting_or_404(request, pk)
    documents = list(
        documents_for(request.user, meeting, meeting.documents.exclude(file="")).select_related("agenda_item")
        .order_by("agenda_item__position", "position", "pk")
    )
    if not documents:
        raise Http404
    buffer = BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, document in enumerate(documents, start=1):
            point = f"punkt-{document.agenda_item.position}-" if document.agenda_item else ""
            name = f"{number:02d}-{point}{document.download_name}".replace("/", "_")
            while name in used:
                name = "_" + name
            used.add(name)
            if document.confidential:
                try:
                    archive.writestr(name, watermarked(document, request.user))
                except NotWatermarkable:
                    archive.writestr(f"{name}.txt", NOT_GIVEN_OUT)
                    continue
                opened(document, request.user, DocumentOpen.How.BUNDLE)
                continue
            try:
                with document.file.open("rb") as source:
                    archive.writestr(name, source.read())
            except OSError:  # the storage lost it: the bundle says so instead of failing whole
                archive.writestr(f"{name}.txt", "Filen saknas i lagringen. Kontakta sekreteraren.")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    filename = f"handlingar-{slugify(meeting.organ.name)}-{meeting.date:%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def notes_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.notes_export(request.user), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mina-anteckningar.txt"'
    response["Cache-Control"] = "private, no-store"
    return response
