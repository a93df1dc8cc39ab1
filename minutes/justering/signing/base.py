"""The interface every signing method implements, and the two assurance levels.

A method is a small object with a `key` (stored on the Signature row), a Swedish `label`, the
`level` its completed signatures have, and four operations:

- `start(request)`: begin a signature of `request.sha256` for `request.person`; returns a
  `Started` with the method's own reference (a BankID orderRef, an OIDC state) and what the
  page needs to show (a QR code, an autostart link, a redirect URL);
- `poll(reference)`: `Pending` with a Swedish message for the signer while it runs,
  `Completed` with the identity and the evidence when it is done; raises `SigningFailed` with
  a Swedish message when it cannot complete (cancelled, expired, refused);
- `cancel(reference)`: stop a started signature (the signer left the page);
- `verify(evidence, sha256)`: whether the evidence proves a signature of exactly `sha256`.

The justering stores the method's key, the level, the time and the evidence on the Signature
row, still bound to the version's SHA-256 as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from board.identity import LEVEL_ORDER, Level, level_meets

__all__ = ["LEVEL_ORDER", "Completed", "Level", "Pending", "SigningFailed", "SigningMethod", "SigningRequest",
           "Started", "level_meets"]


@dataclass(frozen=True)
class SigningRequest:
    """What is signed and by whom: the version's SHA-256 and the text the signer is shown."""

    sha256: str
    visible_text: str
    person_name: str
    identity_number: str = ""  # the signer's personnummer when the method checks it


@dataclass(frozen=True)
class Started:
    reference: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Pending:
    message: str


@dataclass(frozen=True)
class Completed:
    level: str
    identity_number: str
    name: str
    evidence: dict[str, Any]


class SigningFailed(Exception):
    """The signature cannot complete; the message is Swedish, for the signer."""


class SigningMethod(Protocol):
    key: str
    label: str
    level: str

    def start(self, request: SigningRequest) -> Started: ...

    def poll(self, reference: str) -> Pending | Completed: ...

    def cancel(self, reference: str) -> None: ...

    def verify(self, evidence: dict[str, Any], sha256: str) -> bool: ...
