"""The yearly package (E-ARK SIP, FGS Paketstruktur 2.0): the XSDs and CSIP's structural rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from minutes.archive.package import package_build
from minutes.archive.validation import (
    CSIP_NS,
    METS_NS,
    PREMIS_NS,
    XLINK_NS,
    mets_schema,
    premis_schema,
    validate_package,
)

pytestmark = pytest.mark.django_db


def _build(org, tmp_path: Path, **kwargs):
    return package_build(organisation=org, year=2023, target=tmp_path / "ut", **kwargs)


def test_the_package_of_a_year_passes_the_xsds_and_the_csip_rules(org, year_2023, tmp_path):
    built = _build(org, tmp_path)
    errors = validate_package(built.root)
    assert errors == []


def _mets(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def test_the_mets_and_premis_pass_the_official_xsds_and_the_csip_attributes_are_there(org, year_2023, tmp_path):
    built = _build(org, tmp_path)
    root = built.root
    for rel in ("METS.xml", "representations/rep1/METS.xml"):
        mets_schema().validate(str(root / rel))
        mets = _mets(root / rel)
        assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
        assert mets.get("OBJID") and mets.get("TYPE") == "Other"
        assert mets.get(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE") == "OTHER"
        header = mets.find(f"{{{METS_NS}}}metsHdr")
        assert header.get(f"{{{CSIP_NS}}}OAISPACKAGETYPE") == "SIP"
        assert any(a.findtext(f"{{{METS_NS}}}name") == "Samordna" for a in header)
    premis_schema().validate(str(root / "metadata/preservation/premis.xml"))
    assert _mets(root / "METS.xml").get("OBJID") == root.name
    premis = (root / "metadata/preservation/premis.xml").read_text()
    for event in ("justering", "signature", "sealing", "posting"):
        assert f"<premis:eventType>{event}</premis:eventType>" in premis


def test_only_justerat_goes_in_and_the_rest_is_listed_with_a_reason(org, year_2023, tmp_path):
    built = _build(org, tmp_path)
    paths = {f.path for f in built.files}
    assert any(p.endswith(f"-{year_2023.justered.pk}/protokoll-v1.pdf") for p in paths)
    assert any(p.endswith("protokoll-v1-offentlig.pdf") for p in paths)
    assert any("/utdrag/" in p for p in paths) and any("/handlingar/" in p for p in paths)
    assert any("anslagsbevis" in p for p in paths)
    assert not any(f"-{year_2023.drafting.pk}/" in p for p in paths)
    reasons = " ".join(f"{i['what']}: {i['why']}" for i in built.left_out)
    assert "2023-12-07" in reasons and "inte justerat" in reasons
    assert "Verksamhetsplan (papper)" in reasons  # a handling with no file
    # The snapshot's SHA-256 is the signed version's.
    snapshot = next(f for f in built.files if f.path.endswith("protokoll-v1.json"))
    assert snapshot.sha256 == year_2023.justered.versions.get(number=1).sha256
    justering = json.loads((built.root / snapshot.path.replace("protokoll-v1.json", "justering-v1.json")).read_text())
    assert len(justering["signatures"]) == 3 and all("evidence" in s for s in justering["signatures"])


def test_an_unrendered_pdf_is_left_out_and_said_so(board, org, secretary, chair, member, media_in_tmp, tmp_path):
    from tests.archive.conftest import make_year

    make_year(board, secretary, chair, member, render=False)
    built = _build(org, tmp_path)
    assert validate_package(built.root) == []
    assert not any(f.path.endswith(".pdf") and "protokoll" in f.path for f in built.files)
    assert any("inte utfärdad" in i["why"] for i in built.left_out)


@pytest.mark.parametrize("damage", ["checksum", "extra file", "missing file", "duplicate id", "no objid", "bad csip value"])
def test_the_validator_finds_what_a_broken_package_gets_wrong(org, year_2023, tmp_path, damage):
    built = _build(org, tmp_path)
    root = built.root
    pdf = next(root.rglob("protokoll-v1.pdf"))
    rep = root / "representations/rep1/METS.xml"
    if damage == "checksum":
        pdf.write_bytes(pdf.read_bytes() + b"x")
    elif damage == "extra file":
        (root / "representations/rep1/data/smuggled.txt").write_text("ej refererad")
    elif damage == "missing file":
        pdf.unlink()
    elif damage == "duplicate id":
        rep.write_text(rep.read_text().replace('ID="rep1-file-00002"', 'ID="rep1-file-00001"'))
    elif damage == "no objid":
        text = (root / "METS.xml").read_text()
        (root / "METS.xml").write_text(text.replace(f'OBJID="{root.name}"', ""))
    elif damage == "bad csip value":
        text = (root / "METS.xml").read_text()
        (root / "METS.xml").write_text(text.replace('csip:OAISPACKAGETYPE="SIP"', 'csip:OAISPACKAGETYPE="XIP"'))
    assert validate_package(root), damage


def test_every_file_is_listed_once_with_its_checksum(org, year_2023, tmp_path):
    built = _build(org, tmp_path)
    rep = _mets(built.root / "representations/rep1/METS.xml")
    listed = {}
    for file in rep.iter(f"{{{METS_NS}}}file"):
        href = file.find(f"{{{METS_NS}}}FLocat").get(f"{{{XLINK_NS}}}href")
        listed[href] = file.get("CHECKSUM")
    data = [p for p in built.root.rglob("*") if p.is_file() and "/data/" in p.as_posix()]
    assert len(listed) == len(data)
    for path in data:
        rel = path.relative_to(built.root / "representations/rep1").as_posix()
        assert listed[rel] == hashlib.sha256(path.read_bytes()).hexdigest()
    premis = ET.parse(built.root / "metadata/preservation/premis.xml").getroot()
    assert len(list(premis.iter(f"{{{PREMIS_NS}}}object"))) == len(data)


def test_the_command_writes_a_folder_a_zip_and_a_tar(org, year_2023, tmp_path):
    import tarfile
    import zipfile

    from django.core.management import call_command

    call_command("archive_package", org.slug, "2023", "--output", str(tmp_path / "mapp"), "--validate")
    (folder,) = (tmp_path / "mapp").iterdir()
    assert validate_package(folder) == []
    call_command("archive_package", org.slug, "2023", "--output", str(tmp_path / "p.zip"), "--validate")
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        z.extractall(tmp_path / "z")
    (unzipped,) = (tmp_path / "z").iterdir()
    assert validate_package(unzipped) == []
    call_command("archive_package", org.slug, "2023", "--output", str(tmp_path / "p.tar"), "--organ", year_2023.justered.organ.name)
    with tarfile.open(tmp_path / "p.tar") as t:
        t.extractall(tmp_path / "t", filter="data")
    (untarred,) = (tmp_path / "t").iterdir()
    assert validate_package(untarred) == []
    assert dt.date.today()  # the command ran on today's data


def test_an_issued_pdf_missing_from_the_storage_is_left_out_and_said_so(org, year_2023, tmp_path):
    """A sealed PDF whose file the storage lost does not stop the package, nor is it hidden:
    the rest goes in, valid, and the page's list says which file is missing."""
    from django.core.files.storage import default_storage

    from board.documents.models import RenderedDocument

    doc = RenderedDocument.objects.filter(status=RenderedDocument.Status.DONE).exclude(file="").order_by("pk").first()
    assert doc is not None
    default_storage.delete(doc.file.name)
    built = _build(org, tmp_path)
    assert validate_package(built.root) == []
    assert any("saknas i lagringen" in i["why"] for i in built.left_out), built.left_out


