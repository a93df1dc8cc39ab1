"""Producers of test document kinds.

They live in a module of their own, not in a test module, so that the Celery worker
subprocess can import them through the dotted path RenderedDocument.producer remembers.
"""

from __future__ import annotations

import json
import time

from board.documents.models import RenderedDocument
from board.documents.pdf import PdfAttachment, render_pdf, seal_pdf
from board.documents.registry import ProducedPdf, register_producer

SIGNERS = [
    {"name": "Ada Ordförande", "role": "ordförande", "signed_at": "2023-11-06 10:15"},
    {"name": "Bo Justerare", "role": "justerare", "signed_at": "2023-11-06 11:02"},
]


def produce_sample(document: RenderedDocument) -> ProducedPdf:
    data = {"kind": document.kind, "object_id": document.object_id, "version": document.version}
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Provprotokoll</title></head>"
        f"<body><h1>Provprotokoll</h1><p>Avser {document.target} version {document.version}.</p>"
        "<p>Styrelsen beslutar att godkänna årsredovisningen.</p></body></html>"
    )
    pdf = render_pdf(
        html,
        title="Provprotokoll",
        attachments=[
            PdfAttachment(
                name="protokoll.json",
                data=json.dumps(data).encode(),
                mime_type="application/json",
                description="Protokollets data",
            )
        ],
    )
    sealed = seal_pdf(pdf, reason="Justerat protokoll", location="Västerås")
    return ProducedPdf(
        content=sealed,
        filename=f"provprotokoll-{document.object_id}-v{document.version}.pdf",
        metadata={"title": "Provprotokoll", "signers": SIGNERS},
    )


def produce_flaky(document: RenderedDocument) -> ProducedPdf:
    """Fails on the first attempt, works on the next: attempts are counted on the row."""
    if document.attempts < 2:
        raise RuntimeError("Tillfälligt fel vid rendering")
    return produce_sample(document)


def produce_slow(document: RenderedDocument) -> ProducedPdf:
    """The first attempt hangs long enough for a test to kill its worker (tests/faults); the
    next one is quick. Attempts are counted on the row."""
    if document.attempts <= 1:
        time.sleep(60)
    return produce_sample(document)


def produce_pause(document: RenderedDocument) -> ProducedPdf:
    """Takes 2.5 s, longer than the lease a test sets."""
    time.sleep(2.5)
    return produce_sample(document)


def produce_overtaken(document: RenderedDocument) -> ProducedPdf:
    """While it runs, another attempt takes the row over (as after a lease ran out)."""
    RenderedDocument.objects.filter(pk=document.pk).update(
        claimed_by="uppgift-2", attempts=document.attempts + 1
    )
    return produce_sample(document)


def produce_broken(document: RenderedDocument) -> ProducedPdf:
    return ProducedPdf(content=b"inte en pdf", filename="trasig.pdf")


def only_superusers(user, document: RenderedDocument) -> bool:
    return bool(user.is_superuser)


register_producer("test.sample", produce_sample, label="Provprotokoll")
register_producer("test.public", produce_sample, label="Offentligt prov", public=True)
register_producer("test.flaky", produce_flaky, label="Ostadigt prov")
register_producer("test.slow", produce_slow, label="Långsamt prov")
register_producer("test.pause", produce_pause, label="Prov som tar tid")
register_producer("test.overtaken", produce_overtaken, label="Övertaget prov")
register_producer("test.broken", produce_broken, label="Trasigt prov")
register_producer("test.guarded", produce_sample, label="Skyddat prov", may_download=only_superusers)
