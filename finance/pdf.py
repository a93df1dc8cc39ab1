"""The delårsrapport table as a sealed PDF, through the shared document toolkit (board.documents).

A document is one version of the table: `report_version` is a checksum of every number and
comment in it, so asking again after a forecast changed gives a new document, and asking
twice without a change gives the same one. The producer renders the table as it is when the
worker runs it and records the outcome date and Resultat in the metadata.
"""

from __future__ import annotations

import zlib
from typing import Any

from django.template.loader import render_to_string

from board.documents.models import RenderedDocument
from board.documents.pdf import PdfAttachment, render_pdf, seal_pdf
from board.documents.registry import ProducedPdf, register_producer
from board.documents.services import document_latest, document_request

from .models import Budget
from .reports import Report, build_report

KIND = "finance.report"


def report_version(report: Report) -> int:
    parts: list[str] = [str(report.outcome_date), *[f"{v.pk}:{v.adopted}" for v in report.versions]]
    for row in report.rows:
        parts.append(
            f"{row.line.pk}|{row.line.name}|{row.budgets}|{row.outcome}|{row.forecast}|{row.comment}"
        )
    # PositiveIntegerField: keep 31 bits.
    return (zlib.crc32("\n".join(parts).encode()) & 0x7FFFFFFF) or 1


def _data(report: Report) -> dict[str, Any]:
    return {
        "organisation": report.budget.organisation.slug,
        "year": report.budget.year,
        "outcome_date": report.outcome_date.isoformat() if report.outcome_date else None,
        "lines": [
            {
                "code": r.line.code,
                "name": r.line.name,
                "group": r.line.group.name if hasattr(r.line, "group") else "",
                "budget": str(r.budget),
                "outcome": str(r.outcome) if r.outcome is not None else None,
                "forecast": str(r.forecast),
                "deviation": str(r.deviation),
                "comment": r.comment,
            }
            for r in report.rows
        ],
        "result": {
            "budget": str(report.result.budget),
            "outcome": str(report.result.outcome),
            "forecast": str(report.result.forecast),
            "deviation": str(report.result.deviation),
        },
    }


def produce_report(document: RenderedDocument) -> ProducedPdf:
    budget = Budget.objects.select_related("organisation").get(pk=document.object_id)
    report = build_report(budget, adopted_only=False)
    title = f"{budget.organisation.name} – ekonomiskt utfall och prognos {budget.year}"
    html = render_to_string("finance/report_pdf.html", {"report": report, "title": title, "budget": budget})
    pdf = render_pdf(
        html,
        title=title,
        attachments=[
            PdfAttachment.json("delarsrapport.json", _data(report), description="Tabellens belopp")
        ],
    )
    sealed = seal_pdf(pdf, reason="Ekonomisk rapport", location=budget.organisation.name)
    date = report.outcome_date.isoformat() if report.outcome_date else "utan-utfall"
    return ProducedPdf(
        content=sealed,
        filename=f"ekonomi-{budget.organisation.slug}-{budget.year}-{date}.pdf",
        metadata={"title": title, "outcome_date": date, "result_forecast": str(report.result.forecast)},
    )


def report_request(*, budget: Budget, actor: Any) -> RenderedDocument:
    report = build_report(budget)
    return document_request(
        kind=KIND, target=budget, version=report_version(report), organisation=budget.organisation, actor=actor
    )


def current_document(budget: Budget) -> RenderedDocument | None:
    """The PDF of this budget last asked for, if any (it may be of an older state)."""
    return document_latest(kind=KIND, target=budget)


def register() -> None:
    register_producer(KIND, produce_report, label="Ekonomisk rapport")
