"""Pages of the minutes: meeting list, new meeting, kallelse, editor and preview.

Views are thin: find the meeting (404 to anyone who may not see it), check the right to
change (403), bind a form, call a service. Every form is a normal POST that redirects back
to the page; the paragraph form also autosaves through HTMX and then answers with a fragment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from board.forms import add_service_errors, error_texts
from board.models import Organisation, Person
from board.permissions import Action, can, organisation_ids_for, organisation_or_404
from board.selectors import board_on, staff_on
from board.services import person_create
from config.http import HtmxHttpRequest

from ..models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Meeting,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    Vote,
)
from . import services
from .forms import (
    AdjustersForm,
    AgendaItemForm,
    AttendanceForm,
    DocumentForm,
    FirstNumberForm,
    GuestForm,
    MeetingForm,
    MinutesStartForm,
    NewParagraphForm,
    ParagraphForm,
    PersonTextForm,
    VoteForm,
)
from .selectors import (
    meeting_for,
    meetings_of,
    meetings_visible_to,
    minutes_document,
    number_range,
    presence_text,
)

# --- access --------------------------------------------------------------------------------


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return organisation_or_404(request.user, slug)


def _meeting(request: HttpRequest, pk: int, *, edit: bool = False) -> Meeting:
    meeting = meeting_for(request.user, pk)
    if edit and not can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id):
        raise PermissionDenied
    return meeting


def _paragraph(request: HttpRequest, pk: int) -> Paragraph:
    paragraph = get_object_or_404(Paragraph.objects.select_related("meeting"), pk=pk)
    paragraph.meeting = _meeting(request, paragraph.meeting_id, edit=True)
    return paragraph


def _posted_id(request: HttpRequest, name: str) -> int:
    """An id from the POSTed form; 404 when it is no number (get_object_or_404 raised
    ValueError for "abc", a 500)."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Call a service; say what happened as a message. True on success."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return False
    messages.success(request, success)
    return True


def _form_errors(request: HttpRequest, form: Any) -> None:
    for text in error_texts(form):
        messages.error(request, text)


def _editor_url(meeting: Meeting | int, anchor: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return reverse("minutes:editor", args=[pk]) + (f"#{anchor}" if anchor else "")


def _kallelse_url(meeting: Meeting) -> str:
    return reverse("minutes:kallelse", args=[meeting.pk])


def _attendees(meeting: Meeting) -> QuerySet[Person]:
    return Person.objects.filter(attendances__meeting=meeting).order_by("last_name", "first_name")


def _candidates(meeting: Meeting) -> QuerySet[Person]:
    """People who may be added to the attendance: the board and the office on the day."""
    board_ids = [a.person_id for a in board_on(meeting.organ_id, meeting.date)]
    staff_ids = [s.person_id for s in staff_on(meeting.organ.organisation_id, meeting.date)]
    return Person.objects.filter(pk__in=board_ids + staff_ids).order_by("last_name", "first_name")


# --- meeting list and creation -------------------------------------------------------------


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """Every meeting the user may see, newest first, with the associations to start from."""
    meetings = list(meetings_visible_to(request.user).order_by("-date")[:100])
    ids = organisation_ids_for(request.user, Action.VIEW)
    organisations = Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=list(ids))
    return render(request, "minutes/my_meetings.html", {
        "meetings": meetings, "organisations": organisations.order_by("name"),
    })


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    may_edit = can(request.user, Action.EDIT_MINUTES, organisation)
    meetings = list(meetings_of(organisation))
    for m in meetings:
        m.range_label = number_range(  # type: ignore[attr-defined]  # for the template
            organisation.paragraph_prefix, m.first_number, m.last_number
        )
    return render(request, "minutes/meeting_list.html", {
        "organisation": organisation,
        "meetings": meetings,
        "may_edit": may_edit,
        "organs": list(organisation.organs.all()) if may_edit else [],
        "number_form": FirstNumberForm() if may_edit else None,
    })


