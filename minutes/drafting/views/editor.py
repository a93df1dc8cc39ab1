"""The minutes editor and its preview, and the paragraphs (§): add, save (form POST or HTMX
autosave), move, remove."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.forms import error_texts
from board.permissions import Action, can
from board.views import history_page
from config.http import HtmxHttpRequest

from ...models import Attendance, Meeting, MinutesVersion, Paragraph, Signature, Vote
from .. import services
from ..forms import GuestForm, MinutesStartForm, NewParagraphForm, ParagraphForm
from ..rendering import body_text
from ..selectors import meeting_for, minutes_document, presence_text
from ..services.conflicts import paragraph_conflict, values_of_form
from .common import (
    candidates_for,
    editor_url,
    error_text,
    form_errors,
    meeting_or_404,
    paragraph_or_404,
    run_service,
)
from .outline import outline_answer, wants_json


def _justered(meeting: Meeting, user: Any) -> dict[str, Any]:
    """For the read-only banner of justerade minutes: when, by whom, and whether this user (the
    meeting's chair) may propose to unlock them (on the justering page)."""
    version = MinutesVersion.objects.filter(meeting=meeting, status=MinutesVersion.Status.SIGNED).first()
    signatures = list(Signature.objects.filter(version=version).select_related("person")) if version else []
    return {
        "justered_at": version.justered_at if version else None,
        "justered_by": [s.person.full_name for s in signatures],
        "may_propose_unlock": meeting.attendances.filter(
            function=Attendance.Function.CHAIR, person__user=user, person__user__isnull=False
        ).exists(),
    }


def _more_summary(p: Paragraph) -> str:
    """One line of the fields behind "Fler uppgifter" that are set."""
    parts = []
    if p.dnr:
        parts.append(f"Dnr {p.dnr}")
    if p.handled_at:
        parts.append(_("kl %(t)s") % {"t": p.handled_at.strftime("%H.%M")})
    if p.exp_till:
        parts.append(_("Exp. till %(x)s") % {"x": p.exp_till})
    if p.kopia_till:
        parts.append(_("Kopia till %(x)s") % {"x": p.kopia_till})
    if p.immediate_justering:
        parts.append(_("OJ"))
    if p.is_confidential:
        parts.append(_("Sekretess %(osl)s") % {"osl": p.osl_reference})
    return " · ".join(parts)


def saved_text(updated_at: dt.datetime | None, today: dt.date) -> str:
    """A §'s save state as the editor first shows it: "Sparad kl 14.05" today, with the date
    on an earlier day, in local time. Written here, not with the template's date filters: at
    40 §§ those were a tenth of the editor page's time (bench/editor_bench.py)."""
    if updated_at is None:
        return _("Sparad")
    local = timezone.localtime(updated_at)
    if local.date() == today:
        return _("Sparad kl %(t)s") % {"t": f"{local:%H.%M}"}
    return _("Sparad %(d)s kl %(t)s") % {"d": f"{local:%Y-%m-%d}", "t": f"{local:%H.%M}"}


def _editing(pv: Any, *, first: bool, last: bool) -> None:
    """What _paragraph_edit.html needs of one § besides its read form (attributes for the
    template, which ParagraphView does not declare)."""
    p = pv.paragraph
    pv.form = ParagraphForm(initial=ParagraphForm.initial_for(p), auto_id=f"p{p.pk}_%s")
    pv.voters = pv.quorum.present + pv.quorum.uncertain
    pv.more_summary = _more_summary(p)
    pv.is_first, pv.is_last = first, last


def _editing_context(meeting: Meeting, doc: Any) -> dict[str, Any]:
    """The choices the edit form of a § and of an attendance row offer."""
    return {
        "meeting": meeting,
        "attendees": [a.person for a in doc.attendances],
        "roles": Attendance.Role.choices,
        "functions": Attendance.Function.choices,
        "vote_kinds": Vote.Kind.choices,
        "paragraph_options": [pv.paragraph for pv in doc.paragraphs],
    }


def _opened(request: HttpRequest, name: str) -> int | None:
    """The § (?redigera=<pk>) or attendance row (?narvaro=<person>) opened by a link: the
    editor without JavaScript."""
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@login_required
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as they will print, each § in its read form; one § at a time opens in place
    (JavaScript, or ?redigera=<pk> without it). Only the opened § carries its forms: the others
    are fetched when opened (paragraph_edit_part), so the page grows with the text of the
    minutes, not with forms times people. Justerade minutes are read-only."""
    meeting = meeting_or_404(request, pk, edit=True)
    doc = minutes_document(meeting)
    editable = meeting.is_editable
    open_pk = _opened(request, "redigera") if editable else None
    open_person = _opened(request, "narvaro") if editable else None
    listed = {a.person_id for a in doc.attendances}
    candidates = [p for p in candidates_for(meeting) if p.pk not in listed]
    for a in doc.attendances:
        a.presence = presence_text(a)  # type: ignore[attr-defined]  # for the template
    last = len(doc.paragraphs) - 1
    today = timezone.localdate()
    for i, pv in enumerate(doc.paragraphs):
        pv.saved = saved_text(pv.paragraph.updated_at, today)  # type: ignore[attr-defined]  # for the template
        if pv.paragraph.pk == open_pk:
            _editing(pv, first=i == 0, last=i == last)
    return render(request, "minutes/editor.html", {
        **_editing_context(meeting, doc),
        "organisation": meeting.organ.organisation,
        "doc": doc,
        "editable": editable,
        "editor": True,
        "open_pk": open_pk,
        "open_person": open_person,
        **({} if editable else _justered(meeting, request.user)),
        "candidates": candidates,
        "adjuster_ids": {a.person_id for a in doc.adjusters},
        "new_paragraph_form": NewParagraphForm(meeting=meeting, auto_id="id_newp_%s"),
        "start_form": MinutesStartForm(auto_id="id_start_%s"),
        "guest_form": GuestForm(auto_id="id_guest_%s"),
    })


@login_required
def paragraph_edit_part(request: HttpRequest, para_pk: int) -> HttpResponse:
    """The edit form of one § (its text, decisions, handlingar, votes, jäv, reservations,
    notes), fetched by the editor's script when the § is opened; 409 once the minutes can no
    longer be changed."""
    paragraph = paragraph_or_404(request, para_pk)
    meeting = paragraph.meeting
    if not meeting.is_editable:
        return HttpResponse(_("Protokollet kan inte ändras."), status=409, content_type="text/plain; charset=utf-8")
    doc = minutes_document(meeting)
    last = len(doc.paragraphs) - 1
    for i, pv in enumerate(doc.paragraphs):
        if pv.paragraph.pk == paragraph.pk:
            _editing(pv, first=i == 0, last=i == last)
            return render(request, "minutes/_paragraph_edit.html", {**_editing_context(meeting, doc), "pv": pv})
    raise Http404


@login_required
def attendance_edit_part(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """The edit form of one row of the attendance list, fetched when its "Ändra närvaro"
    opens (its "Fr o m §" lists carry the paragraphs' numbers as they are now)."""
    meeting = meeting_or_404(request, pk, edit=True)
    if not meeting.is_editable:
        return HttpResponse(_("Protokollet kan inte ändras."), status=409, content_type="text/plain; charset=utf-8")
    doc = minutes_document(meeting)
    for a in doc.attendances:
        if a.person_id == person_pk:
            return render(request, "minutes/_attendance_edit.html", {**_editing_context(meeting, doc), "a": a})
    raise Http404


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    doc = minutes_document(meeting)
    return render(request, "minutes/preview.html", {
        "meeting": meeting, "organisation": meeting.organ.organisation, "doc": doc,
        "may_edit": can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id),
    })


@login_required
@require_POST
def paragraph_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    form = NewParagraphForm(request.POST, meeting=meeting)
    if form.is_valid():
        created: list[Paragraph] = []
        ok = run_service(request, lambda: created.append(services.paragraph_add(
            meeting=meeting, title=form.cleaned_data["title"], dnr=form.cleaned_data["dnr"],
            agenda_item=form.cleaned_data["agenda_item"], actor=request.user,
        )), _("Paragrafen är tillagd."))
        if ok:  # the new § open, to be written
            return redirect(editor_url(meeting, f"p{created[0].pk}").replace("#", f"?redigera={created[0].pk}#"))
    else:
        form_errors(request, form)
    return redirect(editor_url(meeting, "ny-paragraf"))


@login_required
@require_POST
def paragraph_save(request: HtmxHttpRequest, para_pk: int) -> HttpResponse:
    """Save a § (form POST or HTMX autosave); a stale version is refused and shown."""
    paragraph = paragraph_or_404(request, para_pk)
    form = ParagraphForm(request.POST, auto_id=f"p{paragraph.pk}_%s")
    status = 200
    context: dict[str, Any] = {"paragraph": paragraph, "form": form}
    if form.is_valid():
        try:
            saved = services.paragraph_update(
                paragraph=paragraph, expected_version=form.cleaned_data["version"],
                actor=request.user, autosave=bool(request.htmx),
                resolution=request.POST.get("resolution", ""), **form.service_kwargs(),
            )
        except services.StaleParagraph as exc:
            # Both texts side by side and the three choices; nothing is written.
            resolving = paragraph_conflict(
                current=exc.current, expected_version=form.cleaned_data["version"],
                mine=values_of_form(form.cleaned_data),
            )
            context.update(conflict=exc.current, who=resolving.who, resolving=resolving)
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
        return redirect(editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))
    return render(request, "minutes/paragraph_conflict.html", {
        **context, "meeting": paragraph.meeting, "organisation": paragraph.meeting.organ.organisation,
    }, status=status)


