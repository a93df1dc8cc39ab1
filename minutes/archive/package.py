"""Build the yearly archive package: an E-ARK SIP under FGS Paketstruktur 2.0 (CSIP 2.1 + SIP 2.1).

`package_build(organisation=, year=, organ=, target=, progress=)` writes the package into the
folder `target/<OBJID>/` and returns what it did (`BuiltPackage`: the root folder, the files,
what was left out and why). The layout:

    <OBJID>/METS.xml                         root METS, CSIP profile (E-ARK-SIP), agents
    <OBJID>/metadata/descriptive/arkivbeskrivning.xml   our described format (schemas/)
    <OBJID>/metadata/preservation/premis.xml PREMIS 3: every data file with SHA-256 fixity,
                                             the events (justering, each signature, sealing,
                                             posting and take-down of notices), the agents
    <OBJID>/representations/rep1/METS.xml    the representation's METS (fileSec of data/)
    <OBJID>/representations/rep1/data/...    per justerat sammanträde: the sealed full PDF/A,
                                             the public PDF, the canonical JSON snapshot (its
                                             SHA-256 is the signed version's), the justering
                                             with each signature's evidence, extracts, the
                                             handlingar; per notice: anslagsbevis, attachments;
                                             data/delegation/: the year's delegation register
    <OBJID>/schemas/                         the XSDs the XML above follows

Only what is justerat goes in: a meeting whose minutes are not justerade is left out whole
(its handlingar and notices with it), and so is a PDF not yet issued; `left_out` says what
and why. Every file is read through Django's storage API (`FieldFile.open`), never a path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ET

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from board.documents.models import RenderedDocument
from board.models import Organ, Organisation

from ..justering.rules import canonical_bytes
from ..models import (
    AgendaDocument,
    DelegationDecision,
    DelegationLine,
    Meeting,
    MinutesVersion,
    Notice,
    Paragraph,
)
from .validation import (
    CSIP_NS,
    DESCRIPTION_NS,
    METS_NS,
    PREMIS_NS,
    SCHEMA_DIR,
    SCHEMA_FILES,
    SIP_NS,
    SIP_PROFILE,
    XLINK_NS,
    XSI_NS,
)

SOFTWARE = "Samordna"
SOFTWARE_VERSION = "0.1.0"
REP = "representations/rep1"
JUSTERADE = (MinutesVersion.Status.SIGNED, MinutesVersion.Status.UNLOCKED)
CERTIFICATE_KIND = "notice.certificate"

for _prefix, _ns in (("mets", METS_NS), ("xlink", XLINK_NS), ("csip", CSIP_NS), ("sip", SIP_NS),
                     ("premis", PREMIS_NS), ("xsi", XSI_NS),
                     ("ab", DESCRIPTION_NS)):
    ET.register_namespace(_prefix, _ns)

# (PREMIS format name, version, PRONOM key) of what we put in.
FORMATS = {
    "pdfa": ("PDF/A-3b", "3b", "fmt/480"),
    "pdf": ("Portable Document Format", "", "fmt/276"),
    "json": ("JSON", "", "fmt/817"),
    "xml": ("Extensible Markup Language", "1.0", "fmt/101"),
    "docx": ("Microsoft Word for Windows (OOXML)", "2007 onwards", "fmt/412"),
    "xlsx": ("Microsoft Excel (OOXML)", "2007 onwards", "fmt/214"),
    "odt": ("OpenDocument Text", "", "fmt/291"),
}
MIMETYPES = {
    "pdfa": "application/pdf", "pdf": "application/pdf", "json": "application/json",
    "xml": "application/xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}

Progress = Callable[[int, str], None]


@dataclasses.dataclass
class PackedFile:
    path: str  # relative to the package root
    kind: str  # what it is, in Swedish: "protokoll", "protokoll (offentlig version)", ...
    fmt: str  # a key of FORMATS
    sha256: str
    size: int
    created: dt.datetime
    original_name: str = ""
    owner: str = ""  # "m<meeting pk>" or "n<notice pk>": what it belongs to


@dataclasses.dataclass
class Event:
    ident: str
    kind: str  # PREMIS eventType
    at: dt.datetime
    detail: str
    outcome: str = "success"
    agents: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (agent id, role)
    objects: list[str] = dataclasses.field(default_factory=list)  # package paths


@dataclasses.dataclass
class BuiltPackage:
    root: Path
    object_id: str
    files: list[PackedFile]
    left_out: list[dict[str, str]]
    meetings: int
    notices: int

    @property
    def data_bytes(self) -> int:
        return sum(f.size for f in self.files)


def object_id_for(organisation: Organisation, year: int, organ: Organ | None, created: dt.datetime) -> str:
    organ_part = f"-{slugify(organ.name)}" if organ is not None else ""
    return f"samordna-{organisation.slug}-{year}{organ_part}-{created:%Y%m%dT%H%M%SZ}"


def _iso(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def _safe(name: str, default: str = "fil") -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    clean = slugify(stem)[:80] or default
    ext = slugify(ext)[:10]
    return f"{clean}.{ext}" if ext else clean


class _Writer:
    """Writes files into the package folder, hashing as it goes, and remembers them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[PackedFile] = []
        self._used: set[str] = set()

    def _unique(self, path: str) -> str:
        candidate, n = path, 1
        while candidate in self._used:
            n += 1
            stem, dot, ext = path.rpartition(".")
            candidate = f"{stem}-{n}.{ext}" if dot else f"{path}-{n}"
        self._used.add(candidate)
        return candidate

    def write(self, path: str, source: bytes | IO[bytes], **info: Any) -> PackedFile:
        path = self._unique(path)
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with target.open("wb") as out:
            if isinstance(source, bytes):
                chunks: Iterable[bytes] = [source]
            else:
                chunks = iter(lambda: source.read(1024 * 1024), b"")
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        packed = PackedFile(path=path, sha256=digest.hexdigest(), size=size, **info)
        self.files.append(packed)
        return packed

    def copy_field(self, path: str, field: Any, **info: Any) -> PackedFile:
        with field.open("rb") as f:  # the storage API: filesystem or S3 alike
            return self.write(path, f, **info)


