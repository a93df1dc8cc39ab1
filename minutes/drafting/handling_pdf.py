"""A PDF copy of a handling uploaded as DOCX, XLSX or ODT, to read in the browser.

At upload (`services.document_add`) a `RenderedDocument` of kind HANDLING_PDF is requested for
the handling, in the same transaction. The worker converts the file with LibreOffice
(`soffice --headless --convert-to pdf`) through the path every issued PDF takes
(board/documents: a lease, retries, a sweep that sends lost messages again), so a dead worker or
a broker outage delays the copy and never loses it. Until the copy is there, Mitt sammanträde
offers the original to download and says the PDF is on its way.

The original stays what the handling is (the archive package and the ZIP carry it); the copy is
for reading only and is not sealed: the association did not issue it, it only made it readable.
Each conversion runs in its own temporary directory with its own LibreOffice profile, so two
conversions on one worker never share a profile lock, and is stopped after CONVERT_SECONDS.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.text import slugify

from board.documents.models import RenderedDocument
from board.documents.registry import ProducedPdf, register_producer

from ..models import AgendaDocument

HANDLING_PDF = "minutes.handling_pdf"
CONVERT_SECONDS = 120


class ConversionFailed(RuntimeError):
    pass


def needs_pdf(handling: AgendaDocument) -> bool:
    return bool(handling.file) and handling.file_type != AgendaDocument.FileType.PDF


def produce_handling_pdf(document: Any) -> ProducedPdf:
    handling = AgendaDocument.objects.get(pk=document.object_id)
    soffice = getattr(settings, "LIBREOFFICE_BINARY", "soffice")
    with tempfile.TemporaryDirectory(prefix="handling-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / f"handling.{handling.file_type}"
        with handling.file.open("rb") as stored:
            source.write_bytes(stored.read())
        command = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--convert-to", "pdf", "--outdir", str(folder / "ut"), str(source),
        ]
        try:
            finished = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except FileNotFoundError:
            raise ConversionFailed(f"LibreOffice ({soffice}) finns inte på arbetaren.") from None
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"LibreOffice blev inte klar på {CONVERT_SECONDS} s.") from None
        result = folder / "ut" / "handling.pdf"
        if not result.exists():
            said = (finished.stderr or finished.stdout).decode(errors="replace").strip()[-500:]
            raise ConversionFailed(f"LibreOffice gjorde ingen PDF av filen (kod {finished.returncode}): {said}")
        content = result.read_bytes()
    stem = slugify(handling.download_name.rsplit(".", 1)[0])[:80] or "handling"
    return ProducedPdf(content=content, filename=f"{stem}.pdf", metadata={"title": handling.title})


def may_download(user: Any, document: Any) -> bool:
    """Whoever may see the handling's meeting; a confidential handling is a PDF and has no copy."""
    # Here, not at the top: the selectors import the services, which import this module.
    from .selectors import meetings_visible_to

    handling = AgendaDocument.objects.filter(pk=document.object_id, confidential=False).first()
    return handling is not None and meetings_visible_to(user).filter(pk=handling.meeting_id).exists()


def _copy_rows(handling_ids: list[int]) -> QuerySet[RenderedDocument]:
    return RenderedDocument.objects.filter(
        kind=HANDLING_PDF, content_type=ContentType.objects.get_for_model(AgendaDocument), object_id__in=handling_ids,
    )


def copies(handlings: list[AgendaDocument]) -> dict[int, RenderedDocument]:
    """The PDF copy of each of these handlings that has one requested, by the handling's id (one query)."""
    wanted = [h.pk for h in handlings if needs_pdf(h)]
    if not wanted:
        return {}
    found: dict[int, RenderedDocument] = {}
    for row in _copy_rows(wanted).order_by("object_id", "-version"):
        found.setdefault(row.object_id, row)
    return found


def copies_of(handling: AgendaDocument) -> QuerySet[RenderedDocument]:
    return _copy_rows([handling.pk])


register_producer(HANDLING_PDF, produce_handling_pdf, label="Handling som PDF", may_download=may_download,
                  issued=False)