@login_required
@require_POST
def paragraph_year_set(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    if not can(request.user, Action.EDIT_MINUTES, organisation):
        raise PermissionDenied
    organ = get_object_or_404(organisation.organs, pk=_posted_id(request, "organ"))
    form = FirstNumberForm(request.POST)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not form.is_valid() or not 1900 < year < 3000:
        messages.error(request, _("Ange år och ett paragrafnummer som är minst 1."))
    else:
        _run(request, lambda: services.paragraph_year_set_first_number(
            organ=organ, year=year, first_number=form.cleaned_data["first_number"], actor=request.user,
        ), _("Numreringen för %(y)s börjar på § %(n)s.") % {"y": year, "n": form.cleaned_data["first_number"]})
    return redirect("minutes:meetings", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
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
            return redirect(_kallelse_url(meeting))
    return render(request, "minutes/meeting_form.html", {
        "organisation": organisation, "form": form, "meeting": None,
    }, status=422 if form.errors else 200)



# --- the meeting page: details, agenda, handlingar, kallelse --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kallelse(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
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
                return redirect(_kallelse_url(meeting))
    elif request.method == "POST":
        raise PermissionDenied
    items = list(meeting.agenda_items.order_by("position").prefetch_related("documents"))
    return render(request, "minutes/kallelse.html", {
        "meeting": meeting,
        "organisation": meeting.organ.organisation,
        "items": items,
        "loose_documents": meeting.documents.filter(agenda_item__isnull=True, paragraph__isnull=True),
        "may_edit": may_edit,
        "meeting_form": meeting_form,
        "agenda_form": AgendaItemForm(auto_id="id_new_%s"),
        "document_form": DocumentForm(meeting=meeting, auto_id="id_doc_%s"),
        "start_form": MinutesStartForm(auto_id="id_start_%s"),
        "recipients": services.kallelse_recipients(meeting) if may_edit else [],
    }, status=422 if meeting_form is not None and meeting_form.errors else 200)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.agenda_item_add(meeting=meeting, **form.cleaned_data, actor=request.user),
             _("Punkten är tillagd."))
    else:
        _form_errors(request, form)
    return redirect(_kallelse_url(meeting) + "#dagordning")


@login_required
@require_POST
def agenda_change(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    action = request.POST.get("action", "save")
    if action == "delete":
        _run(request, lambda: services.agenda_item_delete(item=item, actor=request.user), _("Punkten är borttagen."))
    elif action in {"up", "down"}:
        target = item.position - 1 if action == "up" else item.position + 1
        _run(request, lambda: services.agenda_item_move(item=item, position=target, actor=request.user),
             _("Punkten är flyttad."))
    else:
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            _run(request, lambda: services.agenda_item_update(item=item, **form.cleaned_data, actor=request.user),
                 _("Punkten är sparad."))
        else:
            _form_errors(request, form)
    return redirect(_kallelse_url(meeting) + "#dagordning")


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    paragraph = None
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(Paragraph, pk=_posted_id(request, "paragraph"), meeting=meeting)
    back = _editor_url(meeting, f"p{paragraph.pk}") if paragraph else _kallelse_url(meeting) + "#handlingar"
    if form.is_valid():
        _run(request, lambda: services.document_add(
            meeting=meeting, title=form.cleaned_data["title"], upload=form.cleaned_data["file"],
            agenda_item=form.cleaned_data["agenda_item"], paragraph=paragraph, actor=request.user,
        ), _("Handlingen är tillagd."))
    else:
        _form_errors(request, form)
    return redirect(back)


@login_required
def document_download(request: HttpRequest, doc_pk: int) -> FileResponse:
    document = get_object_or_404(AgendaDocument, pk=doc_pk)
    _meeting(request, document.meeting_id)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True,
        # The file is set (checked above), so it has a name.
        filename=document.original_name or cast(str, document.file.name).rsplit("/", 1)[-1],
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, doc_pk: int) -> HttpResponse:
    document = get_object_or_404(AgendaDocument, pk=doc_pk)
    meeting = _meeting(request, document.meeting_id, edit=True)
    _run(request, lambda: services.document_delete(document=document, actor=request.user),
         _("Handlingen är borttagen."))
    if document.paragraph_id:
        return redirect(_editor_url(meeting, f"p{document.paragraph_id}"))
    return redirect(_kallelse_url(meeting) + "#handlingar")


@login_required
def kallelse_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar file, the same as the kallelse's attachment."""
    meeting = _meeting(request, pk)
    response = HttpResponse(services.meeting_ics(meeting, url=request.build_absolute_uri(_kallelse_url(meeting))),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sammantrade-{meeting.date:%Y-%m-%d}.ics"'
    return response


@login_required
@require_POST
def kallelse_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    try:
        sent = services.kallelse_send(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Kallelsen är skickad till %(n)s mottagare.") % {"n": len(sent)})
    return redirect(_kallelse_url(meeting))


@login_required
@require_POST
def minutes_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    form = MinutesStartForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.minutes_start(meeting=meeting, actor=request.user, **form.cleaned_data),
             _("Protokollet är påbörjat."))
    else:
        _form_errors(request, form)
    return redirect(_editor_url(meeting))


# --- the editor ----------------------------------------------------------------------------


@login_required
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    doc = minutes_document(meeting)
    attendees = [a.person for a in doc.attendances]
    listed = {a.person_id for a in doc.attendances}
    candidates = [p for p in _candidates(meeting) if p.pk not in listed]
    for a in doc.attendances:
        a.presence = presence_text(a)  # type: ignore[attr-defined]  # for the template
    for pv in doc.paragraphs:
        # Attributes for the template, which ParagraphView does not declare.
        pv.form = ParagraphForm(  # type: ignore[attr-defined]
            initial=ParagraphForm.initial_for(pv.paragraph), auto_id=f"p{pv.paragraph.pk}_%s"
        )
        pv.voters = pv.quorum.present + pv.quorum.uncertain  # type: ignore[attr-defined]
    return render(request, "minutes/editor.html", {
        "meeting": meeting,
        "organisation": meeting.organ.organisation,
        "doc": doc,
        "attendees": attendees,
        "candidates": candidates,
        "roles": Attendance.Role.choices,
        "functions": Attendance.Function.choices,
        "stock_decisions": Paragraph.StockDecision.choices,
        "vote_kinds": Vote.Kind.choices,
        "adjuster_ids": {a.person_id for a in doc.adjusters},
        "new_paragraph_form": NewParagraphForm(meeting=meeting, auto_id="id_newp_%s"),
        "start_form": MinutesStartForm(auto_id="id_start_%s"),
        "guest_form": GuestForm(auto_id="id_guest_%s"),
        "paragraph_options": [pv.paragraph for pv in doc.paragraphs],
    })


@login_required
@require_POST
def attendance_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    _run(request, lambda: services.attendance_prefill(meeting=meeting, actor=request.user),
         _("Närvarolistan är hämtad från styrelsen."))
    return redirect(_editor_url(meeting, "narvaro"))


@login_required
@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    people = _attendees(meeting) | _candidates(meeting)
    form = AttendanceForm(request.POST, meeting=meeting, people=people.distinct())
    if request.POST.get("action") == "remove":
        row = get_object_or_404(Attendance, meeting=meeting, person_id=_posted_id(request, "person"))
        _run(request, lambda: services.attendance_remove(attendance=row, actor=request.user),
             _("%(p)s är borttagen ur närvarolistan.") % {"p": row.person})
        return redirect(_editor_url(meeting, "narvaro"))
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        _run(request, lambda: services.attendance_set(meeting=meeting, person=person, actor=request.user, **data),
             _("Närvaron för %(p)s är sparad.") % {"p": person})
        return redirect(_editor_url(meeting, f"a{person.pk}"))
    _form_errors(request, form)
    return redirect(_editor_url(meeting, "narvaro"))


@login_required
@require_POST
def attendance_guest(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    form = GuestForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_editor_url(meeting, "narvaro"))
    data = form.cleaned_data

    def add() -> None:
        person = person_create(first_name=data["first_name"], last_name=data["last_name"], actor=request.user)
        services.attendance_set(
            meeting=meeting, person=person, role=Attendance.Role.OTHER, role_text=data["role_text"],
            affiliation=data["affiliation"], actor=request.user,
        )

    _run(request, add, _("Deltagaren är tillagd."))
    return redirect(_editor_url(meeting, "narvaro"))


@login_required
@require_POST
def adjusters_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    form = AdjustersForm(request.POST, people=_attendees(meeting))
    if form.is_valid():
        _run(request, lambda: services.adjusters_set(
            meeting=meeting, persons=list(form.cleaned_data["persons"]), actor=request.user
        ), _("Justerarna är sparade."))
    else:
        _form_errors(request, form)
    return redirect(_editor_url(meeting, "justerare"))


@login_required
@require_POST
def paragraph_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, edit=True)
    form = NewParagraphForm(request.POST, meeting=meeting)
    if form.is_valid():
        created: list[Paragraph] = []
        ok = _run(request, lambda: created.append(services.paragraph_add(
            meeting=meeting, title=form.cleaned_data["title"], dnr=form.cleaned_data["dnr"],
            agenda_item=form.cleaned_data["agenda_item"], actor=request.user,
        )), _("Paragrafen är tillagd."))
        if ok:
            return redirect(_editor_url(meeting, f"p{created[0].pk}"))
    else:
        _form_errors(request, form)
    return redirect(_editor_url(meeting, "ny-paragraf"))


@login_required
@require_POST
def paragraph_save(request: HtmxHttpRequest, para_pk: int) -> HttpResponse:
    """Save a § (form POST or HTMX autosave); a stale version is refused and shown."""
    paragraph = _paragraph(request, para_pk)
    form = ParagraphForm(request.POST, auto_id=f"p{paragraph.pk}_%s")
    status = 200
    context: dict[str, Any] = {"paragraph": paragraph, "form": form}
    if form.is_valid():
        try:
            saved = services.paragraph_update(
                paragraph=paragraph, expected_version=form.cleaned_data["version"],
                actor=request.user, autosave=bool(request.htmx), **form.service_kwargs(),
            )
        except services.StaleParagraph as exc:
            context.update(conflict=exc.current, who=exc.who)
            status = 409
        except ValidationError as exc:
            context["errors"] = exc.messages
            status = 422
        else:
            context["saved"] = saved
    else:
        context["errors"] = error_texts(form)
        status = 422
    if request.htmx:
        # htmx swaps only 2xx answers; the fragment itself says what went wrong.
        return render(request, "minutes/_paragraph_status.html", context)
    if status == 200:
        messages.success(request, _("%(label)s är sparad.") % {"label": context["saved"].label})
        return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))
    return render(request, "minutes/paragraph_conflict.html", {
        **context, "meeting": paragraph.meeting, "organisation": paragraph.meeting.organ.organisation,
    }, status=status)


