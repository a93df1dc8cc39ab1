"""The minutes' PDFs: full, public and protokollsutdrag, produced by the worker.

Producers for board.documents (kinds "minutes.full", "minutes.public", "minutes.extract").
Each renders from `selectors.minutes_document` (the same context as the preview) through the
print layout `minutes/_minutes_document.html`, wrapped in a PDF-only template with its CSS
(page header with "Sida N (M)" in @page margin boxes), then board.documents.pdf.render_pdf (PDF/A-3b,
tagged, /Lang sv, the minutes' JSON attached) and board.documents.pdf.seal_pdf. A producer refuses to
render minutes whose content no longer matches the signed version: the PDF must show exactly
what was signed.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from board.documents.models import RenderedDocument
from board.documents.pdf import PdfAttachment, render_pdf, seal_pdf
from board.documents.registry import ProducedPdf, register_producer, register_signers
from board.permissions import Action, can

from ..drafting.selectors import minutes_document
from ..justering.rules import minutes_snapshot, required_signers, snapshot_sha256
from ..justering.selectors import is_signer_of, secretary_person
from ..justering.signing import evidence
from ..models import Meeting, MinutesVersion, Notice, Paragraph
from ..projection import is_masked, public_minutes, public_text

CSS_FILE = Path(settings.BASE_DIR) / "static" / "css" / "minutes_pdf.css"
SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
# The e-ID families whose signatures carry the signer's (masked) personnummer.
E_ID_FAMILIES = ("bankid", "oidc")
# The public version: what the public pages, the notice board and the public API link to.
PUBLIC_MINUTES_KIND = "minutes.public"


def _css_string(value: str) -> str:
    """A value for CSS `content: "..."` in the PDF's <style> element.

    Backslashes and quotes escaped, line breaks (\\n, \\r, \\f end a CSS string) as spaces, and
    every `<` as the CSS escape \\3C: a name with "</style>" in it would otherwise end the
    element and put its own HTML into the PDF (a link that embeds a file of the server)."""
    text = re.sub(r"[\r\n\f]", " ", value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("<", "\\3C ") + '"'


def _stamp(value: Any) -> str:
    """ "2023-11-06 07:05 CET", as the seeds print the signing times."""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _version_and_doc(meeting: Any, number: int) -> tuple[Any, Any, list[Any]]:
    version = MinutesVersion.objects.get(meeting=meeting, number=number)
    if version.status not in (MinutesVersion.Status.SIGNED, MinutesVersion.Status.UNLOCKED):
        raise ValueError(f"Version {number} av {meeting} är inte justerad.")
    doc = minutes_document(meeting)
    signers = required_signers(doc, fallback_secretary=secretary_person(meeting, version))
    if snapshot_sha256(minutes_snapshot(doc, signers)) != version.sha256:
        raise ValueError(f"Protokollet {meeting} har ändrats efter version {number}; den kan inte återges.")
    signatures = list(version.signatures.select_related("person").order_by("signed_at"))
    return version, doc, signatures


def _signers_meta(signatures: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "name": s.person.full_name,
            "role": str(s.get_role_display()),
            "signed_at": _stamp(s.signed_at),
            "sha256": s.sha256,
        }
        for s in signatures
    ]


def _swedish_time(value: Any) -> str:
    """ "2023-11-02 kl. 14:05", Swedish time whatever the server's."""
    local = timezone.localtime(value, SWEDISH_TIME)
    return f"{local:%Y-%m-%d} kl. {local:%H:%M}"


