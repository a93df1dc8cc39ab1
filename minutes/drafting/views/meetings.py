"""A user's meetings, an association's meetings and its paragraph numbering, a new meeting,
and the meeting page: details, agenda and handlingar, the kallelse and starting the minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from board.forms import add_service_errors
from board.models import Organisation
from board.permissions import Action, can, organisation_ids_for, organisation_or_404

from ...models import AgendaDocument, DocumentOpen
from .. import services
from ..confidential import documents_for
from ..forms import AgendaItemForm, DocumentForm, FirstNumberForm, MeetingForm, MinutesStartForm
from ..selectors import meetings_of, meetings_visible_to, number_range
from .common import (
    editor_url,
    error_text,
    form_errors,
    kallelse_url,
    meeting_or_404,
    posted_id,
    run_service,
)


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """Every meeting the user may see, newest first, with the associations to start from."""
    meetings = list(meetings_visible_to(request.user).order_by("-date")[:100])
    ids = organisation_ids_for(request.user, Action.VIEW)
    organisations = Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=list(ids))
    return render(request, "minutes/my_meetings.html", {
        "meetings": meetings, "organisations": organisations.order_by("name"),
    })


MEETINGS_PAGE_SIZE = 30


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug)
    may_edit = can(request.user, Action.EDIT_MINUTES, organisation)
    # A page of the newest meetings: the page costs the same after ten years as after one.
    page = Paginator(meetings_of(organisation), MEETINGS_PAGE_SIZE).get_page(request.GET.get("sida"))
    meetings: list[Any] = list(page.object_list)  # annotated with first_number, last_number
    for m in meetings:
        m.range_label = number_range(  # for the template
            organisation.paragraph_prefix, m.first_number, m.last_number
        )
    return render(request, "minutes/meeting_list.html", {
        "organisation": organisation,
        "meetings": meetings,
        "page": page,
        "may_edit": may_edit,
        "organs": list(organisation.organs.all()) if may_edit else [],
        "number_form": FirstNumberForm() if may_edit else None,
    })


@login_required
@require_POST
def paragraph_year_set(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug)
    if not can(request.user, Action.EDIT_MINUTES, organisation):
        raise PermissionDenied
    organ = get_object_or_404(organisation.organs, pk=posted_id(request, "organ"))
    form = FirstNumberForm(request.POST)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not form.is_valid() or not 1900 < year < 3000:
        messages.error(request, _("Ange år och ett paragrafnummer som är minst 1."))
    else:
        run_service(request, lambda: services.paragraph_year_set_first_number(
            organ=organ, year=year, first_number=form.cleaned_data["first_number"], actor=request.user,
        ), _("Numreringen för %(y)s börjar på § %(n)s.") % {"y": year, "n": form.cleaned_data["first_number"]})
    return redirect("minutes:meetings", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug)
    if not can(request.user, Action.EDIT_MINUTES, organisation):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sammanträdet är skapat."))
            return redirect(kallelse_url(meeting))
    return render(request, "minutes/meeting_form.html", {
        "organisation": organisation, "form": form, "meeting": None,
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def kallelse(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    may_edit = can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id)
    meeting_form = None
    if may_edit:
        initial = {f: getattr(meeting, f) for f in services.MEETING_FIELDS}
        meeting_form = MeetingForm(
            request.POST or None, initial=initial, organisation=meeting.organ.organisation, with_organ=False
        )
        if request.method == "POST" and meeting_form.is_valid():
            try:
                services.meeting_update(meeting=meeting, **meeting_form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                add_service_errors(meeting_form, exc)
            else:
                messages.success(request, _("Sammanträdet är sparat."))
                return redirect(kallelse_url(meeting))
    elif request.method == "POST":
        raise PermissionDenied
    visible = documents_for(request.user, meeting, AgendaDocument.objects.all())
    items = list(meeting.agenda_items.order_by("position").prefetch_related(Prefetch("documents", queryset=visible)))
    return render(request, "minutes/kallelse.html", {
        "meeting": meeting,
        "organisation": meeting.organ.organisation,
        "items": items,
        "loose_documents": visible.filter(meeting=meeting, agenda_item__isnull=True, paragraph__isnull=True),
        "opens": (
            DocumentOpen.objects.filter(document__meeting=meeting).select_related("document")[:200] if may_edit else []
        ),
        "may_edit": may_edit,
        "meeting_form": meeting_form,
        "agenda_form": AgendaItemForm(auto_id="id_new_%s"),
        "document_form": DocumentForm(meeting=meeting, auto_id="id_doc_%s"),
        "start_form": MinutesStartForm(auto_id="id_start_%s"),
        "recipients": services.kallelse_recipients(meeting) if may_edit else [],
    }, status=422 if meeting_form is not None and meeting_form.errors else 200)


@login_required
def kallelse_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar file, the same as the kallelse's attachment."""
    meeting = meeting_or_404(request, pk)
    response = HttpResponse(services.meeting_ics(meeting, url=request.build_absolute_uri(kallelse_url(meeting))),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sammantrade-{meeting.date:%Y-%m-%d}.ics"'
    return response


@login_required
@require_POST
def kallelse_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    try:
        sent = services.kallelse_send(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Kallelsen är skickad till %(n)s mottagare.") % {"n": len(sent)})
    return redirect(kallelse_url(meeting))


@login_required
@require_POST
def minutes_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    form = MinutesStartForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.minutes_start(meeting=meeting, actor=request.user, **form.cleaned_data),
             _("Protokollet är påbörjat."))
    else:
        form_errors(request, form)
    return redirect(editor_url(meeting))
