"""The OIDC e-ID offers of an association, for the justering page's buttons."""

from __future__ import annotations

from typing import Any

from django import template

from minutes.justering.signing import registry

register = template.Library()


@register.simple_tag
def oidc_offers(organisation: Any) -> list[dict[str, str]]:
    """One entry per OIDC provider this association's signers may use here: provider and label."""
    return [{"provider": offer.key.removeprefix("oidc-"), "label": offer.label}
            for offer in registry.offers(organisation) if offer.family == "oidc"]
