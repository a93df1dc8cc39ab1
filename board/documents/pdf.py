"""Render, seal and verify the PDFs the system issues. Pure functions: no models here.

Every app that issues a document (minutes, extracts, anslagsbevis, finance and intervention
reports) builds its HTML, calls `render_pdf` (WeasyPrint, PDF/A-3b, tagged, /Lang set, fonts
embedded, data attachments as PDF/A-3 associated files) and then `seal_pdf` (pyHanko PAdES
B-B with the organisation's certificate from settings.PDF_SEAL_*). `verify_pdf` checks an
uploaded file against that same certificate; the verification page uses it.

Sealing is an incremental update, so the bytes WeasyPrint wrote (and their PDF/A
conformance) stay untouched under the signature.

WeasyPrint (with Pango) and pyHanko are imported inside the functions that use them: they
take seconds to import, and most processes that import this module never render or seal.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import functools
import io
import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The seal's signature field. One per document: a document is sealed once, when issued.
SEAL_FIELD = "Sigill"

# Fonts from fonts-dejavu-core: present on every machine that runs us (scripts/system-deps.sh), and
# with full Swedish coverage. Embedded (subset) by WeasyPrint, as PDF/A requires.
BASE_CSS = """
@page { size: A4; }
html { font-family: "DejaVu Sans", sans-serif; }
"""


class SealError(RuntimeError):
    """The seal certificate or key is missing or unusable."""


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF as a PDF/A-3 associated file (AFRelationship /Data)."""

    name: str
    data: bytes
    mime_type: str = "application/octet-stream"
    description: str = ""

    @classmethod
    def json(cls, name: str, data: object, *, description: str = "") -> PdfAttachment:
        """The document's data as JSON (sorted keys, so the same data gives the same bytes)."""
        payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        return cls(name=name, data=payload.encode("utf-8"), mime_type="application/json", description=description)


@dataclass(frozen=True)
class SealCheck:
    """What `verify_pdf` found.

    sealed: the file carries a signature at all; intact: the signed bytes are unchanged and
    cover the whole file; trusted: the signer chains to our seal certificate.
    """

    sealed: bool
    intact: bool
    trusted: bool
    signer: str = ""
    signed_at: dt.datetime | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.sealed and self.intact and self.trusted


