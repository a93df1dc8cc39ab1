"""Pages of issued documents: /verifiera/ (public), a document's status fragment and download.

/verifiera/ answers anyone whether a PDF (or a SHA-256) is one we issued: the file's hash
must be that of a document we stored, and its seal must validate against our certificate.
A file changed by a single byte matches no stored hash and fails the seal check, so it is
refused.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from board.permissions import Action, can

from .models import RenderedDocument
from .pdf import NOT_A_PDF, is_pdf
from .registry import WebState, web_state_for
from .services import document_may_download
from .verify import REFUSED, SHA256_RE, document_verify


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="PDF-fil",
        required=False,
        help_text="Välj den PDF du vill kontrollera. Filen sparas inte.",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    sha256 = forms.CharField(
        label="eller kontrollsumma (SHA-256)",
        required=False,
        max_length=100,
        help_text="64 tecken 0–9 och a–f, till exempel från sha256sum.",
        widget=forms.TextInput(attrs={"size": 70, "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                "Filen är för stor (högst %(max)d MB).",
                params={"max": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            )
        head = upload.read(1024)
        upload.seek(0)
        if not is_pdf(head):
            raise forms.ValidationError(NOT_A_PDF)
        return upload

    def clean_sha256(self) -> str:
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not SHA256_RE.match(value):
            raise forms.ValidationError(
                "Kontrollsumman ska vara 64 tecken lång och bestå av 0–9 och a–f."
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        if not self.errors and not cleaned.get("file") and not cleaned.get("sha256"):
            raise forms.ValidationError("Välj en PDF-fil eller ange en kontrollsumma.")
        return cleaned


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a document; nothing uploaded is kept."""
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = _check(form.cleaned_data)
    else:
        form = VerifyForm()
    # A refused document is an answer, not an error of the request: 200 either way.
    return render(request, "verify/verify.html", {"form": form, "result": result})


def _check(data: dict[str, Any]) -> dict[str, Any]:
    upload = data.get("file")
    if upload is not None:
        verification = document_verify(content=upload.read())
    else:
        verification = document_verify(sha256=data["sha256"])
    document = verification.document
    signers = verification.signers
    return {
        "by": "file" if upload is not None else "hash",
        "sha256": verification.sha256,
        "genuine": verification.genuine,
        "check": verification.check,
        "document": document,
        "target": document.target if document is not None else None,
        "signers": signers,
        "with_methods": any("method" in s for s in signers),
        "refused": REFUSED,
    }


def _document_for(request: HttpRequest, pk: int) -> RenderedDocument:
    """The document if the user may have it; 404 otherwise, so nothing leaks."""
    document = get_object_or_404(RenderedDocument.objects.select_related("organisation"), pk=pk)
    if not document_may_download(user=request.user, document=document):
        raise Http404
    return document


@require_GET
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment; HTMX polls it every two seconds while the render is pending.

    Opened directly (no HTMX), it is a small page of its own, so the status can be followed
    without JavaScript too.
    """
    document = _document_for(request, pk)
    htmx = getattr(request, "htmx", None)
    if htmx:
        back = htmx.current_url_abs_path or request.get_full_path()
        template = "documents/_status.html"
    else:
        back = request.get_full_path()
        template = "documents/status_page.html"
    response = render(request, template, {"document": document, "refresh_url": back})
    if htmx and not document.is_pending:
        response.status_code = 286  # HTMX: swap this in, then stop polling
    return response


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = _document_for(request, pk)
    if not document.is_done or not document.file:
        raise Http404
    state = web_state_for(document) if document.is_public else WebState()
    if state.withdrawn and not can(request.user, Action.VIEW, document.organisation_id):
        gone = render(request, "documents/gone.html", {"message": state.message}, status=410)
        gone["X-Robots-Tag"] = "noindex"
        return gone
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=request.GET.get("visa") != "1",
        filename=document.filename,
        content_type="application/pdf",
    )
    response["X-Content-SHA256"] = document.sha256
    if not state.indexable:
        # Only public minutes while their association lets search engines have them are
        # indexable; anything else (anslagsbevis, a signer's copy) never is.
        response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("verifiera/", verify, name="verify"),
    path("dokument/<int:pk>/status/", document_status, name="document_status"),
    path("dokument/<int:pk>/hamta/", document_download, name="document_download"),
]
