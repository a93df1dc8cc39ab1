"""Validate a built archive package: the XSDs, and the CSIP 2.1 rules a schema cannot check.

`validate_package(root)` takes the package's root folder (the one holding the root METS.xml)
and returns a list of problems in Swedish, empty when the package passes. It checks

- the root and representation METS, the PREMIS and the descriptive metadata against the XSDs
  kept in minutes/archive/schemas/ (METS 1.12 with xlink and the DILCIS CSIP and SIP
  extensions, PREMIS 3.0, our own arkivbeskrivning), offline: every import is resolved to the
  local copy and nothing is fetched;
- the CSIP 2.1 / SIP 2.1 rules of the root element and header: OBJID, TYPE (and OTHERTYPE),
  csip:CONTENTINFORMATIONTYPE (and OTHERCONTENTINFORMATIONTYPE), PROFILE, OAISPACKAGETYPE,
  the creator software agent with its version note, the archival creator and submitter;
  the structMap labelled CSIP with one div;
- that IDs are unique across the whole package;
- that every file a METS document lists (file/FLocat, mdRef) is present, with the SIZE and
  the SHA-256 CHECKSUM it states; that every file present is referenced (the root METS.xml
  aside); that every PREMIS object's fixity and size hold for the file it names.

The management command (`archive_package --validate`) and the tests use it.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import xmlschema

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DESCRIPTION_NS = "urn:samordna:arkivbeskrivning:1"

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
# CSIP2: the fixed vocabulary of content categories.
CONTENT_CATEGORIES = {
    "Textual works - Print", "Textual works - Digital", "Textual works - Electronic Serials",
    "Digital Musical Composition (score-based representations)", "Photographs - Print",
    "Photographs - Digital", "Other Graphic Images - Print", "Other Graphic Images - Digital",
    "Microforms", "Audio - On Tangible Medium (digital or analog)",
    "Audio - Media-independent (digital)", "Motion Pictures - Digital and Physical Media",
    "Video - File-based and Physical Media", "Software", "Datasets", "Geospatial Data",
    "Databases", "Websites", "Collections", "Email", "Research Data", "Mixed", "Other",
}

# The XSDs each namespace is validated with (all shipped in schemas/, see its README.txt).
SCHEMA_FILES = {
    METS_NS: "mets.xsd",
    XLINK_NS: "xlink.xsd",
    CSIP_NS: "DILCISExtensionMETS.xsd",
    SIP_NS: "DILCISExtensionSIPMETS.xsd",
    PREMIS_NS: "premis.xsd",
    DESCRIPTION_NS: "samordna-arkivbeskrivning-1.xsd",
}
# mets.xsd imports xlink from the Library of Congress; the local copy stands in for it.
_REMOTE_TO_LOCAL = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": str(SCHEMA_DIR / "xlink.xsd"),
}


def _uri_mapper(uri: str) -> str:
    return _REMOTE_TO_LOCAL.get(uri, uri)


def _schema(main: str, extra: dict[str, str] | None = None) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(
        str(SCHEMA_DIR / main),
        locations=[(ns, str(SCHEMA_DIR / name)) for ns, name in (extra or {}).items()],
        uri_mapper=_uri_mapper,
        allow="sandbox",  # nothing outside schemas/, nothing from the network
        defuse="always",
    )


@functools.cache
def mets_schema() -> xmlschema.XMLSchema:
    """METS 1.12 with xlink and the CSIP and SIP extension attributes (validated, not skipped:
    mets.xsd's anyAttribute is lax, and these namespaces are loaded)."""
    return _schema("mets.xsd", {
        CSIP_NS: SCHEMA_FILES[CSIP_NS], SIP_NS: SCHEMA_FILES[SIP_NS],
    })


@functools.cache
def premis_schema() -> xmlschema.XMLSchema:
    return _schema("premis.xsd")


@functools.cache
def description_schema() -> xmlschema.XMLSchema:
    return _schema(SCHEMA_FILES[DESCRIPTION_NS])


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def sha256_and_size(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _xsd_errors(schema: xmlschema.XMLSchema, path: Path, label: str) -> list[str]:
    errors = []
    for error in schema.iter_errors(str(path), use_location_hints=False):
        errors.append(f"{label}: följer inte schemat: {error.reason} ({error.path})")
        if len(errors) >= 20:
            break
    return errors


def _resolve(base_dir: str, href: str) -> str | None:
    """The package-relative path of an xlink:href relative to the METS file's folder; None for
    a reference that leaves the package or is not a relative path."""
    href = unquote(href)
    if "://" in href or href.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(base_dir, href))
    if path.startswith("..") or path == ".":
        return None
    return path


def _check_root_rules(mets: ET.Element, label: str, *, representation: bool) -> list[str]:
    errors: list[str] = []
    if mets.tag != _q(METS_NS, "mets"):
        return [f"{label}: rotelementet är inte mets:mets"]
    for attribute in ("OBJID", "TYPE", "PROFILE"):
        if not mets.get(attribute):
            errors.append(f"{label}: saknar {attribute} (CSIP1, CSIP2, CSIP6)")
    if mets.get("PROFILE") and mets.get("PROFILE") != SIP_PROFILE:
        errors.append(f"{label}: PROFILE ska vara {SIP_PROFILE} (SIP2)")
    kind = mets.get("TYPE")
    if kind and kind not in CONTENT_CATEGORIES:
        errors.append(f"{label}: TYPE {kind!r} finns inte i CSIP:s vokabulär (CSIP2)")
    if kind == "Other" and not mets.get(_q(CSIP_NS, "OTHERTYPE")):
        errors.append(f"{label}: TYPE Other utan csip:OTHERTYPE (CSIP3)")
    info = mets.get(_q(CSIP_NS, "CONTENTINFORMATIONTYPE"))
    if not info:
        errors.append(f"{label}: saknar csip:CONTENTINFORMATIONTYPE (CSIP4)")
    elif info == "OTHER" and not mets.get(_q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE")):
        errors.append(f"{label}: CONTENTINFORMATIONTYPE OTHER utan OTHERCONTENTINFORMATIONTYPE (CSIP5)")
    header = mets.find(_q(METS_NS, "metsHdr"))
    if header is None:
        return [*errors, f"{label}: saknar metsHdr (CSIP117)"]
    if not header.get("CREATEDATE"):
        errors.append(f"{label}: metsHdr saknar CREATEDATE (CSIP7)")
    if header.get(_q(CSIP_NS, "OAISPACKAGETYPE")) != "SIP":
        errors.append(f"{label}: metsHdr/@csip:OAISPACKAGETYPE ska vara SIP (CSIP9, SIP4)")
    agents = header.findall(_q(METS_NS, "agent"))
    software = [
        a for a in agents
        if a.get("ROLE") == "CREATOR" and a.get("TYPE") == "OTHER" and a.get("OTHERTYPE") == "SOFTWARE"
    ]
    if len(software) != 1:
        errors.append(f"{label}: ska ha exakt en agent CREATOR/OTHER/SOFTWARE (CSIP10–13)")
    for agent in software:
        if not (agent.findtext(_q(METS_NS, "name")) or "").strip():
            errors.append(f"{label}: programagenten saknar namn (CSIP14)")
        notes = [n for n in agent.findall(_q(METS_NS, "note"))
                 if n.get(_q(CSIP_NS, "NOTETYPE")) == "SOFTWARE VERSION" and (n.text or "").strip()]
        if not notes:
            errors.append(f"{label}: programagenten saknar versionsnot (CSIP15–16)")
    if not representation:
        for role, rule in (("ARCHIVIST", "SIP9–14"), ("CREATOR", "SIP15–20")):
            found = [a for a in agents if a.get("ROLE") == role and a.get("TYPE") in ("ORGANIZATION", "INDIVIDUAL")]
            if not found:
                errors.append(f"{label}: saknar agent {role} (organisation eller person) ({rule})")
            for agent in found:
                if not (agent.findtext(_q(METS_NS, "name")) or "").strip():
                    errors.append(f"{label}: agent {role} saknar namn ({rule})")
                if not any(n.get(_q(CSIP_NS, "NOTETYPE")) == "IDENTIFICATIONCODE" and (n.text or "").strip()
                           for n in agent.findall(_q(METS_NS, "note"))):
                    errors.append(f"{label}: agent {role} saknar IDENTIFICATIONCODE ({rule})")
    maps = [m for m in mets.findall(_q(METS_NS, "structMap")) if m.get("LABEL") == "CSIP"]
    if len(maps) != 1:
        errors.append(f"{label}: ska ha exakt en structMap med LABEL CSIP (CSIP80–82)")
    else:
        if maps[0].get("TYPE") != "PHYSICAL":
            errors.append(f"{label}: CSIP-structMap ska ha TYPE PHYSICAL (CSIP81)")
        if not maps[0].get("ID"):
            errors.append(f"{label}: CSIP-structMap saknar ID (CSIP83)")
        if len(maps[0].findall(_q(METS_NS, "div"))) != 1:
            errors.append(f"{label}: CSIP-structMap ska ha en div (CSIP84)")
    file_sec = mets.findall(_q(METS_NS, "fileSec"))
    if len(file_sec) > 1:
        errors.append(f"{label}: fler än en fileSec (CSIP58)")
    for group in mets.iter(_q(METS_NS, "fileGrp")):
        if not group.get("ID") or not group.get("USE"):
            errors.append(f"{label}: fileGrp utan ID eller USE (CSIP64–65)")
    for element in mets.iter():
        if element.tag in (_q(METS_NS, "dmdSec"), _q(METS_NS, "digiprovMD")):
            if not element.get("ID"):
                errors.append(f"{label}: {element.tag.split('}')[1]} utan ID (CSIP18, CSIP33)")
            if element.tag == _q(METS_NS, "dmdSec") and not element.get("CREATED"):
                errors.append(f"{label}: dmdSec utan CREATED (CSIP19)")
    return errors


def _references(mets: ET.Element, base_dir: str, label: str) -> tuple[list[dict[str, Any]], list[str]]:
    """What the METS document references: files (file/FLocat) and metadata (mdRef), each with
    the size and checksum it states; errors for attributes CSIP requires on them."""
    refs: list[dict[str, Any]] = []
    errors: list[str] = []
    href_attr = _q(XLINK_NS, "href")
    for file in mets.iter(_q(METS_NS, "file")):
        for attribute in ("ID", "MIMETYPE", "SIZE", "CREATED", "CHECKSUM", "CHECKSUMTYPE"):
            if not file.get(attribute):
                errors.append(f"{label}: file {file.get('ID')!r} saknar {attribute} (CSIP66–72)")
        locations = file.findall(_q(METS_NS, "FLocat"))
        if len(locations) != 1:
            errors.append(f"{label}: file {file.get('ID')!r} ska ha en FLocat (CSIP76)")
        for location in locations:
            if location.get("LOCTYPE") != "URL" or location.get(_q(XLINK_NS, "type")) != "simple":
                errors.append(f"{label}: FLocat i {file.get('ID')!r} ska ha LOCTYPE URL och xlink:type simple (CSIP77–78)")
            refs.append({"element": "file", "id": file.get("ID"), "href": location.get(href_attr),
                         "size": file.get("SIZE"), "checksum": file.get("CHECKSUM"),
                         "checksumtype": file.get("CHECKSUMTYPE")})
    for md_ref in mets.iter(_q(METS_NS, "mdRef")):
        for attribute in ("LOCTYPE", "MDTYPE", "MIMETYPE", "SIZE", "CREATED", "CHECKSUM", "CHECKSUMTYPE"):
            if not md_ref.get(attribute):
                errors.append(f"{label}: mdRef {md_ref.get(href_attr)!r} saknar {attribute} (CSIP21–30, CSIP35–44)")
        if md_ref.get("LOCTYPE") != "URL" or md_ref.get(_q(XLINK_NS, "type")) != "simple":
            errors.append(f"{label}: mdRef {md_ref.get(href_attr)!r} ska ha LOCTYPE URL och xlink:type simple")
        refs.append({"element": "mdRef", "id": md_ref.get("ID"), "href": md_ref.get(href_attr),
                     "size": md_ref.get("SIZE"), "checksum": md_ref.get("CHECKSUM"),
                     "checksumtype": md_ref.get("CHECKSUMTYPE")})
    for pointer in mets.iter(_q(METS_NS, "mptr")):
        if pointer.get("LOCTYPE") != "URL" or pointer.get(_q(XLINK_NS, "type")) != "simple":
            errors.append(f"{label}: mptr ska ha LOCTYPE URL och xlink:type simple (CSIP111–112)")
        refs.append({"element": "mptr", "id": None, "href": pointer.get(href_attr),
                     "size": None, "checksum": None, "checksumtype": None})
    for ref in refs:
        ref["path"] = _resolve(base_dir, ref["href"] or "")
        if ref["path"] is None:
            errors.append(f"{label}: referensen {ref['href']!r} pekar inte på en fil i paketet")
    return refs, errors


def _check_fixity(root: Path, refs: list[dict[str, Any]], label: str, cache: dict[str, tuple[str, int]]) -> list[str]:
    errors: list[str] = []
    for ref in refs:
        path = ref["path"]
        if path is None:
            continue
        target = root / path
        if not target.is_file():
            errors.append(f"{label}: {path} saknas i paketet")
            continue
        if ref["element"] == "mptr":
            continue
        if path not in cache:
            cache[path] = sha256_and_size(target)
        digest, size = cache[path]
        if ref["checksumtype"] != "SHA-256":
            errors.append(f"{label}: {path}: CHECKSUMTYPE ska vara SHA-256")
        if (ref["checksum"] or "").lower() != digest:
            errors.append(f"{label}: {path}: kontrollsumman stämmer inte")
        if ref["size"] != str(size):
            errors.append(f"{label}: {path}: storleken stämmer inte ({ref['size']} mot {size})")
    return errors


def _ids(tree: ET.Element) -> list[str]:
    return [value for element in tree.iter() if (value := element.get("ID")) is not None]


def _premis_checks(root: Path, premis_path: Path, cache: dict[str, tuple[str, int]]) -> tuple[list[str], set[str]]:
    """Every PREMIS file object's fixity and size hold for the file it names; the files named."""
    errors: list[str] = []
    named: set[str] = set()
    tree = ET.parse(premis_path).getroot()
    label = str(premis_path.relative_to(root))
    for obj in tree.iter(_q(PREMIS_NS, "object")):
        if obj.get(_q(XSI_NS, "type"), "").split(":")[-1] != "file":
            continue
        location = obj.findtext(
            f"{_q(PREMIS_NS, 'storage')}/{_q(PREMIS_NS, 'contentLocation')}/{_q(PREMIS_NS, 'contentLocationValue')}"
        )
        path = _resolve("", location or "")
        if path is None:
            errors.append(f"{label}: objekt utan giltig contentLocation ({location!r})")
            continue
        named.add(path)
        target = root / path
        if not target.is_file():
            errors.append(f"{label}: {path} saknas i paketet")
            continue
        if path not in cache:
            cache[path] = sha256_and_size(target)
        digest, size = cache[path]
        characteristics = obj.find(_q(PREMIS_NS, "objectCharacteristics"))
        fixities = [] if characteristics is None else characteristics.findall(_q(PREMIS_NS, "fixity"))
        sha = [f for f in fixities if f.findtext(_q(PREMIS_NS, "messageDigestAlgorithm")) == "SHA-256"]
        if not sha:
            errors.append(f"{label}: {path} saknar SHA-256-fixitet")
        elif (sha[0].findtext(_q(PREMIS_NS, "messageDigest")) or "").lower() != digest:
            errors.append(f"{label}: {path}: SHA-256 stämmer inte")
        stated = None if characteristics is None else characteristics.findtext(_q(PREMIS_NS, "size"))
        if stated != str(size):
            errors.append(f"{label}: {path}: storleken stämmer inte")
    return errors, named


def validate_package(root: Path | str) -> list[str]:
    """Problems with the package in `root` (its root folder), in Swedish; [] when it passes."""
    root = Path(root)
    errors: list[str] = []
    root_mets_path = root / "METS.xml"
    if not root_mets_path.is_file():
        return ["METS.xml saknas i paketets rotmapp"]
    errors += _xsd_errors(mets_schema(), root_mets_path, "METS.xml")
    try:
        root_mets = ET.parse(root_mets_path).getroot()
    except ET.ParseError as exc:
        return [*errors, f"METS.xml: inte välformad XML: {exc}"]
    if root_mets.get("OBJID") and root_mets.get("OBJID") != root.name:
        errors.append("METS.xml: OBJID ska vara rotmappens namn (CSIP1)")
    errors += _check_root_rules(root_mets, "METS.xml", representation=False)
    cache: dict[str, tuple[str, int]] = {}
    refs, ref_errors = _references(root_mets, "", "METS.xml")
    errors += ref_errors + _check_fixity(root, refs, "METS.xml", cache)
    all_ids = _ids(root_mets)
    referenced = {r["path"] for r in refs if r["path"]}

    representation_mets = sorted(
        p for p in referenced if p.startswith("representations/") and p.endswith("/METS.xml")
    )
    if not representation_mets:
        errors.append("METS.xml: pekar inte ut någon representation (CSIP105–110)")
    for rel in representation_mets:
        path = root / rel
        if not path.is_file():
            continue
        errors += _xsd_errors(mets_schema(), path, rel)
        try:
            rep = ET.parse(path).getroot()
        except ET.ParseError as exc:
            errors.append(f"{rel}: inte välformad XML: {exc}")
            continue
        errors += _check_root_rules(rep, rel, representation=True)
        rep_refs, rep_errors = _references(rep, posixpath.dirname(rel), rel)
        errors += rep_errors + _check_fixity(root, rep_refs, rel, cache)
        referenced |= {r["path"] for r in rep_refs if r["path"]}
        all_ids += _ids(rep)

    seen: set[str] = set()
    for value in all_ids:
        if value in seen:
            errors.append(f"ID {value!r} förekommer mer än en gång i paketet")
        seen.add(value)

    premis_files = sorted(p for p in referenced if p.startswith("metadata/preservation/") and p.endswith(".xml"))
    if not premis_files:
        errors.append("METS.xml: ingen PREMIS i metadata/preservation/ (CSIP32)")
    premis_named: set[str] = set()
    for rel in premis_files:
        errors += _xsd_errors(premis_schema(), root / rel, rel)
        premis_errors, named = _premis_checks(root, root / rel, cache)
        errors += premis_errors
        premis_named |= named
    for rel in sorted(p for p in referenced if p.startswith("metadata/descriptive/") and p.endswith(".xml")):
        errors += _xsd_errors(description_schema(), root / rel, rel)

    data_files = {p for p in referenced if "/data/" in p}
    for path in sorted(data_files - premis_named):
        errors.append(f"{path}: saknar PREMIS-objekt med fixitet")

    present = {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    } - {"METS.xml"}
    for path in sorted(present - referenced):
        errors.append(f"{path}: finns i paketet men refereras inte från någon METS")
    return errors
