"""/verifiera/ (page and API): is this a document we issued, unchanged, and who signed it?"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from .models import RenderedDocument
from .pdf import verify_pdf
from .registry import signers_for
from .services import document_for_sha256

# /verifiera/ (page and API): what a SHA-256 looks like, and the answer for a refused document.
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
REFUSED = "Dokumentet har ändrats eller är inte utfärdat av oss."


@dataclass(frozen=True)
class Verification:
    """The answer of /verifiera/: is this a document we issued, unchanged?"""

    sha256: str
    genuine: bool
    document: RenderedDocument | None  # only when genuine
    check: Any = None  # pdf.SealCheck when a file was given, None for a bare hash

    @property
    def signers(self) -> list[dict[str, Any]]:
        """Who signed, with how and whether the evidence holds where the kind's app tells
        (registry.register_signers); else the names, roles and times stored with the document."""
        if self.document is None:
            return []
        hook = signers_for(self.document)
        if hook is not None:
            return hook(self.document)
        return [s for s in self.document.metadata.get("signers") or [] if isinstance(s, dict)]


def document_verify(*, content: bytes | None = None, sha256: str = "") -> Verification:
    """Look a file (or its SHA-256) up among the documents we issued, checking the seal.

    A file counts as genuine only if its hash is that of a stored document *and* its seal
    validates against our certificate; a bare hash can only say that it matches.
    """
    check = None
    if content is not None:
        sha256 = hashlib.sha256(content).hexdigest()
        check = verify_pdf(content)
    sha256 = sha256.lower()
    document = document_for_sha256(sha256)
    genuine = document is not None and (check is None or check.ok)
    return Verification(
        sha256=sha256, genuine=genuine, document=document if genuine else None, check=check
    )
