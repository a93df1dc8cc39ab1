"""The archive delivery pages: order the year's package, follow its build, download it.

Only the association's secretary and arkivarie (and a site admin) come in: anyone else who may
see the association gets 403, an outsider 404, as the text module pages; a visitor who is not
logged in is sent to the login. The download is streamed after the same check, read through
Django's storage API.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from board.forms import add_service_errors
from board.models import Organ, Organisation
from board.permissions import Action, can, organisation_or_404

from ..models import ArchivePackage
from . import services


def _organisation_for_archive(request: HttpRequest, slug: str) -> Organisation:
    organisation = organisation_or_404(request.user, slug)
    if not services.archive_may_deliver(request.user, organisation):
        raise PermissionDenied
    return organisation


def _package_or_404(request: HttpRequest, pk: int) -> ArchivePackage:
    package = get_object_or_404(ArchivePackage.objects.select_related("organisation", "organ"), pk=pk)
    if not can(request.user, Action.VIEW, package.organisation):
        raise Http404
    if not services.archive_may_deliver(request.user, package.organisation):
        raise PermissionDenied
    return package


class ArchiveOrderForm(forms.Form):
    year = forms.TypedChoiceField(label="År", coerce=int)
    organ = forms.ModelChoiceField(
        label="Organ", queryset=Organ.objects.none(), required=False,
        empty_label="Alla förbundets organ",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        organ_field = cast(forms.ModelChoiceField, self.fields["organ"])
        year_field.choices = [(y, str(y)) for y in range(this_year, services.FIRST_YEAR - 1, -1)]
        self.fields["year"].initial = this_year - 1
        organ_field.queryset = Organ.objects.filter(organisation=organisation).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def archive_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_archive(request, slug)
    if request.method == "POST":
        form = ArchiveOrderForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                package = services.archive_request(
                    organisation=organisation, year=form.cleaned_data["year"],
                    organ=form.cleaned_data["organ"], actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Arkivpaketet är beställt och byggs i bakgrunden.")
                return redirect(package.get_absolute_url())
    else:
        form = ArchiveOrderForm(organisation=organisation)
    packages = ArchivePackage.objects.filter(organisation=organisation).select_related("organ")[:50]
    return render(request, "minutes/archive/list.html", {
        "organisation": organisation, "form": form, "packages": packages,
    })


@login_required
@require_GET
def archive_package(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package_or_404(request, pk)
    htmx = getattr(request, "htmx", None)
    template = "minutes/archive/_status.html" if htmx else "minutes/archive/package.html"
    response = render(request, template, {"package": package, "organisation": package.organisation})
    if htmx and not package.is_pending:
        response.status_code = 286  # HTMX: swap this in, then stop polling
    return response


@login_required
@require_GET
def archive_download(request: HttpRequest, pk: int, fmt: str) -> StreamingHttpResponse:
    package = _package_or_404(request, pk)
    if fmt not in ("zip", "tar") or not package.is_done or not package.file:
        raise Http404
    chunks, filename, content_type, length = services.archive_stream(package, fmt)
    services.archive_downloaded(package=package, fmt=fmt, actor=request.user)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if length is not None:
        response["Content-Length"] = str(length)
        response["X-Content-SHA256"] = package.sha256
    return response
