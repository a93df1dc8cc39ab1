"""Does a signature's evidence prove that it signed exactly this version? Offline, for anyone.

`check(signature)` answers for a stored Signature (the /verifiera/ page and the full minutes'
"Underskrifter" page); `verify(method, evidence, sha256)` answers for the evidence alone, as
someone who has only the sealed PDF has it (its `underskrift-<n>-<method>.json` attachments and
the version's SHA-256 in `protokoll.json`).

Each family of methods has one verifier `(evidence, sha256) -> bool` in VERIFIERS. None of them
needs this installation's settings or network: BankID's is the structural check of the
signature XML (bankid.py), OIDC's checks the ID token against the JWKS kept in the evidence and
recomputes the nonce from the SHA-256 (oidc.verify_evidence). A password-and-code signature
has no cryptographic evidence at all, and a family without a verifier here is "kan inte
kontrolleras", never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from board.identity import Level

from ..rules import method_family as family
from .bankid import BankIdMethod
from .oidc import verify_evidence as oidc_verify_evidence
from .passkey import verify_evidence as passkey_verify_evidence

VALID = "giltig"
INVALID = "ogiltig"
NO_EVIDENCE = "enkel underskrift – inget kryptografiskt bevis"
CANNOT_CHECK = "kan inte kontrolleras"

OIDC_DEFAULT_LABEL = "E-legitimation (OpenID Connect)"

Verifier = Callable[[dict[str, Any], str], bool]


def _bankid(evidence: dict[str, Any], sha256: str) -> bool:
    # BankIdMethod.verify reads nothing of the instance (no IP address, no certificate).
    return BankIdMethod().verify(evidence, sha256)


VERIFIERS: dict[str, Verifier] = {
    "bankid": _bankid,
    "oidc": oidc_verify_evidence,
    "passkey": passkey_verify_evidence,
}

FAMILY_LABELS = {"bankid": "BankID", "passkey": "Passkey", "losenord": "Lösenord och kod"}


@dataclass(frozen=True)
class EvidenceCheck:
    """What the evidence of one signature shows, in Swedish.

    `ok` is True (giltig), False (ogiltig) or None (nothing to check: a simple signature, or a
    method this installation cannot check)."""

    method_label: str
    level_label: str
    result: str
    ok: bool | None

    @property
    def method_and_level(self) -> str:
        """ "BankID – avancerad elektronisk underskrift", as the Underskrifter page prints it."""
        return f"{self.method_label} – {self.level_label[:1].lower()}{self.level_label[1:]}"


def method_label(method: str, evidence: Any = None) -> str:
    """The method as people call it: "BankID", the OIDC provider's label, "Passkey", …

    An OIDC signature names the provider as its evidence recorded it at signing time; older
    signatures, which lack it, by this installation's settings."""
    fam = family(method)
    if fam == "oidc":
        recorded = evidence.get("label") if isinstance(evidence, dict) else None
        if isinstance(recorded, str) and recorded.strip():
            return recorded.strip()[:100]
        provider = method.split("-", 1)[1] if "-" in method else ""
        conf = getattr(settings, "OIDC_PROVIDERS", {}).get(provider) or {}
        return str(conf.get("label") or OIDC_DEFAULT_LABEL)
    return FAMILY_LABELS.get(fam, method)


def level_label(level: str) -> str:
    try:
        return str(Level(level).label)
    except ValueError:
        return level


def verify(method: str, evidence: Any, sha256: str) -> bool | None:
    """Whether `evidence` of a signature by `method` proves exactly `sha256`; None when there is
    nothing this code can check (a password signature, an unknown family)."""
    verifier = VERIFIERS.get(family(method))
    if verifier is None:
        return None
    if not isinstance(evidence, dict):
        return False
    try:
        return bool(verifier(evidence, sha256))
    except Exception:  # noqa: BLE001 - evidence is data from a file: broken evidence is not valid
        return False


def check(signature: Any) -> EvidenceCheck:
    """The answer for a stored Signature: its method and level in Swedish and the evidence's result."""
    method = signature.method or "losenord"
    labels = {"method_label": method_label(method, signature.evidence), "level_label": level_label(signature.level)}
    if family(method) == "losenord":
        return EvidenceCheck(**labels, result=NO_EVIDENCE, ok=None)
    ok = verify(method, signature.evidence, signature.sha256)
    if ok is None:
        return EvidenceCheck(**labels, result=CANNOT_CHECK, ok=None)
    return EvidenceCheck(**labels, result=VALID if ok else INVALID, ok=ok)