def _underskrifter(signatures: list[Any]) -> tuple[list[dict[str, str]], list[PdfAttachment]]:
    """The full minutes' "Underskrifter" page, one entry per signature, and each signature's
    evidence as a JSON attachment (`underskrift-<n>-<method>.json`) that can be checked offline
    against the version's SHA-256 (minutes/justering/signing/evidence.py). Never for the public
    version: the evidence names the signer's personnummer."""
    rows: list[dict[str, str]] = []
    files: list[PdfAttachment] = []
    for n, s in enumerate(signatures, start=1):
        checked = evidence.check(s)
        name = f"underskrift-{n}-{re.sub(r'[^a-z0-9-]+', '-', s.method.lower()) or 'okand'}.json"
        rows.append({
            "role": str(s.get_role_display()),
            "name": s.person.full_name,
            "method_and_level": checked.method_and_level,
            "signed_at_local": _swedish_time(s.signed_at),
            "identity_masked": s.identity_masked if evidence.family(s.method) in E_ID_FAMILIES else "",
            "sha256": s.sha256,
            "attachment": name,
            "result": checked.result,
        })
        files.append(PdfAttachment.json(name, {
            "role": str(s.get_role_display()),
            "name": s.person.full_name,
            "method": s.method,
            "level": s.level,
            "signed_at": s.signed_at.isoformat(),
            "sha256": s.sha256,
            "evidence": s.evidence,
        }, description=f"Bevis för underskriften av {s.person.full_name} ({checked.method_label})"))
    return rows, files


def minutes_signers(document: RenderedDocument) -> list[dict[str, Any]]:
    """/verifiera/'s signers of a minutes document (board.documents.registry.register_signers):
    name, role, time, method, level and whether the evidence holds. No personnummer, masked or not."""
    target = document.target
    meeting = getattr(target, "meeting", target)  # the meeting, or the meeting of the §
    if meeting is None:
        return []
    version = MinutesVersion.objects.filter(meeting=meeting, number=document.version).first()
    if version is None:
        return []
    result = []
    for s in version.signatures.select_related("person").order_by("signed_at"):
        checked = evidence.check(s)
        result.append({
            "name": s.person.full_name,
            "role": str(s.get_role_display()),
            "signed_at": _stamp(s.signed_at),
            "method": checked.method_label,
            "level": checked.level_label,
            "evidence": checked.result,
            "evidence_valid": checked.ok,
        })
    return result


def _page_css(doc: Any) -> str:
    organ = doc.meeting.organ
    owner = f"{organ.name} {doc.organisation.name}" if organ.kind == "interimsstyrelse" else doc.organisation.name
    date = doc.meeting.date.isoformat()
    return (
        "@page { @top-left { content: " + _css_string(owner) + "; }\n"
        "  @top-right { content: " + _css_string("Sammanträdesprotokoll") + ' "\\A " '
        + _css_string(f"Sammanträdesdatum {date}")
        + ' "\\A Sida " counter(page) " (" counter(pages) ")"; } }\n'
    )


def _minutes_pdf(document: RenderedDocument, *, public: bool) -> ProducedPdf:
    meeting = cast(Meeting, document.target)  # a "minutes.*" document's target is its meeting
    version, doc, signatures = _version_and_doc(meeting, document.version)
    snapshot = public_minutes(version.snapshot) if public else version.snapshot
    notice = meeting.notices.filter(kind=Notice.Kind.JUSTERING).first()  # at most one
    title = f"Sammanträdesprotokoll {meeting.organ.name} {doc.organisation.name} {meeting.date:%Y-%m-%d}"
    if public:
        title += " (offentlig version)"
    signers = _signers_meta(signatures)
    underskrifter, evidence_files = ([], []) if public else _underskrifter(signatures)
    html = render_to_string("minutes/pdf/minutes.html", {
        "doc": doc,
        "public": public,
        "title": title,
        "css": CSS_FILE.read_text(encoding="utf-8"),
        "page_css": _page_css(doc),
        "justering_template": "minutes/pdf/_justering.html",
        "notice_template": "minutes/pdf/_anslag.html",
        "version": version,
        "signers": signers,
        "notice": notice,
        "underskrifter": underskrifter,
        # The public version shows what the projection of the signed snapshot lets the public
        # see (doc has just been checked to be that snapshot): masked §§ as number and OSL.
        "masked": {item["id"] for item in snapshot["paragraphs"] if is_masked(item)} if public else set(),
    })
    if public:
        # The print is made from the live rows (checked above to be the signed snapshot), not
        # from the projection: its text goes through the projection's mask of personal
        # identity numbers as a whole, as every public page does (minutes/public/views.py).
        html = mark_safe(public_text(html))  # noqa: S308 - our own rendered HTML, with digits masked
        title = public_text(title)
    data = {
        "version": version.number,
        "sha256": version.sha256,
        "justered_at": version.justered_at.isoformat() if version.justered_at else None,
        "signatures": signers,
        "minutes": snapshot,
    }
    pdf = render_pdf(
        html,
        title=title,
        attachments=[PdfAttachment.json(
            "protokoll.json", data, description="Protokollets innehåll och justering som data"
        ), *evidence_files],
    )
    sealed = seal_pdf(pdf, reason="Justerat protokoll", location=doc.organisation.name)
    stem = f"protokoll-{doc.organisation.slug}-{meeting.date:%Y-%m-%d}-v{version.number}"
    return ProducedPdf(
        content=sealed,
        filename=f"{stem}{'-offentlig' if public else ''}.pdf",
        metadata={
            "title": title,
            "signers": signers,
            "meeting": meeting.pk,
            "minutes_version": version.number,
            "minutes_sha256": version.sha256,
            "paragraphs": doc.range_label,
        },
    )


