"""The answer for a confidential handling: 404 to whoever is not entitled, else the copy with the
reader's name on every page, its opening logged."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from ...models import AgendaDocument, DocumentOpen, Meeting
from ..confidential import (
    NOT_GIVEN_OUT,
    NotWatermarkable,
    may_read_confidential,
    opened,
    watermarked,
)


def confidential_response(request: HttpRequest, document: AgendaDocument, meeting: Meeting, *,
                          as_attachment: bool) -> HttpResponse:
    if not may_read_confidential(request.user, meeting):
        raise Http404
    try:
        content = watermarked(document, request.user)
    except NotWatermarkable:
        return HttpResponse(NOT_GIVEN_OUT, status=409, content_type="text/plain; charset=utf-8")
    opened(document, request.user, DocumentOpen.How.DOWNLOAD if as_attachment else DocumentOpen.How.READ)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment, document.download_name) or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    return response
