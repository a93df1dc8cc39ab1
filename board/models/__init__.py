"""The models of board, one module per area; Django finds them here (app label `board`).

registry: associations, their member organisations, organs, people and who sits where;
audit: the events people's acts leave; tokens: the API's keys; mail: the outgoing e-mail; passkeys: the users' WebAuthn credentials for signing.
Issued documents are an app of their own (board.documents).
"""

from .audit import AuditEvent
from .feedback import AccessibilityFeedback
from .mail import OutgoingMail
from .passkeys import PasskeyCredential
from .registry import (
    Appointment,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    Person,
    StaffRole,
)
from .tokens import ApiToken

__all__ = [
    "AccessibilityFeedback",
    "ApiToken",
    "Appointment",
    "AuditEvent",
    "MemberOrganisation",
    "Membership",
    "Organ",
    "Organisation",
    "OutgoingMail",
    "PasskeyCredential",
    "Person",
    "StaffRole",
]