def produce_full_minutes(document: RenderedDocument) -> ProducedPdf:
    return _minutes_pdf(document, public=False)


def produce_public_minutes(document: RenderedDocument) -> ProducedPdf:
    return _minutes_pdf(document, public=True)


def produce_extract(document: RenderedDocument) -> ProducedPdf:
    """Protokollsutdrag of one §: "Rätt utdraget ur protokollet intygar" and the secretary."""
    paragraph = cast(Paragraph, document.target)  # a "minutes.extract" document's target is its §
    meeting = paragraph.meeting
    version, doc, signatures = _version_and_doc(meeting, document.version)
    pv = next(pv for pv in doc.paragraphs if pv.paragraph.pk == paragraph.pk)
    secretary = next((s for s in signatures if s.role == "sekreterare"), None)
    title = f"Protokollsutdrag {paragraph.label} {paragraph.title}"
    signers = _signers_meta(signatures)
    html = render_to_string("minutes/pdf/extract.html", {
        "doc": dataclasses.replace(doc, paragraphs=[pv]),
        "pv": pv,
        "title": title,
        "css": CSS_FILE.read_text(encoding="utf-8"),
        "page_css": _page_css(doc),
        "version": version,
        "signers": signers,
        "secretary_name": secretary.person.full_name if secretary else "",
        "certified_on": timezone.localdate().isoformat(),
    })
    item = next(p for p in version.snapshot["paragraphs"] if p["id"] == paragraph.pk)
    data = {"minutes_version": version.number, "minutes_sha256": version.sha256,
            "meeting": version.snapshot["meeting"], "paragraph": item, "signatures": signers}
    pdf = render_pdf(html, title=title, attachments=[
        PdfAttachment.json("utdrag.json", data, description="Paragrafens innehåll som data")
    ])
    sealed = seal_pdf(pdf, reason="Protokollsutdrag", location=doc.organisation.name)
    return ProducedPdf(
        content=sealed,
        filename=f"utdrag-{doc.organisation.slug}-{meeting.date:%Y-%m-%d}-{paragraph.number}-v{version.number}.pdf",
        metadata={"title": title, "signers": signers, "meeting": meeting.pk, "paragraph": paragraph.pk,
                  "minutes_version": version.number, "minutes_sha256": version.sha256},
    )


def may_download(user: Any, document: RenderedDocument) -> bool:
    """Whoever may see the association's records, and the minutes' own signers."""
    if can(user, Action.VIEW, document.organisation_id):
        return True
    target = document.target
    meeting = cast(Meeting, getattr(target, "meeting", target))  # the meeting, or the meeting of the §
    return is_signer_of(user, meeting)


register_producer("minutes.full", produce_full_minutes, label="Protokoll", may_download=may_download)
register_producer(PUBLIC_MINUTES_KIND, produce_public_minutes, label="Protokoll (offentlig version)", public=True)
register_producer("minutes.extract", produce_extract, label="Protokollsutdrag", may_download=may_download)
for _kind in ("minutes.full", PUBLIC_MINUTES_KIND, "minutes.extract"):
    register_signers(_kind, minutes_signers)
