"""/api/v1/verifiera: the verification page as JSON, public like the page (mounted in
config/api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import model_validator

from .models import RenderedDocument
from .pdf import NOT_A_PDF, is_pdf
from .verify import REFUSED, SHA256_RE, Verification, document_verify

router = Router(tags=["verifiering"])


class VerifiedSignerOut(Schema):
    """One signature; never the signer's identity number, masked or not."""

    name: str
    role: str
    signed_at: str
    method: str = Field("", description="Hur underskriften gjordes: BankID, e-legitimationens namn, Passkey, "
                                         "Lösenord och kod; tomt för dokument utan den uppgiften")
    level: str = Field("", description="Enkel eller avancerad elektronisk underskrift")
    evidence: str = Field("", description="Kontrollen av underskriftens bevis mot versionens SHA-256: giltig, "
                                          "ogiltig, enkel underskrift – inget kryptografiskt bevis, kan inte kontrolleras")
    evidence_valid: bool | None = Field(None, description="true giltig, false ogiltig, null inget att kontrollera")

    # A signer is a dict (Verification.signers) whose keys may be missing or not text.
    @model_validator(mode="before")
    @classmethod
    def _from_signer(cls, s: Any) -> Any:
        if not isinstance(s, dict):
            return s
        valid = s.get("evidence_valid")
        texts = ("name", "role", "signed_at", "method", "level", "evidence")
        return {**{k: str(s.get(k, "")) for k in texts}, "evidence_valid": valid if isinstance(valid, bool) else None}


class SealOut(Schema):
    sealed: bool
    intact: bool
    trusted: bool
    signer: str
    signed_at: dt.datetime | None
    error: str


class VerifiedDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    version: int
    organisation: str
    target: str
    issued_at: dt.datetime | None

    @staticmethod
    def resolve_organisation(d: RenderedDocument) -> str:
        return d.organisation.name

    @staticmethod
    def resolve_target(d: RenderedDocument) -> str:
        return str(d.target) if d.target is not None else ""

    @staticmethod
    def resolve_issued_at(d: RenderedDocument) -> dt.datetime | None:
        return d.finished_at


class VerificationOut(Schema):
    sha256: str
    genuine: bool
    message: str
    document: VerifiedDocumentOut | None
    seal: SealOut | None
    signers: list[VerifiedSignerOut]

    @staticmethod
    def resolve_message(v: Verification) -> str:
        if not v.genuine:
            return REFUSED
        if v.check:
            return "Dokumentet är utfärdat av oss och oförändrat."
        return "Kontrollsumman stämmer med ett dokument vi har utfärdat."

    @staticmethod
    def resolve_seal(v: Verification) -> Any:
        return v.check  # pdf.SealCheck, or None for a bare hash


@router.post("/verifiera", response=VerificationOut, auth=None)
def verify_file(request: HttpRequest, file: File[UploadedFile]) -> Verification:
    """Upload a PDF: is it one we issued, with its seal intact? Nothing is stored."""
    if file.size and file.size > settings.UPLOAD_MAX_BYTES:
        raise HttpError(422, "Filen är för stor.")
    content = file.read()
    if not is_pdf(content):
        raise HttpError(422, NOT_A_PDF)
    return document_verify(content=content)


@router.get("/verifiera/{sha256}", response=VerificationOut, auth=None)
def verify_hash(request: HttpRequest, sha256: str) -> Verification:
    """Does this SHA-256 belong to a document we issued?"""
    if not SHA256_RE.match(sha256.lower()):
        raise HttpError(422, "Kontrollsumman ska vara 64 tecken 0–9 och a–f.")
    return document_verify(sha256=sha256)
