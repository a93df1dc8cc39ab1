"""`{% load justering_passkey %}{% passkey_signing meeting current %}`: the justering page's
"Skriv under med passkey" where the association offers passkeys: the button when the signer
has a passkey that reaches the association's level, the reason when theirs does not, and a
link to the account page when they have none."""

from __future__ import annotations

from typing import Any

from django import template

from board.models import PasskeyCredential
from minutes.justering.passkey_views import passkey_level_refusal
from minutes.justering.signing.registry import offers

register = template.Library()


@register.inclusion_tag("minutes/justering/_passkey.html", takes_context=True)
def passkey_signing(context: template.Context, meeting: Any, version: Any) -> dict[str, Any]:
    organisation = meeting.organ.organisation
    offered = any(offer.family == "passkey" for offer in offers(organisation))
    request = context.get("request")
    passkeys = list(PasskeyCredential.objects.filter(user_id=request.user.pk)) if offered and request else []
    return {
        "offered": offered, "meeting": meeting, "version": version, "has_passkey": bool(passkeys),
        "refusal": passkey_level_refusal(organisation, passkeys) if passkeys else "",
        "password_offered": "losenord" in organisation.signing_methods,
        "csrf_token": context.get("csrf_token"), "request": request,
    }
