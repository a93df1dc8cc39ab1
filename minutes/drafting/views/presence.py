"""Who else has the minutes editor open (services.presence): the editor page's heartbeat."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import Paragraph
from ..services.conflicts import person_name
from ..services.presence import PAGE_ID, presence_beat, presence_leave, presence_others
from .common import meeting_or_404


@login_required
@require_POST
def editor_presence(request: HttpRequest, pk: int) -> HttpResponse:
    """POST `paragraph` (the id of the § open in the editor, or empty) every few seconds;
    `leaving=1` when the page is left; both with `page`, the editor page's own random id (or
    none). Answers the list of the others (minutes/_presence_list.html): their names and the
    §§ they are in, by label."""
    meeting = meeting_or_404(request, pk, edit=True)
    user_id: int = request.user.pk  # type: ignore[assignment]  # login_required: a saved user
    page = request.POST.get("page", "")
    if page and not PAGE_ID.fullmatch(page):
        return HttpResponseBadRequest(_("page ska vara 8–64 bokstäver (a–z, A–Z) och siffror, eller tomt."))
    if request.POST.get("leaving"):
        presence_leave(meeting_id=meeting.pk, user_id=user_id, page=page)
        return HttpResponse(status=204)
    raw = request.POST.get("paragraph", "").strip()
    try:
        paragraph_id = int(raw) if raw else None
    except ValueError:
        return HttpResponseBadRequest(_("paragraph ska vara ett paragraf-id eller tomt."))
    labels = {}
    others = presence_others(meeting_id=meeting.pk, user_id=user_id)
    wanted = {o.paragraph_id for o in others if o.paragraph_id} | ({paragraph_id} if paragraph_id else set())
    if wanted:
        labels = {
            p.pk: p for p in Paragraph.objects.filter(meeting=meeting, pk__in=wanted).only("pk", "prefix", "number", "title")
        }
    if paragraph_id not in labels:
        paragraph_id = None  # another meeting's § or one deleted since: the page, no §
    presence_beat(meeting_id=meeting.pk, user_id=user_id, name=person_name(request.user), paragraph_id=paragraph_id,
                  page=page)
    return render(request, "minutes/_presence_list.html", {
        "others": [{"name": o.name, "paragraph": labels.get(o.paragraph_id) if o.paragraph_id else None}
                   for o in others],
    })
