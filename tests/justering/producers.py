"""A minutes producer that fails on its first attempt, for the retry test through the worker.

In a module of its own so that the worker subprocess imports it by the dotted path the
RenderedDocument row remembers.
"""

from __future__ import annotations

from board.documents.models import RenderedDocument
from board.documents.registry import ProducedPdf, register_producer
from minutes.notices.minutes_pdf import produce_full_minutes


def produce_minutes_failing_once(document: RenderedDocument) -> ProducedPdf:
    if document.attempts < 2:
        raise RuntimeError("Tillfälligt fel: typsnittet kunde inte läsas")
    return produce_full_minutes(document)


register_producer("test.minutes_flaky", produce_minutes_failing_once, label="Protokoll (ostadigt prov)")
