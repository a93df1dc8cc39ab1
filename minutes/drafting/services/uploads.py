"""An uploaded file's type, decided by its content (PDF, DOCX, XLSX, ODT), and its size limit.

Used by the agenda's documents and by the notices' attachments.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import AgendaDocument

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_type_of(head: bytes, data: io.BufferedIOBase | io.BytesIO | Any) -> str | None:
    """The file's real type from its content, or None. The name is not trusted."""
    if head.startswith(b"%PDF-"):
        return AgendaDocument.FileType.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            data.seek(0)
            with zipfile.ZipFile(data) as zf:
                names = set(zf.namelist())
                # An ODT's "mimetype" is its first, 39-byte entry; a larger one is not read.
                if "mimetype" in names and zf.getinfo("mimetype").file_size <= len(ODT_MIMETYPE) + 2 \
                        and zf.read("mimetype").strip() == ODT_MIMETYPE:
                    return AgendaDocument.FileType.ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return AgendaDocument.FileType.DOCX
                if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                    return AgendaDocument.FileType.XLSX
        except Exception:
            # Not only BadZipFile: an entry flagged encrypted (RuntimeError), of an unknown
            # method (NotImplementedError) or with corrupt data (zlib.error) answered 500.
            return None
    return None


def validated_upload(upload: Any) -> tuple[str, bytes]:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise ValidationError({"file": _("Filen är tom.")})
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {"file": _("Filen är för stor: högst %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}}
        )
    upload.seek(0)
    content = upload.read()
    buffer = io.BytesIO(content)
    kind = document_type_of(content[:8], buffer)
    if kind is None:
        raise ValidationError(
            {"file": _("Filen är inte en PDF, DOCX, XLSX eller ODT (innehållet avgör, inte filnamnet).")}
        )
    return kind, content