def render_pdf(
    html: str,
    *,
    title: str,
    base_url: str | None = None,
    attachments: Sequence[PdfAttachment] = (),
    lang: str = "sv",
) -> bytes:
    """HTML -> PDF/A-3b bytes, tagged, with /Lang, /Title and the attachments embedded."""
    from weasyprint import CSS, HTML, Attachment  # heavy: Pango
    from weasyprint.urls import URLFetcher  # heavy: WeasyPrint

    # Our PDFs are built from templates and embedded CSS: nothing is fetched. A URL that gets
    # into the HTML anyway (from a person's text) reads no file of the server and asks no
    # address on the network; data: URLs (the attachments below) are all there is.
    document_html = HTML(string=html, base_url=base_url, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    root = document_html.etree_element
    if not root.get("lang"):
        # /Lang in the catalog comes from <html lang>; screen readers need it.
        root.set("lang", lang)
    document = document_html.render(stylesheets=[CSS(string=BASE_CSS)])
    document.metadata.title = title
    document.metadata.lang = root.get("lang") or lang
    # A data: URL carries the exact MIME type into the EmbeddedFile /Subtype.
    pdf_attachments = [
        Attachment(
            url=f"data:{item.mime_type};base64,{base64.b64encode(item.data).decode('ascii')}",
            name=item.name,
            description=item.description or item.name,
            relationship="Data",
        )
        for item in attachments
    ]
    return document.write_pdf(
        pdf_variant="pdf/a-3b",
        pdf_tags=True,
        attachments=pdf_attachments,
        finisher=_dedupe_associated_files,
    )


def _dedupe_associated_files(document: object, pdf: object) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF; keep one of each."""
    import pydyf  # WeasyPrint's PDF writer, see above

    catalog = pdf.catalog  # type: ignore[attr-defined]
    if "AF" in catalog:
        catalog["AF"] = pydyf.Array(dict.fromkeys(catalog["AF"]))


def _outside_event_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's sync functions, also from code that runs an event loop.

    They wrap asyncio.run(), which refuses to start inside a running loop (Playwright's
    sync API, an async view); then the call runs in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@functools.lru_cache(maxsize=4)
def _signer(key_file: str, cert_file: str, passphrase: str, _mtime: float):
    """The pyHanko signer, loaded once per key/cert version (the mtime busts the cache)."""
    from pyhanko.sign import signers  # heavy: pyHanko

    signer = signers.SimpleSigner.load(
        key_file, cert_file, key_passphrase=passphrase.encode() if passphrase else None
    )
    if signer is None:
        raise SealError(f"Kunde inte läsa sigillets nyckel eller certifikat ({cert_file}).")
    return signer


def _seal_paths() -> tuple[Path, Path]:
    key_file = Path(settings.PDF_SEAL_KEY_FILE)
    cert_file = Path(settings.PDF_SEAL_CERT_FILE)
    for path in (key_file, cert_file):
        if not path.is_file():
            raise SealError(
                f"Sigillfilen {path} saknas. Kör `manage.py create_dev_certificate` "
                "eller peka PDF_SEAL_KEY_FILE/PDF_SEAL_CERT_FILE på organisationens certifikat."
            )
    return key_file, cert_file


def seal_pdf(pdf: bytes, *, reason: str, location: str = "", name: str | None = None) -> bytes:
    """Seal the PDF (PAdES B-B) with the configured certificate, as an incremental update.

    No network: no timestamp server, no revocation fetching. Before signing, Info /Producer
    is set to what pyHanko writes into the XMP (pdf:Producer), so the two agree afterwards
    as PDF/A requires: pyHanko would otherwise append itself to the Info entry only.
    """
    from pyhanko.pdf_utils import generic  # heavy: pyHanko
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # heavy: pyHanko
    from pyhanko.pdf_utils.metadata.model import VENDOR  # heavy: pyHanko
    from pyhanko.sign import signers  # heavy: pyHanko
    from pyhanko.sign.fields import SigSeedSubFilter  # heavy: pyHanko

    key_file, cert_file = _seal_paths()
    signer = _signer(
        str(key_file),
        str(cert_file),
        settings.PDF_SEAL_KEY_PASSPHRASE,
        max(key_file.stat().st_mtime, cert_file.stat().st_mtime),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info_ref, generic.IndirectObject):
        info = info_ref.get_object()
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason or None,
        location=location or None,
        name=name,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue()


def _trust_root():
    from pyhanko.keys import load_cert_from_pemder  # heavy: pyHanko

    _key, cert_file = _seal_paths()
    return load_cert_from_pemder(str(cert_file))


NOT_A_PDF = "Filen är ingen PDF."


def is_pdf(content: bytes) -> bool:
    """Whether the content starts like a PDF: "%PDF-" within the first 1024 bytes (ISO 32000
    lets a reader accept that much in front of the header)."""
    return b"%PDF-" in content[:1024]


def verify_pdf(pdf: bytes) -> SealCheck:
    """Check the last signature in the file against our seal certificate as trust root.

    The answer's `error` is shown to the public as it is: Swedish, never the library's
    English exception text (that goes to the log).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader  # heavy: pyHanko
    from pyhanko.sign.validation import validate_pdf_signature  # heavy: pyHanko
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # heavy: pyHanko
    from pyhanko_certvalidator import ValidationContext  # heavy: pyHanko

    if not is_pdf(pdf):
        return SealCheck(sealed=False, intact=False, trusted=False, error=NOT_A_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a damaged file is an answer, not a crash
        logger.info("verify_pdf: unreadable PDF: %s", exc)
        return SealCheck(sealed=False, intact=False, trusted=False, error="Filen kunde inte läsas som PDF.")
    if not signatures:
        return SealCheck(sealed=False, intact=False, trusted=False, error="Filen saknar sigill.")
    try:
        context = ValidationContext(trust_roots=[_trust_root()], allow_fetching=False)
        status = _outside_event_loop(validate_pdf_signature, signatures[-1], context)
    except SealError:
        raise
    except Exception as exc:  # a broken signature structure is a failed check
        logger.info("verify_pdf: signature could not be validated: %s", exc)
        return SealCheck(sealed=True, intact=False, trusted=False, error="Sigillet kunde inte kontrolleras.")
    intact = bool(
        status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
    cert = status.signing_cert
    signer = ""
    if cert is not None:
        attrs = cert.subject.native
        signer = ", ".join(
            part for part in (attrs.get("common_name"), attrs.get("organization_name")) if part
        )
    error = ""
    if not intact:
        error = "Filen har ändrats efter att den förseglades."
    elif not status.trusted:
        error = "Sigillet är inte utfärdat med vårt certifikat."
    return SealCheck(
        sealed=True,
        intact=intact,
        trusted=bool(status.trusted),
        signer=signer,
        signed_at=status.signer_reported_dt,
        error=error,
    )