def _copy_issued(writer: _Writer, left_out: list[dict[str, str]], what: str, path: str, field: Any,
                 **info: Any) -> PackedFile | None:
    """An issued PDF into the package; one whose file the storage no longer has is left out
    and said so (the package must not stop, nor hide that a sealed document is missing)."""
    try:
        return writer.copy_field(path, field, **info)
    except OSError as exc:  # FileNotFoundError and what S3 storage raises alike
        left_out.append({"what": what, "why": f"Den utfärdade filen saknas i lagringen ({type(exc).__name__})."})
        return None


def _documents(kind: str, model: type, ids: Iterable[int]) -> dict[int, list[RenderedDocument]]:
    content_type = ContentType.objects.get_for_model(model)
    found: dict[int, list[RenderedDocument]] = {}
    for doc in RenderedDocument.objects.filter(kind=kind, content_type=content_type, object_id__in=list(ids)).order_by("version", "pk"):
        found.setdefault(doc.object_id, []).append(doc)
    return found


def package_build(
    *,
    organisation: Organisation,
    year: int,
    organ: Organ | None = None,
    target: Path,
    created: dt.datetime | None = None,
    progress: Progress | None = None,
) -> BuiltPackage:
    """Write the package for the association's year (and organ) into `target/<OBJID>/`."""
    created = (created or timezone.now()).replace(microsecond=0)
    today = timezone.localdate()
    report = progress or (lambda percent, step: None)
    object_id = object_id_for(organisation, year, organ, created)
    root = Path(target) / object_id
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    writer = _Writer(root)
    left_out: list[dict[str, str]] = []
    events: list[Event] = []
    agents: dict[str, tuple[str, str]] = {  # id: (name, PREMIS agentType)
        "agent-software": (f"{SOFTWARE} {SOFTWARE_VERSION}", "software"),
        "agent-organisation": (organisation.name, "organization"),
    }

    meetings_qs = Meeting.objects.filter(organ__organisation=organisation, date__year=year).select_related("organ")
    if organ is not None:
        meetings_qs = meetings_qs.filter(organ=organ)
    meetings = list(meetings_qs.order_by("date", "start_time", "pk"))
    report(2, f"{len(meetings)} sammanträden hittade")

    justered: dict[int, list[MinutesVersion]] = {}
    for version in (
        MinutesVersion.objects.filter(meeting__in=meetings, status__in=JUSTERADE)
        .prefetch_related("signatures__person").order_by("number")
    ):
        justered.setdefault(version.meeting_id, []).append(version)
    included = [m for m in meetings if m.status == Meeting.Status.SIGNED and justered.get(m.pk)]
    for m in meetings:
        if m not in included:
            left_out.append({
                "what": f"Sammanträdet {m.organ.name} {m.date:%Y-%m-%d} (protokoll, handlingar och anslag)",
                "why": f"Protokollet är inte justerat (status: {m.get_status_display()}).",
            })
    included_ids = [m.pk for m in included]
    full_docs = _documents("minutes.full", Meeting, included_ids)
    public_docs = _documents("minutes.public", Meeting, included_ids)
    paragraphs = {p.pk: p for p in Paragraph.objects.filter(meeting__in=included_ids)}
    extract_docs = _documents("minutes.extract", Paragraph, paragraphs)

    descriptions: list[dict[str, Any]] = []
    total = max(len(included), 1)
    for index, meeting in enumerate(included):
        folder = f"{REP}/data/sammantraden/{meeting.date:%Y-%m-%d}-{slugify(meeting.organ.name) or 'organ'}-{meeting.pk}"
        owner = f"m{meeting.pk}"
        files: list[PackedFile] = []
        versions = justered[meeting.pk]
        for version in versions:
            v = version.number
            snapshot_file = writer.write(
                f"{folder}/protokoll-v{v}.json", canonical_bytes(version.snapshot),
                kind="protokollets innehåll (kanonisk JSON, justerad)", fmt="json",
                created=version.justered_at or version.created_at, owner=owner,
            )
            files.append(snapshot_file)
            signatures = list(version.signatures.all())
            justering = {
                "format": "samordna.justering/1",
                "meeting": version.snapshot.get("meeting"),
                "version": v,
                "status": version.status,
                "sha256": version.sha256,
                "snapshot_file": posixpath_name(snapshot_file.path),
                "justered_at": version.justered_at.isoformat() if version.justered_at else None,
                "signatures": [
                    {"role": s.role, "name": s.person.full_name, "method": s.method, "level": s.level,
                     "signed_at": s.signed_at.isoformat(), "sha256": s.sha256, "reference": s.reference,
                     "identity_masked": s.identity_masked, "evidence": s.evidence}
                    for s in signatures
                ],
            }
            files.append(writer.write(
                f"{folder}/justering-v{v}.json",
                json.dumps(justering, ensure_ascii=False, indent=2, sort_keys=True).encode(),
                kind="justering med underskrifternas bevis", fmt="json",
                created=version.justered_at or version.created_at, owner=owner,
            ))
            signer_agents = []
            for s in signatures:
                agent_id = f"agent-person-{s.person_id}"
                agents[agent_id] = (s.person.full_name, "person")
                signer_agents.append((agent_id, str(s.get_role_display())))
                events.append(Event(
                    ident=f"event-signature-{s.pk}", kind="signature", at=s.signed_at,
                    detail=(f"{s.person.full_name} ({s.get_role_display()}) skrev under version {v} "
                            f"av protokollet {meeting.organ.name} {meeting.date:%Y-%m-%d}: sätt {s.method}, "
                            f"nivå {s.level}, SHA-256 {s.sha256}"),
                    agents=[(agent_id, str(s.get_role_display()))], objects=[snapshot_file.path],
                ))
            if version.justered_at:
                events.append(Event(
                    ident=f"event-justering-{version.pk}", kind="justering", at=version.justered_at,
                    detail=(f"Protokollet {meeting.organ.name} {meeting.date:%Y-%m-%d} version {v} justerat "
                            f"({version.get_status_display()}), SHA-256 {version.sha256}"),
                    agents=signer_agents, objects=[snapshot_file.path],
                ))
            for _kind, docs, label, suffix in (
                ("minutes.full", full_docs, "protokoll (förseglad PDF/A, fullständig)", ""),
                ("minutes.public", public_docs, "protokoll (förseglad PDF/A, offentlig version)", "-offentlig"),
            ):
                doc = next((d for d in docs.get(meeting.pk, []) if d.version == v), None)
                what = f"{label.capitalize()} {meeting.organ.name} {meeting.date:%Y-%m-%d} version {v}"
                if doc is None or doc.status != RenderedDocument.Status.DONE:
                    left_out.append({"what": what, "why": _not_issued(doc)})
                    continue
                packed = _copy_issued(
                    writer, left_out, what, f"{folder}/protokoll-v{v}{suffix}.pdf", doc.file, kind=label, fmt="pdfa",
                    created=doc.finished_at or doc.created_at, original_name=doc.filename, owner=owner,
                )
                if packed is None:
                    continue
                files.append(packed)
                events.append(_sealing(doc, packed))
        for paragraph_id, extracts in sorted(extract_docs.items()):
            paragraph = paragraphs[paragraph_id]
            if paragraph.meeting_id != meeting.pk:
                continue
            for extract in extracts:
                what = f"Protokollsutdrag {paragraph.label} version {extract.version}"
                if extract.status != RenderedDocument.Status.DONE:
                    left_out.append({"what": what, "why": _not_issued(extract)})
                    continue
                packed = _copy_issued(
                    writer, left_out, what,
                    f"{folder}/utdrag/utdrag-{paragraph.number or paragraph.pk}-v{extract.version}.pdf", extract.file,
                    kind="protokollsutdrag (förseglad PDF/A)", fmt="pdfa",
                    created=extract.finished_at or extract.created_at, original_name=extract.filename, owner=owner,
                )
                if packed is None:
                    continue
                files.append(packed)
                events.append(_sealing(extract, packed))
        for handling in AgendaDocument.objects.filter(meeting=meeting).order_by("position", "pk"):
            if not handling.file:
                left_out.append({
                    "what": f"Handlingen {handling.title!r} ({meeting.organ.name} {meeting.date:%Y-%m-%d})",
                    "why": "Handlingen är bara förtecknad med titel; det finns ingen fil i systemet.",
                })
                continue
            fmt = handling.file_type if handling.file_type in FORMATS else "pdf"
            name = _safe(handling.download_name)
            try:
                files.append(writer.copy_field(
                    f"{folder}/handlingar/{handling.position:03d}-{name}", handling.file,
                    kind=f"handling: {handling.title}", fmt=fmt, created=handling.uploaded_at,
                    original_name=handling.original_name, owner=owner,
                ))
            except (FileNotFoundError, OSError) as exc:
                left_out.append({
                    "what": f"Handlingen {handling.title!r} ({meeting.organ.name} {meeting.date:%Y-%m-%d})",
                    "why": f"Filen kunde inte läsas ur lagringen ({type(exc).__name__}).",
                })
        descriptions.append({"meeting": meeting, "versions": versions, "files": files})
        report(5 + int(70 * (index + 1) / total), f"Sammanträde {index + 1} av {len(included)}: {meeting.date:%Y-%m-%d}")

    # Notices: those of the included meetings, and those not tied to a meeting posted in the year.
    notices_qs = Notice.objects.filter(organisation=organisation).select_related("meeting", "organ")
    if organ is not None:
        notices_qs = notices_qs.filter(organ=organ) | notices_qs.filter(meeting__organ=organ)
    notice_list = []
    for n in notices_qs.order_by("posted_on", "pk"):
        if n.kind == Notice.Kind.JUSTERING:
            if n.meeting_id in included_ids:
                notice_list.append(n)  # a justering notice of a left-out meeting goes with it
        elif (n.meeting.date.year if n.meeting_id and n.meeting else n.posted_on.year) == year:
            notice_list.append(n)
    certificates = _documents(CERTIFICATE_KIND, Notice, [n.pk for n in notice_list])
    notice_descriptions: list[dict[str, Any]] = []
    packed_notices = 0
    for notice in notice_list:
        what = f"Anslaget {notice.title!r} ({notice.posted_on:%Y-%m-%d})"
        if notice.posted_on > today:
            left_out.append({"what": what, "why": "Anslaget är inte uppsatt ännu."})
            continue
        folder = f"{REP}/data/anslag/{notice.posted_on:%Y-%m-%d}-{notice.kind}-{notice.pk}"
        owner = f"n{notice.pk}"
        files = []
        done = [d for d in certificates.get(notice.pk, []) if d.status == RenderedDocument.Status.DONE]
        for doc in certificates.get(notice.pk, []):
            if doc.status != RenderedDocument.Status.DONE:
                left_out.append({"what": f"Anslagsbevis för {what} version {doc.version}", "why": _not_issued(doc)})
        if not certificates.get(notice.pk):
            left_out.append({"what": f"Anslagsbevis för {what}", "why": "Inget anslagsbevis är utfärdat."})
        for doc in done:
            packed = _copy_issued(
                writer, left_out, f"Anslagsbevis för {what} version {doc.version}",
                f"{folder}/anslagsbevis-v{doc.version}.pdf", doc.file, kind="anslagsbevis (förseglad PDF/A)",
                fmt="pdfa", created=doc.finished_at or doc.created_at, original_name=doc.filename, owner=owner,
            )
            if packed is None:
                continue
            files.append(packed)
            events.append(_sealing(doc, packed))
        for attachment in notice.attachments.all().order_by("pk"):
            fmt = attachment.file_type if attachment.file_type in FORMATS else "pdf"
            files.append(writer.copy_field(
                f"{folder}/bilagor/{_safe(attachment.original_name or Path(attachment.file.name or '').name)}",
                attachment.file, kind=f"bilaga till anslag: {attachment.title}", fmt=fmt,
                created=attachment.uploaded_at, original_name=attachment.original_name, owner=owner,
            ))
        responsible_id = "agent-notice-responsible-" + slugify(notice.posted_by_name or "okand")
        agents[responsible_id] = (notice.posted_by_name or organisation.name, "person" if notice.posted_by_name else "organization")
        objects = [f.path for f in files]
        posted_at = dt.datetime.combine(notice.posted_on, dt.time(0, 0), tzinfo=timezone.get_current_timezone())
        events.append(Event(
            ident=f"event-posting-{notice.pk}", kind="posting", at=posted_at,
            detail=f"Anslaget {notice.title!r} uppsatt på anslagstavlan {notice.posted_on:%Y-%m-%d}"
                   + (f", sista dag för överklagande {notice.last_appeal_day:%Y-%m-%d}" if notice.last_appeal_day else ""),
            agents=[(responsible_id, "ansvarig för anslag")], objects=objects,
        ))
        taken_down = notice.takedown_on < today
        if taken_down:
            down_at = dt.datetime.combine(notice.takedown_on, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
            events.append(Event(
                ident=f"event-takedown-{notice.pk}", kind="takedown", at=down_at,
                detail=f"Anslaget {notice.title!r} nedtaget efter {notice.takedown_on:%Y-%m-%d}",
                agents=[(responsible_id, "ansvarig för anslag")], objects=objects,
            ))
        notice_descriptions.append({"notice": notice, "files": files, "taken_down": taken_down})
        packed_notices += 1
    register = _delegation_register(organisation, year, organ, created)
    if register is not None:
        writer.write(
            f"{REP}/data/delegation/delegationsregister-{year}.json", register,
            kind="delegationsordning och delegationsbeslut (register)", fmt="json", created=created,
        )
    report(80, "Metadata skrivs")

    # The representation's METS first: the root METS states its checksum.
    _write_rep_mets(root, object_id, organisation, year, writer.files, created)
    desc = _description(organisation, year, organ, descriptions, notice_descriptions, left_out, created)
    description_path = root / "metadata/descriptive/arkivbeskrivning.xml"
    description_path.parent.mkdir(parents=True, exist_ok=True)
    _write_xml(desc, description_path)
    premis = _premis(writer.files, events, agents, organisation, object_id)
    premis_path = root / "metadata/preservation/premis.xml"
    premis_path.parent.mkdir(parents=True, exist_ok=True)
    _write_xml(premis, premis_path)
    schemas = root / "schemas"
    schemas.mkdir()
    for name in sorted(set(SCHEMA_FILES.values())):
        shutil.copyfile(SCHEMA_DIR / name, schemas / name)
    _write_root_mets(root, object_id, organisation, year, organ, created)
    report(95, "Paketet är skrivet")
    return BuiltPackage(root=root, object_id=object_id, files=writer.files, left_out=left_out,
                        meetings=len(included), notices=packed_notices)


def _delegation_register(organisation: Organisation, year: int, organ: Organ | None, created: dt.datetime) -> bytes | None:
    """The year's register of decisions taken under delegation, with the lines of the order they
    were taken under and where each was reported to the board (issue 20): every decision of the
    year, reported or not, as the register page shows it. An organ's package holds the decisions
    reported to that organ. None when there is nothing to register."""
    decisions = (
        DelegationDecision.objects.filter(organisation=organisation, decided_on__year=year)
        .select_related("line", "decided_by", "reported_in__meeting__organ", "notice")
        .order_by("decided_on", "pk")
    )
    if organ is not None:
        decisions = decisions.filter(reported_in__meeting__organ=organ)
    rows = list(decisions)
    if not rows:
        return None
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    lines = (
        DelegationLine.objects.filter(organisation=organisation, valid_from__lte=end)
        .exclude(valid_to__lt=start).order_by("code", "valid_from")
    )
    register = {
        "format": "samordna.delegationsregister/1",
        "organisation": {"name": organisation.name, "organisation_number": organisation.org_number},
        "year": year,
        "organ": organ.name if organ is not None else None,
        "created": _iso(created),
        "order": [
            {"code": line.code, "matter": line.matter, "delegate": line.get_delegate_role_display(),
             "max_amount_kr": line.max_amount, "report_to_board": line.report_duty,
             "valid_from": line.valid_from.isoformat(), "valid_to": line.valid_to.isoformat() if line.valid_to else None}
            for line in lines
        ],
        "decisions": [_register_row(d) for d in rows],
    }
    return json.dumps(register, ensure_ascii=False, indent=2).encode()


def _register_row(d: DelegationDecision) -> dict[str, Any]:
    paragraph, notice = d.reported_in, d.notice
    return {
        "decided_on": d.decided_on.isoformat(), "line": d.line.code, "matter": d.matter,
        "decision": d.decision, "amount_kr": d.amount, "appealable": d.appealable,
        "decided_by": d.decided_by.full_name,
        "reported_in": (
            {"paragraph": paragraph.label, "organ": paragraph.meeting.organ.name,
             "meeting": paragraph.meeting.date.isoformat()}
            if paragraph is not None and d.reported_on else None
        ),
        "reported_on": d.reported_on.isoformat() if d.reported_on else None,
        "notice": (
            {"title": notice.title, "posted_on": notice.posted_on.isoformat(),
             "takedown_on": notice.takedown_on.isoformat()}
            if notice is not None else None
        ),
    }


def posixpath_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _not_issued(doc: RenderedDocument | None) -> str:
    if doc is None:
        return "PDF:en är inte beställd."
    return f"PDF:en är inte utfärdad ännu (status: {doc.get_status_display()})."


def _sealing(doc: RenderedDocument, packed: PackedFile) -> Event:
    return Event(
        ident=f"event-sealing-{doc.pk}", kind="sealing", at=doc.finished_at or doc.created_at,
        detail=(f"{doc.kind_label} version {doc.version} renderad som PDF/A-3b och förseglad (PAdES) "
                f"med förbundets certifikat; SHA-256 {doc.sha256}"),
        agents=[("agent-software", "renderer"), ("agent-organisation", "sealer")], objects=[packed.path],
    )


# --- XML ------------------------------------------------------------------------------------


def _m(name: str) -> str:
    return f"{{{METS_NS}}}{name}"


def _write_xml(element: ET.Element, path: Path) -> None:
    tree = ET.ElementTree(element)
    ET.indent(tree, space="  ")
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def _file_info(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _mets_root(object_id: str, label: str, created: dt.datetime, schema_prefix: str) -> ET.Element:
    mets = ET.Element(_m("mets"), {
        "OBJID": object_id,
        "LABEL": label,
        "TYPE": "Other",
        f"{{{CSIP_NS}}}OTHERTYPE": "Sammanträdesprotokoll och anslag",
        f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER",
        f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": "samordna.minutes/1",
        "PROFILE": SIP_PROFILE,
        f"{{{XSI_NS}}}schemaLocation": " ".join([
            METS_NS, f"{schema_prefix}schemas/mets.xsd",
            XLINK_NS, f"{schema_prefix}schemas/xlink.xsd",
            CSIP_NS, f"{schema_prefix}schemas/DILCISExtensionMETS.xsd",
            SIP_NS, f"{schema_prefix}schemas/DILCISExtensionSIPMETS.xsd",
        ]),
    })
    return mets


def _header(mets: ET.Element, created: dt.datetime, organisation: Organisation | None) -> None:
    header = ET.SubElement(mets, _m("metsHdr"), {
        "CREATEDATE": _iso(created),
        "RECORDSTATUS": "NEW",
        f"{{{CSIP_NS}}}OAISPACKAGETYPE": "SIP",
    })
    software = ET.SubElement(header, _m("agent"), {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
    ET.SubElement(software, _m("name")).text = SOFTWARE
    ET.SubElement(software, _m("note"), {f"{{{CSIP_NS}}}NOTETYPE": "SOFTWARE VERSION"}).text = SOFTWARE_VERSION
    if organisation is None:
        return
    code = organisation.org_number or f"samordna:{organisation.slug}"
    # SIP9–14 the archival creator (arkivbildaren), SIP15–20 the submitter: the association both.
    for role in ("ARCHIVIST", "CREATOR"):
        agent = ET.SubElement(header, _m("agent"), {"ROLE": role, "TYPE": "ORGANIZATION"})
        ET.SubElement(agent, _m("name")).text = organisation.name
        ET.SubElement(agent, _m("note"), {f"{{{CSIP_NS}}}NOTETYPE": "IDENTIFICATIONCODE"}).text = code


def _file_element(parent: ET.Element, ident: str, href: str, mimetype: str, sha256: str, size: int,
                  created: dt.datetime, extra: dict[str, str] | None = None) -> ET.Element:
    file = ET.SubElement(parent, _m("file"), {
        "ID": ident, "MIMETYPE": mimetype, "SIZE": str(size), "CREATED": _iso(created),
        "CHECKSUM": sha256, "CHECKSUMTYPE": "SHA-256", **(extra or {}),
    })
    ET.SubElement(file, _m("FLocat"), {
        "LOCTYPE": "URL", f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": href,
    })
    return file


def _write_rep_mets(root: Path, object_id: str, organisation: Organisation, year: int,
                    files: list[PackedFile], created: dt.datetime) -> None:
    mets = _mets_root(f"{object_id}-rep1", f"{organisation.name} {year}: representation 1", created, "../../")
    _header(mets, created, None)
    file_sec = ET.SubElement(mets, _m("fileSec"), {"ID": "rep1-filesec"})
    group = ET.SubElement(file_sec, _m("fileGrp"), {"ID": "rep1-data", "USE": "Data"})
    for n, f in enumerate(files, start=1):
        name, version, registry_key = FORMATS[f.fmt]
        extra = {f"{{{SIP_NS}}}FILEFORMATNAME": name, f"{{{SIP_NS}}}FORMATREGISTRY": "PRONOM",
                 f"{{{SIP_NS}}}FORMATREGISTRYKEY": registry_key}
        if version:
            extra[f"{{{SIP_NS}}}FILEFORMATVERSION"] = version
        _file_element(group, f"rep1-file-{n:05d}", f.path[len(REP) + 1:], MIMETYPES[f.fmt],
                      f.sha256, f.size, f.created, extra)
    struct = ET.SubElement(mets, _m("structMap"), {"ID": "rep1-structmap", "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    div = ET.SubElement(struct, _m("div"), {"ID": "rep1-div", "LABEL": "Representations/rep1"})
    data = ET.SubElement(div, _m("div"), {"ID": "rep1-div-data", "LABEL": "Data"})
    ET.SubElement(data, _m("fptr"), {"FILEID": "rep1-data"})
    path = root / REP / "METS.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_xml(mets, path)


def _write_root_mets(root: Path, object_id: str, organisation: Organisation, year: int,
                     organ: Organ | None, created: dt.datetime) -> None:
    label = f"{organisation.name} {year}" + (f", {organ.name}" if organ else "") + ": protokoll och anslag"
    mets = _mets_root(object_id, label, created, "")
    _header(mets, created, organisation)

    def md_ref(parent: ET.Element, rel: str, mdtype: str, other: str = "") -> None:
        digest, size = _file_info(root / rel)
        attrs = {
            "LOCTYPE": "URL", f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": rel,
            "MDTYPE": mdtype, "MIMETYPE": "text/xml", "SIZE": str(size), "CREATED": _iso(created),
            "CHECKSUM": digest, "CHECKSUMTYPE": "SHA-256",
        }
        if other:
            attrs["OTHERMDTYPE"] = other
        ET.SubElement(parent, _m("mdRef"), attrs)

    dmd = ET.SubElement(mets, _m("dmdSec"), {"ID": "dmd-arkivbeskrivning", "CREATED": _iso(created), "STATUS": "CURRENT"})
    md_ref(dmd, "metadata/descriptive/arkivbeskrivning.xml", "OTHER", "SAMORDNA-ARKIVBESKRIVNING-1")
    amd = ET.SubElement(mets, _m("amdSec"), {"ID": "amd-1"})
    digiprov = ET.SubElement(amd, _m("digiprovMD"), {"ID": "digiprov-premis", "CREATED": _iso(created), "STATUS": "CURRENT"})
    md_ref(digiprov, "metadata/preservation/premis.xml", "PREMIS")

    file_sec = ET.SubElement(mets, _m("fileSec"), {"ID": "root-filesec"})
    schemas = ET.SubElement(file_sec, _m("fileGrp"), {"ID": "root-schemas", "USE": "Schemas"})
    for n, name in enumerate(sorted(set(SCHEMA_FILES.values())), start=1):
        digest, size = _file_info(root / "schemas" / name)
        _file_element(schemas, f"root-schema-{n:02d}", f"schemas/{name}", "application/xml", digest, size, created)
    reps = ET.SubElement(file_sec, _m("fileGrp"), {
        "ID": "root-rep1", "USE": "Representations/rep1",
        f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER",
        f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": "samordna.minutes/1",
    })
    digest, size = _file_info(root / REP / "METS.xml")
    _file_element(reps, "root-rep1-mets", f"{REP}/METS.xml", "application/xml", digest, size, created)

    struct = ET.SubElement(mets, _m("structMap"), {"ID": "root-structmap", "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    div = ET.SubElement(struct, _m("div"), {"ID": "root-div", "LABEL": object_id})
    ET.SubElement(div, _m("div"), {"ID": "root-div-metadata", "LABEL": "Metadata",
                                   "DMDID": "dmd-arkivbeskrivning", "ADMID": "digiprov-premis"})
    schema_div = ET.SubElement(div, _m("div"), {"ID": "root-div-schemas", "LABEL": "Schemas"})
    ET.SubElement(schema_div, _m("fptr"), {"FILEID": "root-schemas"})
    rep_div = ET.SubElement(div, _m("div"), {"ID": "root-div-rep1", "LABEL": "Representations/rep1"})
    ET.SubElement(rep_div, _m("mptr"), {
        "LOCTYPE": "URL", f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": f"{REP}/METS.xml",
        f"{{{XLINK_NS}}}title": "root-rep1",
    })
    _write_xml(mets, root / "METS.xml")


def _p(name: str) -> str:
    return f"{{{PREMIS_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, attrs: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, _p(name), attrs or {})
    if text is not None:
        element.text = text
    return element


def _identifier(parent: ET.Element, element: str, kind: str, value: str) -> None:
    ident = _sub(parent, element)
    prefix = element[0].lower() + element[1:].replace("Identifier", "")
    _sub(ident, f"{prefix}IdentifierType", kind)
    _sub(ident, f"{prefix}IdentifierValue", value)


def _premis(files: list[PackedFile], events: list[Event], agents: dict[str, tuple[str, str]],
            organisation: Organisation, object_id: str) -> ET.Element:
    premis = ET.Element(_p("premis"), {
        "version": "3.0", f"{{{XSI_NS}}}schemaLocation": f"{PREMIS_NS} ../../schemas/premis.xsd",
    })
    by_path: dict[str, list[str]] = {}
    for event in events:
        for path in event.objects:
            by_path.setdefault(path, []).append(event.ident)
    for f in files:
        obj = _sub(premis, "object", attrs={f"{{{XSI_NS}}}type": "premis:file"})
        _identifier(obj, "objectIdentifier", "filepath", f.path)
        characteristics = _sub(obj, "objectCharacteristics")
        _sub(characteristics, "compositionLevel", "0")
        fixity = _sub(characteristics, "fixity")
        _sub(fixity, "messageDigestAlgorithm", "SHA-256")
        _sub(fixity, "messageDigest", f.sha256)
        _sub(fixity, "messageDigestOriginator", SOFTWARE)
        _sub(characteristics, "size", str(f.size))
        name, version, registry_key = FORMATS[f.fmt]
        fmt = _sub(characteristics, "format")
        designation = _sub(fmt, "formatDesignation")
        _sub(designation, "formatName", name)
        if version:
            _sub(designation, "formatVersion", version)
        registry = _sub(fmt, "formatRegistry")
        _sub(registry, "formatRegistryName", "PRONOM")
        _sub(registry, "formatRegistryKey", registry_key)
        if f.original_name:
            _sub(obj, "originalName", f.original_name)
        storage = _sub(obj, "storage")
        location = _sub(storage, "contentLocation")
        _sub(location, "contentLocationType", "filepath")
        _sub(location, "contentLocationValue", f.path)
        for ident in by_path.get(f.path, []):
            _identifier(obj, "linkingEventIdentifier", "local", ident)
    for event in sorted(events, key=lambda e: (e.at, e.ident)):
        element = _sub(premis, "event")
        _identifier(element, "eventIdentifier", "local", event.ident)
        _sub(element, "eventType", event.kind)
        _sub(element, "eventDateTime", _iso(event.at))
        detail = _sub(element, "eventDetailInformation")
        _sub(detail, "eventDetail", event.detail)
        outcome = _sub(element, "eventOutcomeInformation")
        _sub(outcome, "eventOutcome", event.outcome)
        for agent_id, role in event.agents:
            link = _sub(element, "linkingAgentIdentifier")
            _sub(link, "linkingAgentIdentifierType", "local")
            _sub(link, "linkingAgentIdentifierValue", agent_id)
            _sub(link, "linkingAgentRole", role)
        for path in event.objects:
            link = _sub(element, "linkingObjectIdentifier")
            _sub(link, "linkingObjectIdentifierType", "filepath")
            _sub(link, "linkingObjectIdentifierValue", path)
    for agent_id, (name, kind) in sorted(agents.items()):
        agent = _sub(premis, "agent")
        _identifier(agent, "agentIdentifier", "local", agent_id)
        _sub(agent, "agentName", name)
        _sub(agent, "agentType", kind)
        if kind == "software":
            _sub(agent, "agentVersion", SOFTWARE_VERSION)
    return premis


def _d(name: str) -> str:
    return f"{{{DESCRIPTION_NS}}}{name}"


def _description(organisation: Organisation, year: int, organ: Organ | None,
                 meetings: list[dict[str, Any]], notices: list[dict[str, Any]],
                 left_out: list[dict[str, str]], created: dt.datetime) -> ET.Element:
    root = ET.Element(_d("arkivbeskrivning"), {"version": "1", "skapad": _iso(created)})
    forbund = ET.SubElement(root, _d("forbund"))
    ET.SubElement(forbund, _d("namn")).text = organisation.name
    if organisation.short_name:
        ET.SubElement(forbund, _d("kortnamn")).text = organisation.short_name
    if organisation.org_number:
        ET.SubElement(forbund, _d("organisationsnummer")).text = organisation.org_number
    ET.SubElement(forbund, _d("adress")).text = organisation.slug
    ET.SubElement(root, _d("ar")).text = str(year)
    if organ is not None:
        ET.SubElement(root, _d("organ")).text = organ.name
    container = ET.SubElement(root, _d("sammantraden"))
    for entry in meetings:
        meeting: Meeting = entry["meeting"]
        versions: list[MinutesVersion] = entry["versions"]
        latest = versions[-1].snapshot
        element = ET.SubElement(container, _d("sammantrade"), {
            "id": f"m{meeting.pk}", "datum": meeting.date.isoformat(), "typ": meeting.kind,
        })
        ET.SubElement(element, _d("organ")).text = meeting.organ.name
        if meeting.place_display:
            ET.SubElement(element, _d("plats")).text = meeting.place_display
        ET.SubElement(element, _d("paragrafserie")).text = latest.get("paragraph_range") or ""
        for version in versions:
            attrs = {"nummer": str(version.number), "sha256": version.sha256, "status": version.status}
            if version.justered_at:
                attrs["justerad"] = _iso(version.justered_at)
            ET.SubElement(element, _d("version"), attrs)
        for item in latest.get("paragraphs", []):
            attrs = {"beteckning": item.get("label") or "", "sekretess": "true" if item.get("confidential") else "false"}
            if isinstance(item.get("number"), int):
                attrs["nummer"] = str(item["number"])
            paragraph = ET.SubElement(element, _d("paragraf"), attrs)
            if not item.get("confidential"):
                ET.SubElement(paragraph, _d("rubrik")).text = item.get("title") or ""
            if item.get("dnr"):
                ET.SubElement(paragraph, _d("diarienummer")).text = item["dnr"]
            if item.get("confidential") and item.get("osl_reference"):
                ET.SubElement(paragraph, _d("sekretessgrund")).text = item["osl_reference"]
        for f in entry["files"]:
            ET.SubElement(element, _d("fil"), {"href": f.path, "slag": f.kind, "sha256": f.sha256})
    container = ET.SubElement(root, _d("anslag"))
    for entry in notices:
        notice: Notice = entry["notice"]
        attrs = {
            "id": f"n{notice.pk}", "slag": notice.kind, "uppsatt": notice.posted_on.isoformat(),
            "nedtagande": notice.takedown_on.isoformat(), "nedtaget": "true" if entry["taken_down"] else "false",
        }
        if notice.meeting_id:
            attrs["sammantrade"] = f"m{notice.meeting_id}"
        if notice.last_appeal_day:
            attrs["sista_overklagandedag"] = notice.last_appeal_day.isoformat()
        element = ET.SubElement(container, _d("anslagspost"), attrs)
        ET.SubElement(element, _d("rubrik")).text = notice.title
        if notice.paragraphs:
            ET.SubElement(element, _d("paragrafer")).text = notice.paragraphs
        if notice.posted_by_name:
            ET.SubElement(element, _d("ansvarig")).text = notice.posted_by_name
        for f in entry["files"]:
            ET.SubElement(element, _d("fil"), {"href": f.path, "slag": f.kind, "sha256": f.sha256})
    container = ET.SubElement(root, _d("utelamnat"))
    for item in left_out:
        post = ET.SubElement(container, _d("post"))
        ET.SubElement(post, _d("vad")).text = item["what"]
        ET.SubElement(post, _d("varfor")).text = item["why"]
    return root
