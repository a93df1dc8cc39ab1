"""/api/v1/verifiera: the verification page as JSON, public like the page (mounted in
config/api.py)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

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


class VerificationOut(Schema):
    sha256: str
    genuine: bool
    message: str
    document: VerifiedDocumentOut | None
    seal: SealOut | None
    signers: list[VerifiedSignerOut]


def _out(verification: Verification) -> VerificationOut:
    document = verification.document
    check = verification.check
    if verification.genuine:
        message = "Dokumentet är utfärdat av oss och oförändrat." if check else (
            "Kontrollsumman stämmer med ett dokument vi har utfärdat."
        )
    else:
        message = REFUSED
    return VerificationOut(
        sha256=verification.sha256,
        genuine=verification.genuine,
        message=message,
        document=VerifiedDocumentOut(
            id=document.pk,
            kind=document.kind,
            kind_label=document.kind_label,
            title=document.title,
            version=document.version,
            organisation=document.organisation.name,
            target=str(document.target) if document.target is not None else "",
            issued_at=document.finished_at,
        )
        if document is not None
        else None,
        seal=SealOut(
            sealed=check.sealed, intact=check.intact, trusted=check.trusted,
            signer=check.signer, signed_at=check.signed_at, error=check.error,
        )
        if check is not None
        else None,
        signers=[
            VerifiedSignerOut(
                name=str(s.get("name", "")), role=str(s.get("role", "")), signed_at=str(s.get("signed_at", "")),
                method=str(s.get("method", "")), level=str(s.get("level", "")), evidence=str(s.get("evidence", "")),
                evidence_valid=s.get("evidence_valid") if isinstance(s.get("evidence_valid"), bool) else None,
            )
            for s in verification.signers
        ],
    )


@router.post("/verifiera", response=VerificationOut, auth=None)
def verify_file(request: HttpRequest, file: File[UploadedFile]) -> VerificationOut:
    """Upload a PDF: is it one we issued, with its seal intact? Nothing is stored."""
    if file.size and file.size > settings.UPLOAD_MAX_BYTES:
        raise HttpError(422, "Filen är för stor.")
    content = file.read()
    if not is_pdf(content):
        raise HttpError(422, NOT_A_PDF)
    return _out(document_verify(content=content))


@router.get("/verifiera/{sha256}", response=VerificationOut, auth=None)
def verify_hash(request: HttpRequest, sha256: str) -> VerificationOut:
    """Does this SHA-256 belong to a document we issued?"""
    if not SHA256_RE.match(sha256.lower()):
        raise HttpError(422, "Kontrollsumman ska vara 64 tecken 0–9 och a–f.")
    return _out(document_verify(sha256=sha256))
