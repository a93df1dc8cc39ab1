"""Who a person is, the way a Swedish e-ID says it: the personal identity number (personnummer).

The number is kept on the Person (`Person.personal_identity_number`, twelve digits) so that a
signature with e-ID can be matched to the signer. It is never shown in full outside the admin:
pages and the full minutes show `mask()` (`19xxxxxx-xx34`), and no public page, public PDF,
API answer, search index or feed carries it in any form.

The levels of an electronic signature (eIDAS art. 25-26) live here, on the ground floor, because
an association chooses the lowest level its justering accepts.

`EID_SESSION_KEY` is what a session that was identified with e-ID carries (set by the e-ID
identification on the account page; read when a passkey is enrolled, whose signatures are
advanced only when it was enrolled in such a session).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

EID_SESSION_KEY = "samordna_eid_identified"


class Level(models.TextChoices):
    """eIDAS art. 25-26: a simple signature, or an advanced one that identifies the signer."""

    SIMPLE = "enkel", _("Enkel elektronisk underskrift")
    ADVANCED = "avancerad", _("Avancerad elektronisk underskrift")


LEVEL_ORDER = {Level.SIMPLE: 0, Level.ADVANCED: 1}


def level_meets(level: str, required: str) -> bool:
    """Whether a signature of `level` is enough where `required` is the lowest accepted."""
    return LEVEL_ORDER[Level(level)] >= LEVEL_ORDER[Level(required)]


def normalise(value: str) -> str:
    """A personnummer as twelve digits (YYYYMMDDNNNN), from any way people write it; or a
    ValidationError in Swedish. Samordningsnummer are accepted too (day + 60)."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = personnummer.parse(value)
    except (personnummer.PersonnummerException, ValueError, TypeError) as exc:
        raise ValidationError(
            _("Personnumret är inte giltigt. Skriv det som ÅÅÅÅMMDD-NNNN."), code="invalid"
        ) from exc
    return str(number.format(True))


def validate(value: str) -> None:
    """The model field's validator: `normalise` without the value."""
    normalise(value)


def mask(value: str) -> str:
    """`19xxxxxx-xx34`: the century and the last two digits, nothing a reader can use."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) != 12:
        return ""
    return f"{digits[:2]}xxxxxx-xx{digits[-2:]}"
