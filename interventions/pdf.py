"""The intervention report (targets against results, trend charts) as a sealed PDF.

Issued through the shared document toolkit (board.documents) as kind "interventions.report".
A document is one version of the report: `report_version` is a checksum of the figures, so
asking again after new figures gives a new document, and asking twice gives the same one.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string

from board.documents.models import RenderedDocument
from board.documents.pdf import PdfAttachment, render_pdf, seal_pdf
from board.documents.registry import ProducedPdf, register_producer
from board.documents.services import document_latest, document_request

from .models import Intervention
from .selectors import FollowUpReport, follow_up_report, intervention_for

KIND = "interventions.report"


def _data(report: FollowUpReport) -> dict[str, Any]:
    return {
        "intervention": report.intervention.name,
        "periods": [
            {
                "from": p.period_start.isoformat(), "to": p.period_end.isoformat(), "enrolled": p.enrolled,
                "new": p.new, "closed": p.closed, "steps_work": p.steps_work, "steps_studies": p.steps_studies,
            }
            for p in report.periods
        ],
        "indicators": [
            {
                "name": s.indicator.name, "unit": s.indicator.unit, "target": str(s.indicator.target),
                "values": [None if v is None else str(v) for v in s.values],
            }
            for s in report.series
        ],
    }


def report_version(report: FollowUpReport) -> int:
    text = json.dumps(_data(report), sort_keys=True)
    return (zlib.crc32(text.encode()) & 0x7FFFFFFF) or 1


def produce_report(document: RenderedDocument) -> ProducedPdf:
    intervention = Intervention.objects.select_related("organisation", "lead_organisation").get(pk=document.object_id)
    report = follow_up_report(intervention)
    title = f"{intervention.name} – uppföljning mot mål"
    html = render_to_string(
        "interventions/report_pdf.html", {"report": report, "intervention": intervention, "title": title}
    )
    pdf = render_pdf(
        html,
        title=title,
        attachments=[
            PdfAttachment.json("uppfoljning.json", _data(report), description="Uppföljningens siffror")
        ],
    )
    sealed = seal_pdf(pdf, reason="Insatsrapport", location=intervention.organisation.name)
    return ProducedPdf(
        content=sealed,
        filename=f"insatsrapport-{intervention.pk}-v{document.version}.pdf",
        metadata={"title": title, "periods": len(report.periods)},
    )


def report_request(*, intervention: Intervention, actor: Any) -> RenderedDocument:
    report = follow_up_report(intervention)
    return document_request(
        kind=KIND, target=intervention, version=report_version(report), organisation=intervention.organisation,
        actor=actor,
    )


def current_document(intervention: Intervention) -> RenderedDocument | None:
    """The follow-up PDF last asked for, if any (it may be of an older state)."""
    return document_latest(kind=KIND, target=intervention)


def may_download(user: Any, document: RenderedDocument) -> bool:
    """Whoever may see the intervention's follow-up: the association's people and its contact."""
    intervention = Intervention.objects.select_related("organisation").filter(pk=document.object_id).first()
    if intervention is None:
        return False
    try:
        intervention_for(user, intervention.organisation.slug, intervention.pk, contact_too=True)
    except Http404:
        return False
    return True


def register() -> None:
    register_producer(KIND, produce_report, label="Insatsrapport", may_download=may_download)
