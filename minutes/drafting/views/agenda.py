"""The agenda (dagordning) and the handlingar: add, change, move and remove an item; add,
download and remove a document of the meeting, of an item or of a §."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ...models import AgendaDocument, AgendaItem, Paragraph
from .. import services
from ..forms import AgendaItemForm, DocumentForm
from ..handling_pdf import copies, needs_pdf
from .common import editor_url, form_errors, kallelse_url, meeting_or_404, posted_id, run_service
from .confidential import confidential_response


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.agenda_item_add(meeting=meeting, **form.cleaned_data, actor=request.user),
             _("Punkten är tillagd."))
    else:
        form_errors(request, form)
    return redirect(kallelse_url(meeting) + "#dagordning")


@login_required
@require_POST
def agenda_change(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    action = request.POST.get("action", "save")
    if action == "delete":
        run_service(request, lambda: services.agenda_item_delete(item=item, actor=request.user), _("Punkten är borttagen."))
    elif action in {"up", "down"}:
        target = item.position - 1 if action == "up" else item.position + 1
        run_service(request, lambda: services.agenda_item_move(item=item, position=target, actor=request.user),
             _("Punkten är flyttad."))
    else:
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            run_service(request, lambda: services.agenda_item_update(item=item, **form.cleaned_data, actor=request.user),
                 _("Punkten är sparad."))
        else:
            form_errors(request, form)
    return redirect(kallelse_url(meeting) + "#dagordning")


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    paragraph = None
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(Paragraph, pk=posted_id(request, "paragraph"), meeting=meeting)
    back = editor_url(meeting, f"p{paragraph.pk}") if paragraph else kallelse_url(meeting) + "#handlingar"
    if form.is_valid():
        run_service(request, lambda: services.document_add(
            meeting=meeting, title=form.cleaned_data["title"], upload=form.cleaned_data["file"],
            agenda_item=form.cleaned_data["agenda_item"], paragraph=paragraph,
            confidential=form.cleaned_data["confidential"], osl_reference=form.cleaned_data["osl_reference"],
            actor=request.user,
        ), _("Handlingen är tillagd."))
    else:
        form_errors(request, form)
    return redirect(back)


def _handling(request: HttpRequest, doc_pk: int, *, inline: bool) -> HttpResponseBase:
    """A handling's file to whoever may see its meeting (404 to others): with `inline`, a PDF to
    be shown in the browser (a DOCX/XLSX/ODT by its PDF copy once made), else a download. A confidential one goes through
    confidential_response (entitled readers only, watermarked, logged)."""
    document = get_object_or_404(AgendaDocument, pk=doc_pk)
    meeting = meeting_or_404(request, document.meeting_id)
    if not document.file:
        raise Http404
    if inline and needs_pdf(document):  # its PDF copy when the worker has made it, else the original
        copy = copies([document]).get(document.pk)
        if copy is not None and copy.status == copy.Status.DONE and copy.file:
            response = FileResponse(copy.file.open("rb"), filename=copy.metadata.get("filename", "handling.pdf"))
            response["Content-Type"] = "application/pdf"
            return response
    as_attachment = not (inline and document.file_type == AgendaDocument.FileType.PDF)
    if document.confidential:
        return confidential_response(request, document, meeting, as_attachment=as_attachment)
    response = FileResponse(document.file.open("rb"), as_attachment=as_attachment, filename=document.download_name)
    if not as_attachment:
        response["Content-Type"] = "application/pdf"
    return response


@login_required
def document_download(request: HttpRequest, doc_pk: int) -> HttpResponseBase:
    return _handling(request, doc_pk, inline=False)


@login_required
@require_GET
def document_read(request: HttpRequest, doc_pk: int) -> HttpResponseBase:
    """The handling in the browser (Mitt sammanträde's "Läs"): a PDF inline, another format as a download."""
    return _handling(request, doc_pk, inline=True)


@login_required
@require_POST
def document_delete(request: HttpRequest, doc_pk: int) -> HttpResponse:
    document = get_object_or_404(AgendaDocument, pk=doc_pk)
    meeting = meeting_or_404(request, document.meeting_id, edit=True)
    run_service(request, lambda: services.document_delete(document=document, actor=request.user),
         _("Handlingen är borttagen."))
    if document.paragraph_id:
        return redirect(editor_url(meeting, f"p{document.paragraph_id}"))
    return redirect(kallelse_url(meeting) + "#handlingar")
