"""{% bankid_offered organisation as offers_bankid %}: whether the justering page offers
"Skriv under med BankID" (the association chose BankID, and this installation has BankID and
the roots its signatures are verified against)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from minutes.justering.signing.registry import offers

register = template.Library()


@register.simple_tag
def bankid_offered(organisation: Any) -> bool:
    return bool(settings.BANKID_SIGNATURE_ROOTS) and any(o.key == "bankid" for o in offers(organisation))
