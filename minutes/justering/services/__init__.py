"""Justering: send the minutes for signing, comment, sign, decline, unlock; extracts.

Views, the API, the demo loader and the wings above call these as `services.<name>`. Every
function here is a service: keyword-only, one transaction, takes the acting user, records
history and an AuditEvent where the act matters (sent, signed, justerat, declined, unlocked).
Who signs, by when and what is in `..rules`; the reads for the pages in `..selectors`. The
rules:

* What is signed is a `MinutesVersion`: the canonical JSON of the minutes as
  `drafting.selectors.minutes_document` shows them (the same data as the preview and the
  PDF), and its SHA-256 (`rules.minutes_snapshot`). A signature records that SHA-256.
* An edit while the minutes are under justering makes a new version (the `minutes_edited`
  signal, and a check at signing); the old one is `ersatt`, its signatures void, and those who
  had signed are told by e-mail (`versions`).
* The minutes are justerade when the secretary, the chair and every
  justerare have signed the current version, in any order (`signing`). Then the meeting is
  locked (the services refuse, and the database triggers of migrations 0005 and 0009 refuse
  raw SQL too), the PDFs are requested from the worker and the notice board is told.
* Only an unlock proposed by the chair and confirmed by one more member, with a written
  reason, opens justerade minutes again; it makes a new version and keeps the old one
  (`unlock`).
"""

from __future__ import annotations

from .extracts import extract_request, extract_send
from .signing import (
                      beside_the_justering,
                      justering_comment_add,
                      justering_decline,
                      justering_sign,
                      justering_sign_completed,
)
from .unlock import unlock_confirm, unlock_propose
from .versions import justering_refresh_version, minutes_send_for_justering

__all__ = [
    "beside_the_justering",
    "extract_request",
    "extract_send",
    "justering_comment_add",
    "justering_decline",
    "justering_refresh_version",
    "justering_sign",
    "justering_sign_completed",
    "minutes_send_for_justering",
    "unlock_confirm",
    "unlock_propose",
]