@login_required
@require_POST
def paragraph_move(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = _paragraph(request, para_pk)
    direction = request.POST.get("direction")
    try:
        target = int(request.POST["position"]) if "position" in request.POST else (
            paragraph.position - 1 if direction == "up" else paragraph.position + 1
        )
    except ValueError:
        messages.error(request, _("Ange en position som ett heltal."))
        return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))
    _run(request, lambda: services.paragraph_move(paragraph=paragraph, position=target, actor=request.user),
         _("Paragrafen är flyttad och numren uppdaterade."))
    return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


@login_required
@require_POST
def paragraph_delete(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = _paragraph(request, para_pk)
    _run(request, lambda: services.paragraph_delete(paragraph=paragraph, actor=request.user),
         _("Paragrafen är borttagen och numren uppdaterade."))
    return redirect(_editor_url(paragraph.meeting_id, "paragrafer"))


@login_required
@require_POST
def vote_add(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = _paragraph(request, para_pk)
    voters = list(_attendees(paragraph.meeting).filter(
        attendances__meeting=paragraph.meeting, attendances__role__in=Attendance.VOTING_ROLES
    ))
    form = VoteForm(request.POST, voters=voters)
    if form.is_valid():
        data = form.cleaned_data
        _run(request, lambda: services.vote_record(
            paragraph=paragraph, kind=data["kind"], question=data["question"], yes_text=data["yes_text"],
            no_text=data["no_text"], ballots=form.ballots(), casting_vote=data["casting_vote"],
            lot_result=data["lot_result"], actor=request.user,
        ), _("Omröstningen är registrerad."))
    else:
        _form_errors(request, form)
    return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


@login_required
@require_POST
def vote_delete(request: HttpRequest, vote_pk: int) -> HttpResponse:
    vote = get_object_or_404(Vote, pk=vote_pk)
    paragraph = _paragraph(request, vote.paragraph_id)
    _run(request, lambda: services.vote_delete(vote=vote, actor=request.user), _("Omröstningen är borttagen."))
    return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


CHILD_KINDS: dict[str, type[Reservation | ProtocolNote | Recusal]] = {
    "reservation": Reservation,
    "anteckning": ProtocolNote,
    "jav": Recusal,
}


@login_required
@require_POST
def child_add(request: HttpRequest, para_pk: int, kind: str) -> HttpResponse:
    if kind not in CHILD_KINDS:
        raise Http404
    paragraph = _paragraph(request, para_pk)
    form = PersonTextForm(request.POST, people=_attendees(paragraph.meeting), person_required=kind != "anteckning")
    if form.is_valid():
        person, text = form.cleaned_data["person"], form.cleaned_data["text"]
        actions: dict[str, Callable[[], Any]] = {
            "reservation": lambda: services.reservation_add(
                paragraph=paragraph, person=person, motivation=text, actor=request.user),
            "anteckning": lambda: services.note_add(
                paragraph=paragraph, person=person, text=text, actor=request.user),
            "jav": lambda: services.recusal_add(
                paragraph=paragraph, person=person, reason=text, actor=request.user),
        }
        _run(request, actions[kind], _("Sparat."))
    else:
        _form_errors(request, form)
    return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


@login_required
@require_POST
def child_delete(request: HttpRequest, kind: str, obj_pk: int) -> HttpResponse:
    if kind not in CHILD_KINDS:
        raise Http404
    # mypy joins the three model classes to Model: the object is of one of them.
    obj = cast("Reservation | ProtocolNote | Recusal", get_object_or_404(CHILD_KINDS[kind], pk=obj_pk))
    paragraph = _paragraph(request, obj.paragraph_id)
    _run(request, lambda: services.paragraph_child_remove(obj=obj, actor=request.user), _("Borttaget."))
    return redirect(_editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


# --- preview -------------------------------------------------------------------------------


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    doc = minutes_document(meeting)
    return render(request, "minutes/preview.html", {
        "meeting": meeting, "organisation": meeting.organ.organisation, "doc": doc,
        "may_edit": can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id),
    })