def test_the_years_delegation_register_goes_in_with_its_order_and_where_each_was_reported(
    org, board, year_2023, tmp_path, secretary
):
    """Issue 20, point 4: the register is in the archive package. The year's decisions, reported or
    not, with the lines they were taken under; another year's decision stays out."""
    from board.models import StaffRole
    from minutes.delegation import services as delegation
    from tests.conftest import user_with_staff_role

    director = user_with_staff_role(board, "forbundschef", StaffRole.Role.DIRECTOR)
    line = delegation.delegation_line_add(
        organisation=org, code="3.2", matter="Inköp av tjänster", delegate_role=StaffRole.Role.DIRECTOR,
        max_amount=50_000, valid_from=dt.date(2022, 1, 1), actor=secretary,
    )
    common = {"organisation": org, "line": line, "actor": director, "amount": 12_000}
    delegation.delegation_decision_record(decided_on=dt.date(2022, 12, 1), matter="Förra årets", decision="Att köpa",
                                          appealable=False, **common)
    first = delegation.delegation_decision_record(decided_on=dt.date(2023, 3, 2), matter="Föreläsare <b>temadag</b>",
                                                  decision="Att anlita Föreläsning AB", appealable=False, **common)
    second = delegation.delegation_decision_record(decided_on=dt.date(2023, 5, 9), matter="Lokalhyra",
                                                   decision="Att hyra lokal", appealable=True, **common)
    delegation.delegation_notice_post(decision=second, actor=director, posted_on=dt.date(2023, 5, 10))
    first.reported_in = year_2023.justered.paragraphs.order_by("position").first()
    first.reported_on = dt.date(2023, 11, 6)
    first.save()

    built = _build(org, tmp_path)
    assert validate_package(built.root) == []
    path = "representations/rep1/data/delegation/delegationsregister-2023.json"
    assert path in {f.path for f in built.files}
    register = json.loads((built.root / path).read_text(encoding="utf-8"))
    assert register["format"] == "samordna.delegationsregister/1" and register["year"] == 2023
    assert [line["code"] for line in register["order"]] == ["3.2"]
    assert register["order"][0]["max_amount_kr"] == 50_000
    assert [d["matter"] for d in register["decisions"]] == ["Föreläsare <b>temadag</b>", "Lokalhyra"]
    reported, posted = register["decisions"]
    assert reported["reported_in"]["paragraph"] == first.reported_in.label
    assert reported["reported_on"] == "2023-11-06" and reported["notice"] is None
    assert posted["reported_in"] is None and posted["appealable"] is True
    assert posted["notice"]["posted_on"] == "2023-05-10"
    assert posted["decided_by"] == director.person.full_name
    premis = (built.root / "metadata/preservation/premis.xml").read_text()
    assert "delegationsregister-2023.json" in premis

    # An organ's package holds the decisions reported to that organ; 2022 has only its own.
    organ_package = _build(org, tmp_path / "organ", organ=year_2023.justered.organ)
    organ_register = json.loads((organ_package.root / path).read_text(encoding="utf-8"))
    assert [d["matter"] for d in organ_register["decisions"]] == ["Föreläsare <b>temadag</b>"]
    older = package_build(organisation=org, year=2022, target=tmp_path / "2022")
    names = {Path(f.path).name for f in older.files}
    assert "delegationsregister-2022.json" in names and "delegationsregister-2023.json" not in names
