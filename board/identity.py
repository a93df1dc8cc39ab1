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

import re

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


# --- numbers in free text -------------------------------------------------------------------
# A personnummer or samordningsnummer as people type it in running text: YYMMDD or YYYYMMDD,
# then the four last digits, with a "-" or "+" between them or nothing; not part of a longer
# run of digits or letters (so a diarienummer "2023/0145", a sum "147 424 kr", a phone number
# "070-123 45 67" or a hex checksum is never a candidate). A candidate is a number only when
# `personnummer.parse` accepts it: a real date (a samordningsnummer's day + 60) and the Luhn
# check digit, the one check of the product (`normalise` uses the same library).
# The pattern starts with the digit (the "not after a digit or letter" test is a look back from
# it), so the regex engine skips to the next digit instead of trying every position: five times
# faster over a whole public page (every public answer is masked), with the same matches.
IDENTITY_CANDIDATE = re.compile(r"(\d(?<![0-9A-Za-z]\d)(?:\d{7}|\d{5}))([-+]?)(\d{4})(?![0-9A-Za-z])")
# What stands in a public text where a number was: the form, none of the digits.
IDENTITY_MASK_SHORT = "ÅÅMMDD-XXXX"
IDENTITY_MASK_LONG = "ÅÅÅÅMMDD-XXXX"


def _is_identity_number(candidate: str) -> bool:
    try:
        personnummer.parse(candidate)
    except (personnummer.PersonnummerException, ValueError, TypeError):
        return False
    return True


def identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in `text`, as written there."""
    if not text:
        return []
    return [m.group(0) for m in IDENTITY_CANDIDATE.finditer(text) if _is_identity_number(m.group(0))]


def _mask_match(match: re.Match[str]) -> str:
    if not _is_identity_number(match.group(0)):
        return match.group(0)
    return IDENTITY_MASK_LONG if len(match.group(1)) == 8 else IDENTITY_MASK_SHORT


def mask_identity_numbers(text: str) -> str:
    """`text` with every personnummer and samordningsnummer in it replaced by its form
    (ÅÅMMDD-XXXX or ÅÅÅÅMMDD-XXXX); numbers that fail the date or Luhn check stay."""
    if not text:
        return text
    return IDENTITY_CANDIDATE.sub(_mask_match, text)



def identity_number_shown(value: str) -> str:
    """A number found in a text as a warning names it: `19xxxxxx-xx76` (`mask`), enough for the
    secretary to find it without the page repeating it."""
    return mask(normalise(value))
