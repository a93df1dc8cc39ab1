"""The rules of the justering: by when (Kommunallagen's 14 days), who signs (the secretary, the
chair, the justerare), what they sign (the canonical snapshot of the minutes and its SHA-256),
and who may open justerade minutes again (the chair, seconded by a member).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from board.identity import Level, level_meets
from board.models import Appointment, Person
from board.selectors import board_on

from ..drafting.selectors import MinutesDocument, minutes_document
from ..models import Attendance, Meeting, Signature

DEADLINE_DAYS = 14  # Kommunallagen 5 kap 69 §: justering within 14 days
WARN_DAYS = 3  # the deadline is "near" this many days before

Role = Signature.Role


# --- deadline ------------------------------------------------------------------------------


def justering_deadline(meeting: Meeting) -> dt.date:
    return meeting.date + dt.timedelta(days=DEADLINE_DAYS)


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    days_left: int

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def near(self) -> bool:
        return 0 <= self.days_left <= WARN_DAYS

    @property
    def text(self) -> str:
        if self.passed:
            return _("Sista dag för justering var %(d)s (%(n)s dagar sedan).") % {
                "d": self.date.isoformat(), "n": -self.days_left}
        if self.days_left == 0:
            return _("Sista dag för justering är i dag, %(d)s.") % {"d": self.date.isoformat()}
        return _("Sista dag för justering: %(d)s (om %(n)s dagar).") % {
            "d": self.date.isoformat(), "n": self.days_left}


def deadline_for(meeting: Meeting, today: dt.date | None = None) -> Deadline:
    day = justering_deadline(meeting)
    return Deadline(date=day, days_left=(day - (today or timezone.localdate())).days)


# --- the canonical snapshot ----------------------------------------------------------------


@dataclass(frozen=True)
class RequiredSigner:
    person: Person
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def required_signers(doc: MinutesDocument, *, fallback_secretary: Person | None = None) -> list[RequiredSigner]:
    """Secretary (the meeting's, else the sender), chair, then the justerare, in that order."""
    result: list[RequiredSigner] = []
    secretary = doc.secretary.person if doc.secretary else fallback_secretary
    if secretary is not None:
        result.append(RequiredSigner(secretary, Role.SECRETARY))
    if doc.chair is not None:
        result.append(RequiredSigner(doc.chair.person, Role.CHAIR))
    for adjuster in doc.adjusters:
        if all(s.person.pk != adjuster.person_id for s in result):
            result.append(RequiredSigner(adjuster.person, Role.ADJUSTER))
    return result


def minutes_snapshot(doc: MinutesDocument, signers: list[RequiredSigner]) -> dict[str, Any]:
    """Everything the minutes say, as plain JSON: what is signed, hashed and attached to the PDF."""
    m = doc.meeting
    paragraphs = []
    for pv in doc.paragraphs:
        p = pv.paragraph
        paragraphs.append({
            "id": p.pk,
            "label": p.label,
            "number": p.number,
            "prefix": p.prefix,
            "title": p.title,
            "dnr": p.dnr,
            "body": p.body,
            "decision": pv.decision_lines,
            "confidential": p.is_confidential,
            "osl_reference": p.osl_reference,
            "immediate_justering": p.immediate_justering,
            "exp_till": p.exp_till,
            "kopia_till": p.kopia_till,
            "handlingar": [d.title for d in pv.handlingar],
            "jav": pv.recused_names,
            "reservations": [
                {"name": r.person.full_name, "motivation": r.motivation} for r in p.reservations.all()
            ],
            "notes": [
                {"name": n.person.full_name if n.person else "", "text": n.text} for n in p.notes.all()
            ],
            "votes": [
                {
                    "question": v.question,
                    "proposals": [
                        {"answer": pr.answer, "text": pr.text,
                         "proposer": pr.proposer.full_name if pr.proposer else ""}
                        for pr in v.proposals.all()
                    ],
                    "ballots": [{"name": b.person.full_name, "choice": b.choice} for b in v.ballots.all()],
                    "yes": v.yes_count, "no": v.no_count, "abstain": v.abstain_count,
                    "result": v.result, "decided_by": v.decided_by,
                }
                for v in pv.votes
            ],
        })
    return {
        "format": "samordna.minutes/1",
        "meeting": {
            "id": m.pk,
            "organisation": doc.organisation.name,
            "organ": m.organ.name,
            "date": m.date.isoformat(),
            "kind": m.kind,
            "place_and_time": doc.place_and_time,
        },
        "attendance": {
            "beslutande": doc.decision_makers,
            "ersattare": doc.substitutes,
            "ovriga": doc.others,
            "franvarande": doc.absent,
        },
        "adjusters": [a.person.full_name for a in doc.adjusters],
        "paragraph_range": doc.range_label,
        "signers": [
            {"person_id": s.person.pk, "name": s.person.full_name, "role": s.role} for s in signers
        ],
        "paragraphs": paragraphs,
    }


def canonical_bytes(snapshot: dict[str, Any]) -> bytes:
    """One byte sequence per content: sorted keys, no whitespace, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(snapshot)).hexdigest()


def live_snapshot(meeting: Meeting, fallback_secretary: Person | None = None) -> dict[str, Any]:
    """The snapshot of the minutes as they stand now, to compare with a stored version."""
    doc = minutes_document(meeting)
    return minutes_snapshot(doc, required_signers(doc, fallback_secretary=fallback_secretary))


# --- unlock --------------------------------------------------------------------------------


def chair_ids(meeting: Meeting) -> set[int]:
    """Who may propose an unlock: the chair of the meeting, and whoever chairs the organ today."""
    ids = set(meeting.attendances.filter(function=Attendance.Function.CHAIR).values_list("person_id", flat=True))
    ids |= {a.person_id for a in board_on(meeting.organ_id, timezone.localdate()) if a.role == Appointment.Role.CHAIR}
    return ids


def member_ids(meeting: Meeting) -> set[int]:
    """Who may second an unlock: the board today, and those who decided at the meeting."""
    ids = {a.person_id for a in board_on(meeting.organ_id, timezone.localdate())}
    ids |= set(
        meeting.attendances.filter(role__in=Attendance.VOTING_ROLES).values_list("person_id", flat=True)
    )
    return ids


# --- the method and the level of a signature -------------------------------------------------


def method_family(method: str) -> str:
    """The family an association chooses ("oidc") of a method a signature records ("oidc-freja")."""
    return method.split("-", 1)[0]


def signature_refusal(organisation: Any, method: str, level: str) -> str | None:
    """Why `organisation` does not accept a signature by `method` at `level`, in Swedish; or None.

    An association chooses the methods its signers may use and the lowest level a justering
    accepts (board.Organisation.signing_methods, signing_min_level)."""
    if method_family(method) not in organisation.signing_methods:
        return _("Förbundet tar inte emot underskrifter med det här sättet.")
    if not level_meets(level, organisation.signing_min_level):
        if level == Level.SIMPLE:
            return _(
                "Förbundet kräver avancerad elektronisk underskrift: skriv under med e-legitimation "
                "(BankID, Freja eID+) eller med en passkey som lades upp efter identifiering med "
                "e-legitimation. Lösenord och kod är en enkel elektronisk underskrift."
            )
        return _("Underskriften har inte den nivå förbundet kräver.")
    return None


def identity_refusal(person: Person | None, identity_number: str) -> str | None:
    """Why an e-ID identity is not the signer's, in Swedish; or None when it is."""
    if person is None:
        return _("Du är inte registrerad som person hos förbundet.")
    if not person.personal_identity_number:
        return _(
            "Förbundet har inte ditt personnummer, så en underskrift med e-legitimation kan inte "
            "knytas till dig. Identifiera dig med e-legitimation under Konto, eller be sekreteraren "
            "lägga in ditt personnummer."
        )
    if identity_number != person.personal_identity_number:
        return _(
            "E-legitimationen tillhör en annan person än den som ska skriva under. Ingenting har "
            "skrivits under."
        )
    return None
