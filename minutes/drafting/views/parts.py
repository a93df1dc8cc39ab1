"""What is recorded on a §: votes (omröstningar), reservations, notes (anteckningar) and
recusals (jäv)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import Attendance, ProtocolNote, Recusal, Reservation, Vote
from .. import services
from ..forms import PersonTextForm, VoteForm
from .common import attendees_of, editor_url, form_errors, paragraph_or_404, run_service


@login_required
@require_POST
def vote_add(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = paragraph_or_404(request, para_pk)
    voters = list(attendees_of(paragraph.meeting).filter(
        attendances__meeting=paragraph.meeting, attendances__role__in=Attendance.VOTING_ROLES
    ))
    form = VoteForm(request.POST, voters=voters)
    if form.is_valid():
        data = form.cleaned_data
        run_service(request, lambda: services.vote_record(
            paragraph=paragraph, kind=data["kind"], question=data["question"], yes_text=data["yes_text"],
            no_text=data["no_text"], ballots=form.ballots(), casting_vote=data["casting_vote"],
            lot_result=data["lot_result"], actor=request.user,
        ), _("Omröstningen är registrerad."))
    else:
        form_errors(request, form)
    return redirect(editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


@login_required
@require_POST
def vote_delete(request: HttpRequest, vote_pk: int) -> HttpResponse:
    vote = get_object_or_404(Vote, pk=vote_pk)
    paragraph = paragraph_or_404(request, vote.paragraph_id)
    run_service(request, lambda: services.vote_delete(vote=vote, actor=request.user), _("Omröstningen är borttagen."))
    return redirect(editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


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
    paragraph = paragraph_or_404(request, para_pk)
    form = PersonTextForm(request.POST, people=attendees_of(paragraph.meeting), person_required=kind != "anteckning")
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
        run_service(request, actions[kind], _("Sparat."))
    else:
        form_errors(request, form)
    return redirect(editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))


@login_required
@require_POST
def child_delete(request: HttpRequest, kind: str, obj_pk: int) -> HttpResponse:
    if kind not in CHILD_KINDS:
        raise Http404
    # mypy joins the three model classes to Model: the object is of one of them.
    obj = cast("Reservation | ProtocolNote | Recusal", get_object_or_404(CHILD_KINDS[kind], pk=obj_pk))
    paragraph = paragraph_or_404(request, obj.paragraph_id)
    run_service(request, lambda: services.paragraph_child_remove(obj=obj, actor=request.user), _("Borttaget."))
    return redirect(editor_url(paragraph.meeting_id, f"p{paragraph.pk}"))
