"""Protokollsutdrag: the sealed extract of one § of justerade minutes, rendered by the worker
and e-mailed to the § "Exp. till" recipients."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from board.audit import event_record
from board.documents.models import RenderedDocument
from board.documents.services import document_request
from board.formatting import one_line
from board.mail import mail_queue
from board.models import OutgoingMail, Person
from board.permissions import Action, can

from ...models import Meeting, Paragraph
from ..selectors import justered_version


def extract_request(*, paragraph: Paragraph, actor: Any) -> RenderedDocument:
    """Order the protokollsutdrag of a § of justerade minutes (rendered by the worker)."""
    meeting = paragraph.meeting
    version = justered_version(meeting)
    if meeting.status != Meeting.Status.SIGNED or version is None:
        raise ValidationError(_("Protokollsutdrag kan bara göras ur ett justerat protokoll."))
    return document_request(
        kind="minutes.extract", target=paragraph, version=version.number,
        organisation=meeting.organ.organisation, actor=actor,
    )


def exp_till_recipients(paragraph: Paragraph) -> tuple[list[str], list[str]]:
    """(addresses, names without an address) from "Exp. till": addresses or people's names."""
    addresses: list[str] = []
    unknown: list[str] = []
    for token in re.split(r"[,;\n]+", paragraph.exp_till or ""):
        token = token.strip()
        if not token:
            continue
        if "@" in token:
            addresses.append(token)
            continue
        first, _sep, last = token.rpartition(" ")
        person = Person.objects.filter(first_name__iexact=first, last_name__iexact=last).exclude(email="").first()
        if person is not None:
            addresses.append(person.email)
        else:
            unknown.append(token)
    return list(dict.fromkeys(addresses)), unknown


@transaction.atomic
def extract_send(*, paragraph: Paragraph, actor: Any) -> list[str]:
    """E-mail the sealed extract to the § "Exp. till" recipients that have an address."""
    paragraph = Paragraph.objects.select_related("meeting__organ__organisation").get(pk=paragraph.pk)
    meeting = paragraph.meeting
    if not can(actor, Action.EDIT_MINUTES, meeting.organ.organisation):
        raise PermissionDenied(_("Bara sekreteraren skickar protokollsutdrag."))
    document = extract_request(paragraph=paragraph, actor=actor)
    if not document.is_done:
        raise ValidationError(_("Utdraget skapas fortfarande; försök igen om en stund."))
    addresses, unknown = exp_till_recipients(paragraph)
    if not addresses:
        raise ValidationError({"exp_till": _("\"Exp. till\" har ingen mottagare med e-postadress.")})
    for address in addresses:
        mail_queue(
            subject=one_line(f"Protokollsutdrag {paragraph.label} {paragraph.title}"),
            body=(
                f"Protokollsutdrag ur {meeting.organ}, {meeting.organ.organisation}, "
                f"sammanträde {meeting.date:%Y-%m-%d}, {paragraph.label} {paragraph.title}.\n\n"
                f"Utdraget är förseglat; äktheten kan kontrolleras på {settings.SITE_URL}{reverse('board:verify')}\n"
            ),
            to=address, meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_EXTRACT, actor=actor,
            attachments=[document],
        )
    event_record(
        verb="justering.extract_sent", actor=actor, organisation=meeting.organ.organisation,
        target=paragraph, summary=f"Utdrag {paragraph.label} skickat till {len(addresses)} mottagare",
        data={"to": addresses, "without_address": unknown},
    )
    return addresses