@login_required
@require_POST
def paragraph_move(request: HttpRequest, para_pk: int) -> HttpResponse:
    """Move a § up, down (`direction`) or to a `position` (1 = first); the numbers follow.
    A form POST is redirected back to the editor; the outline's script (Accept: JSON) gets
    outline_answer with `message`, the sentence to announce."""
    paragraph = paragraph_or_404(request, para_pk)
    meeting = paragraph.meeting
    json = wants_json(request)
    direction = request.POST.get("direction")
    try:
        target = int(request.POST["position"]) if "position" in request.POST else (
            paragraph.position - 1 if direction == "up" else paragraph.position + 1
        )
    except ValueError:
        message = _("Ange en position som ett heltal.")
        if json:
            return outline_answer(request, meeting, status=400, message=message)
        messages.error(request, message)
        return redirect(editor_url(meeting, f"p{paragraph.pk}"))
    if not json:
        run_service(request, lambda: services.paragraph_move(paragraph=paragraph, position=target, actor=request.user),
             _("Paragrafen är flyttad och numren uppdaterade."))
        return redirect(editor_url(meeting, f"p{paragraph.pk}"))
    try:
        moved = services.paragraph_move(paragraph=paragraph, position=target, actor=request.user)
    except ValidationError as exc:
        return outline_answer(request, meeting, status=409, message=error_text(exc))
    message = _("%(label)s flyttad till plats %(position)s; numren är uppdaterade.") % {
        "label": paragraph.label, "position": moved.position,
    }
    if moved.label != paragraph.label:
        message += " " + _("Den är nu %(label)s.") % {"label": moved.label}
    return outline_answer(request, meeting, moved=moved.pk, label=moved.label, position=moved.position,
                          message=message)


@login_required
@require_POST
def paragraph_delete(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = paragraph_or_404(request, para_pk)
    run_service(request, lambda: services.paragraph_delete(paragraph=paragraph, actor=request.user),
         _("Paragrafen är borttagen och numren uppdaterade."))
    return redirect(editor_url(paragraph.meeting_id, "paragrafer"))


@login_required
def paragraph_history(request: HttpRequest, para_pk: int) -> HttpResponse:
    """Who changed the § and what, newest first: explicit saves one row each, a stretch of
    typing one row (editing.save_typed). For everyone who may see the association's records."""
    paragraph = get_object_or_404(Paragraph.objects.select_related("meeting"), pk=para_pk)
    meeting = meeting_for(request.user, paragraph.meeting_id)
    return history_page(request, paragraph, title=f"Historik: {paragraph.label} {paragraph.title}".strip(),
                        back=editor_url(meeting, f"p{paragraph.pk}"), as_text={"body": body_text})
