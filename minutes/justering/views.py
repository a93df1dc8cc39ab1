"""Pages of the justering: the justering page (read, comment, sign, decline, documents), the
history of versions, signatures and unlocks, and the forms that call minutes.justering.

Thin views: the meeting lookup answers 404 to anyone who may not see it; a service's
PermissionDenied is a 403, its ValidationError a message on the page (in Swedish).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from board.documents.models import RenderedDocument
from board.documents.services import BROKER_UNREACHABLE
from board.permissions import Action, can
from board.selectors import totp_devices

from ..drafting.selectors import minutes_document
from ..models import Meeting, MinutesUnlock, MinutesVersion, Paragraph, Signature
from ..projection import identity_number_warnings
from . import rules, services
from .oidc_views import allow_oidc_forms
from .selectors import meeting_for_justering as meeting_for
from .selectors import signer_role


def _page(meeting: Meeting | int, anchor: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return reverse("minutes:justering", args=[pk]) + (f"#{anchor}" if anchor else "")


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _documents(meeting: Meeting, version: MinutesVersion | None) -> list[RenderedDocument]:
    if version is None:
        return []
    return list(
        RenderedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk,
            version=version.number, kind__in=["minutes.full", "minutes.public"],
        ).order_by("kind")
    )


def _extracts(meeting: Meeting, version: MinutesVersion | None) -> dict[int, RenderedDocument]:
    if version is None:
        return {}
    rows = RenderedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Paragraph),
        object_id__in=meeting.paragraphs.values_list("pk", flat=True),
        version=version.number, kind="minutes.extract",
    )
    return {row.object_id: row for row in rows}


@login_required
@require_GET
@allow_oidc_forms
def justering_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    organisation = meeting.organ.organisation
    doc = minutes_document(meeting)
    versions = list(meeting.versions.order_by("-number"))
    current = next((v for v in versions if v.status == MinutesVersion.Status.CURRENT), None)
    justered = next((v for v in versions if v.status == MinutesVersion.Status.SIGNED), None)
    shown = current or justered
    signatures = list(shown.signatures.select_related("person")) if shown else []
    signed_ids = {s.person_id for s in signatures}
    my_role = signer_role(shown, request.user) if shown else None
    person = getattr(request.user, "person", None)
    signers = [
        {
            **s,
            "role_label": Signature.Role(s["role"]).label,
            "signature": next((x for x in signatures if x.person_id == s["person_id"]), None),
        }
        for s in (shown.snapshot.get("signers", []) if shown else [])
    ]
    extracts = _extracts(meeting, justered)
    for pv in doc.paragraphs:
        pv.extract = extracts.get(pv.paragraph.pk)  # type: ignore[attr-defined]  # for the template
    pending_unlock = meeting.unlocks.filter(status=MinutesUnlock.Status.PROPOSED).select_related("chair").first()
    has_totp = bool(totp_devices(request.user))
    may_edit = can(request.user, Action.EDIT_MINUTES, organisation)
    may_send = may_edit and meeting.status in (Meeting.Status.HELD, Meeting.Status.DRAFTING)
    return render(request, "minutes/justering/page.html", {
        "meeting": meeting,
        "organisation": organisation,
        "doc": doc,
        "deadline": rules.deadline_for(meeting),
        "current": current,
        "justered": justered,
        "shown": shown,
        "signers": signers,
        "comments": list(meeting.justering_comments.select_related("version").order_by("-created_at")),
        "may_edit": may_edit,
        # Personal identity numbers in what will be public: named before the minutes are sent,
        # while the secretary can still take them out (the public side masks them anyway).
        "identity_warnings": identity_number_warnings(
            rules.minutes_snapshot(doc, rules.required_signers(doc))) if may_send else [],
        "may_sign": bool(
            current and my_role and meeting.status == Meeting.Status.JUSTERING
            and person is not None and person.pk not in signed_ids
        ),
        "is_signer": bool(current and my_role and meeting.status == Meeting.Status.JUSTERING),
        # The role in words ("ordförande"), never its key ("ordforande").
        "my_role_label": Signature.Role(my_role).label if my_role else "",
        "has_totp": has_totp,
        "needs_totp": organisation.require_totp or has_totp,
        "documents": _documents(meeting, justered),
        "pending_unlock": pending_unlock,
        "may_propose_unlock": meeting.status == Meeting.Status.SIGNED and person is not None
        and person.pk in rules.chair_ids(meeting) and pending_unlock is None,
        "may_confirm_unlock": pending_unlock is not None and person is not None
        and person.pk != pending_unlock.chair_id and person.pk in rules.member_ids(meeting),
    })


@login_required
@require_GET
def justering_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    versions = list(
        meeting.versions.order_by("-number").prefetch_related("signatures__person", "declines__person")
    )
    return render(request, "minutes/justering/history.html", {
        "meeting": meeting,
        "organisation": meeting.organ.organisation,
        "versions": versions,
        "unlocks": list(meeting.unlocks.select_related("chair", "second", "from_version", "to_version")),
        "comments": list(meeting.justering_comments.select_related("version").order_by("created_at")),
    })


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    if _run(request, lambda: services.minutes_send_for_justering(meeting=meeting, actor=request.user),
            "Protokollet är skickat för justering."):
        version = meeting.versions.filter(status=MinutesVersion.Status.CURRENT).first()
        for where, number in identity_number_warnings(version.snapshot if version else {}):
            messages.warning(request, IDENTITY_WARNING.format(where=where, number=number))
    return redirect(_page(meeting))


IDENTITY_WARNING = ("{where} innehåller något som ser ut som ett personnummer eller samordningsnummer ({number}). "
                    "I den offentliga versionen ersätts det med ÅÅMMDD-XXXX, men det står kvar i protokollet.")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    paragraph = None
    if request.POST.get("paragraph"):
        try:
            paragraph = Paragraph.objects.filter(meeting=meeting, pk=int(request.POST["paragraph"])).first()
        except ValueError:
            paragraph = None
        if paragraph is None:
            messages.error(request, "Välj en paragraf i det här protokollet.")
            return redirect(_page(meeting, "kommentera"))
    _run(request, lambda: services.justering_comment_add(
        meeting=meeting, paragraph=paragraph, text=request.POST.get("text", ""), actor=request.user),
        "Kommentaren är skickad till sekreteraren.")
    return redirect(_page(meeting, "kommentarer"))


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    try:
        version_number = int(request.POST.get("version", ""))
    except ValueError:
        version_number = None
    ok = _run(request, lambda: services.justering_sign(
        meeting=meeting, actor=request.user, password=request.POST.get("password", ""), request=request,
        totp_code=request.POST.get("totp_code", ""), version_number=version_number),
        "Du har skrivit under protokollet.")
    return redirect(_page(meeting, "" if ok else "skriv-under"))


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    _run(request, lambda: services.justering_decline(
        meeting=meeting, reason=request.POST.get("reason", ""), actor=request.user),
        "Du har avböjt att justera. Protokollet är tillbaka hos sekreteraren.")
    return redirect(_page(meeting))


@login_required
@require_POST
def unlock_propose(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    _run(request, lambda: services.unlock_propose(
        meeting=meeting, reason=request.POST.get("reason", ""), actor=request.user),
        "Förslaget om upplåsning väntar på att en ledamot bekräftar det.")
    return redirect(_page(meeting, "upplasning"))


@login_required
@require_POST
def unlock_confirm(request: HttpRequest, pk: int, unlock_pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    unlock = get_object_or_404(MinutesUnlock, pk=unlock_pk, meeting=meeting)
    _run(request, lambda: services.unlock_confirm(unlock=unlock, actor=request.user),
         "Protokollet är upplåst och kan rättas av sekreteraren.")
    return redirect(_page(meeting))


def _paragraph(request: HttpRequest, para_pk: int) -> Paragraph:
    paragraph = get_object_or_404(Paragraph.objects.select_related("meeting"), pk=para_pk)
    paragraph.meeting = meeting_for(request.user, paragraph.meeting_id)
    return paragraph


@login_required
@require_POST
def extract_request(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = _paragraph(request, para_pk)
    try:
        document = services.extract_request(paragraph=paragraph, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if document.broker_unreachable:
            messages.warning(request, f"Protokollsutdraget för {paragraph.label} är beställt. {BROKER_UNREACHABLE}")
        else:
            messages.success(request, f"Protokollsutdraget för {paragraph.label} skapas.")
    return redirect(_page(paragraph.meeting_id, f"utdrag-{paragraph.pk}"))


@login_required
@require_POST
def extract_send(request: HttpRequest, para_pk: int) -> HttpResponse:
    paragraph = _paragraph(request, para_pk)
    if not can(request.user, Action.EDIT_MINUTES, paragraph.meeting.organ.organisation_id):
        raise Http404
    sent: list[str] = []
    ok = _run(request, lambda: sent.extend(services.extract_send(paragraph=paragraph, actor=request.user)),
              f"Protokollsutdraget för {paragraph.label} är skickat.")
    if ok:
        messages.info(request, "Mottagare: " + ", ".join(sent))
    return redirect(_page(paragraph.meeting_id, f"utdrag-{paragraph.pk}"))
