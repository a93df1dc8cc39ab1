"""The evidence travels with the minutes: a justering with a password signature, an OIDC e-ID
(the tests' real OpenID Provider) and BankID (the local stand-in of the RP API v6, not BankID)
gives a sealed full PDF with an "Underskrifter" page and each signature's evidence attached,
verifiable offline against the version's SHA-256; /verifiera/ (page and API) shows per signer
method, level and whether the evidence holds; no public output carries a personnummer in any
form (masked included)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from minutes.justering.signing import evidence
from minutes.models import Meeting, Signature
from minutes.notices import services as notices
from tests.justering import evidence_setup
from tests.justering.evidence_setup import (
    OIDC_LABEL,
    PNR_CHAIR,
    PNR_MEMBER,
    assert_no_identity,
    attachments,
    tampered_bankid,
    tampered_id_token,
)
from tests.justering.test_pdf import pdf_text, rendered

# The fixtures of tests/justering/evidence_setup.py, used by name.
mixed = evidence_setup.mixed
oidc_provider = evidence_setup.oidc_provider
oidc_settings = evidence_setup.oidc_settings
standin = evidence_setup.standin

pytestmark = pytest.mark.django_db

OTHER_SHA = hashlib.sha256(b"another version").hexdigest()


def _signatures(meeting: Meeting) -> dict[str, Signature]:
    version = meeting.versions.get(number=1)
    return {s.method: s for s in version.signatures.select_related("person")}


# --- evidence.check -----------------------------------------------------------------------


def test_check_names_method_and_level_and_verifies_each_family(mixed):
    by_method = _signatures(mixed)
    assert set(by_method) == {"losenord", "bankid", "oidc-test"}
    bankid = evidence.check(by_method["bankid"])
    assert (bankid.method_label, bankid.level_label, bankid.result, bankid.ok) == (
        "BankID", "Avancerad elektronisk underskrift", "giltig", True)
    assert bankid.method_and_level == "BankID – avancerad elektronisk underskrift"
    oidc = evidence.check(by_method["oidc-test"])
    assert (oidc.method_label, oidc.result, oidc.ok) == (OIDC_LABEL, "giltig", True)
    password = evidence.check(by_method["losenord"])
    assert (password.method_label, password.level_label, password.result, password.ok) == (
        "Lösenord och kod", "Enkel elektronisk underskrift", "enkel underskrift – inget kryptografiskt bevis", None)


def test_check_says_ogiltig_for_evidence_of_another_version_or_tampered(mixed):
    by_method = _signatures(mixed)
    for method in ("bankid", "oidc-test"):
        s = by_method[method]
        moved = Signature(method=s.method, level=s.level, evidence=s.evidence, sha256=OTHER_SHA)
        assert evidence.check(moved).result == "ogiltig", method
    bankid, oidc = by_method["bankid"], by_method["oidc-test"]
    forged = Signature(method="bankid", level=bankid.level, sha256=bankid.sha256,
                       evidence=tampered_bankid(bankid.evidence, OTHER_SHA))
    assert evidence.check(forged).result == "ogiltig"
    forged = Signature(method="oidc-test", level=oidc.level, sha256=oidc.sha256,
                       evidence=tampered_id_token(oidc.evidence))
    assert evidence.check(forged).result == "ogiltig"
    broken = Signature(method="bankid", level="avancerad", sha256=bankid.sha256, evidence=["not", "a", "dict"])
    assert evidence.check(broken).result == "ogiltig"


def test_an_unknown_family_cannot_be_checked_and_oidc_needs_no_settings(mixed, settings):
    oidc = _signatures(mixed)["oidc-test"]
    settings.OIDC_PROVIDERS = {}  # offline, years later, the provider long gone from the configuration
    checked = evidence.check(oidc)
    assert (checked.method_label, checked.result) == (OIDC_LABEL, "giltig")  # as recorded when signed
    unlabelled = Signature(method=oidc.method, level=oidc.level, sha256=oidc.sha256,
                           evidence={k: v for k, v in oidc.evidence.items() if k != "label"})
    checked = evidence.check(unlabelled)  # a signature from before the label was recorded
    assert (checked.method_label, checked.result) == ("E-legitimation (OpenID Connect)", "giltig")
    unknown = Signature(method="smartkort", level="avancerad", sha256=oidc.sha256, evidence={"x": 1})
    assert evidence.check(unknown).result == "kan inte kontrolleras"
    assert evidence.check(unknown).ok is None


# --- the sealed full PDF ------------------------------------------------------------------


def test_the_full_pdf_has_the_underskrifter_page_with_methods_levels_times_and_masked_numbers(mixed):
    content = rendered(mixed, "minutes.full").file.read()
    assert verify_pdf(content).ok
    pages = pdf_text(content).split("\f")
    page = next(p for p in pages if re.search(r"^\s*Underskrifter\s*$", p, re.M))
    flat = " ".join(page.split())
    version = mixed.versions.get(number=1)
    assert "BankID – avancerad elektronisk underskrift" in flat
    assert f"{OIDC_LABEL} – avancerad elektronisk underskrift" in flat
    assert "Lösenord och kod – enkel elektronisk underskrift" in flat
    assert "19xxxxxx-xx39" in flat and "19xxxxxx-xx76" in flat
    assert PNR_CHAIR not in flat and PNR_MEMBER not in flat  # masked on the page
    assert flat.count("Personnummer") == 2  # the two e-ID signatures only, not the password one
    assert flat.replace(" ", "").count(version.sha256) >= 3
    for s in version.signatures.select_related("person"):
        local = s.signed_at.astimezone(ZoneInfo("Europe/Stockholm"))
        assert f"{local:%Y-%m-%d} kl. {local:%H:%M}" in flat
        assert s.person.full_name in flat
    assert flat.count("(giltig)") == 2
    assert "(enkel underskrift – inget kryptografiskt bevis)" in flat
    # Between the password signature's rows there is no personnummer row.
    secretary_block = flat.split("Sekreterare Sekreterare Kansli", 1)[1].split("Bevis", 1)[0]
    assert "Personnummer" not in secretary_block


def test_the_full_pdf_carries_each_signatures_evidence_which_verifies_offline_and_fails_tampered(mixed):
    content = rendered(mixed, "minutes.full").file.read()
    files = attachments(content)
    sha256 = json.loads(files["protokoll.json"])["sha256"]
    assert sha256 == mixed.versions.get(number=1).sha256
    evidence_files = {name: json.loads(data) for name, data in files.items() if name.startswith("underskrift-")}
    assert set(evidence_files) == {"underskrift-1-oidc-test.json", "underskrift-2-bankid.json",
                                   "underskrift-3-losenord.json"}
    by_method = {item["method"]: item for item in evidence_files.values()}
    for item in by_method.values():
        assert set(item) == {"role", "name", "method", "level", "signed_at", "sha256", "evidence"}
        assert item["sha256"] == sha256
    bankid, oidc = by_method["bankid"], by_method["oidc-test"]
    assert bankid["level"] == oidc["level"] == "avancerad" and by_method["losenord"]["level"] == "enkel"
    assert {"signature", "ocspResponse", "user"} <= set(bankid["evidence"])
    assert {"id_token", "jwks", "issuer", "client_id", "salt"} <= set(oidc["evidence"])
    # From the file alone, with the SHA-256 the file itself states:
    assert evidence.verify("bankid", bankid["evidence"], sha256) is True
    assert evidence.verify("oidc-test", oidc["evidence"], sha256) is True
    assert evidence.verify("losenord", by_method["losenord"]["evidence"], sha256) is None
    assert evidence.verify("bankid", bankid["evidence"], OTHER_SHA) is False
    assert evidence.verify("oidc-test", oidc["evidence"], OTHER_SHA) is False
    assert evidence.verify("bankid", tampered_bankid(bankid["evidence"], OTHER_SHA), sha256) is False
    assert evidence.verify("oidc-test", tampered_id_token(oidc["evidence"]), sha256) is False


def test_the_public_pdf_has_no_evidence_and_no_personnummer(mixed):
    content = rendered(mixed, "minutes.public").file.read()
    assert set(attachments(content)) == {"protokoll.json"}
    text = pdf_text(content)
    assert "Underskrifter" not in text and "BankID" not in text and OIDC_LABEL not in text
    assert_no_identity(text, "public PDF text")
    assert_no_identity(attachments(content)["protokoll.json"].decode(), "public PDF JSON")
    assert_no_identity(json.dumps(RenderedDocument.objects.get(kind="minutes.public").metadata), "metadata")
    assert verify_pdf(content).ok


# --- /verifiera/ ---------------------------------------------------------------------------


def test_verifiera_page_and_api_show_method_level_and_giltig_per_signer_and_no_number(mixed, client):
    full = rendered(mixed, "minutes.full")
    public = rendered(mixed, "minutes.public")
    for document in (full, public):
        content = document.file.read()
        page = client.post("/verifiera/", {"file": io.BytesIO(content), "sha256": ""}).content.decode()
        assert "Äkta" in page
        rows = re.findall(r"<tr\b[^>]*><th\b[^>]*\bscope=\"row\"[^>]*>(.*?)</tr>", page, re.S)
        cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
        assert any("Ordforande Testsson" in c and "BankID Avancerad elektronisk underskrift giltig" in c
                   for c in cells), cells
        assert any("Ledamot Testsson" in c and f"{OIDC_LABEL} Avancerad elektronisk underskrift giltig" in c
                   for c in cells), cells
        assert any("Sekreterare Kansli" in c and "Lösenord och kod Enkel elektronisk underskrift enkel underskrift"
                   in c for c in cells), cells
        assert_no_identity(page, f"/verifiera/ {document.kind}")

        answer = client.get(f"/api/v1/verifiera/{document.sha256}")
        assert answer.status_code == 200
        signers = {s["name"]: s for s in answer.json()["signers"]}
        assert (signers["Ordforande Testsson"]["method"], signers["Ordforande Testsson"]["level"],
                signers["Ordforande Testsson"]["evidence"], signers["Ordforande Testsson"]["evidence_valid"]) == (
            "BankID", "Avancerad elektronisk underskrift", "giltig", True)
        assert (signers["Ledamot Testsson"]["method"], signers["Ledamot Testsson"]["evidence"]) == (OIDC_LABEL, "giltig")
        assert signers["Sekreterare Kansli"]["evidence_valid"] is None
        assert_no_identity(answer.content.decode(), f"API {document.kind}")
        uploaded = client.post("/api/v1/verifiera", {"file": io.BytesIO(content)})
        assert uploaded.status_code == 200 and uploaded.json()["signers"] == answer.json()["signers"]


def test_the_openapi_document_declares_the_signers_method_level_and_evidence(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["VerifiedSignerOut"]
    assert {"method", "level", "evidence", "evidence_valid"} <= set(schema["properties"])
    assert not any("personnummer" in name or "identity" in name for name in schema["properties"])


# --- no public output carries the number -------------------------------------------------


def test_no_public_output_carries_a_personnummer_in_any_form(mixed, client, secretary):
    notice = mixed.notices.first() or notices.notice_for_justering(
        meeting=mixed, justered_on=timezone.localdate(), actor=secretary)
    organisation = mixed.organ.organisation
    urls = [
        "/anslagstavla/", f"/anslagstavla/{organisation.slug}/", "/anslagstavla/arkiv/",
        f"/anslagstavla/anslag/{notice.pk}/", "/protokoll/", f"/protokoll/{organisation.slug}/",
        f"/protokoll/{organisation.slug}/{mixed.date.year}/",
        f"/protokoll/{organisation.slug}/{mixed.date.year}/{mixed.pk}/",
        "/sok/?q=tilläggsäskande", "/sok/?q=Testsson", "/anslagstavla/atom.xml", "/kalender.ics",
        "/api/v1/public/bodies", "/api/v1/public/organizations", "/api/v1/public/persons",
        "/api/v1/public/meetings", f"/api/v1/public/meetings/{mixed.pk}", "/api/v1/public/agendaItems",
        f"/api/v1/public/agendaItems?meeting={mixed.pk}", "/api/v1/public/papers", "/api/v1/public/notices",
        f"/api/v1/public/notices/{notice.pk}",
    ]
    minutes_page = client.get(urls[7]).content.decode()
    assert "Tilläggsäskande" in minutes_page  # the page is the justerade minutes, not an error
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_no_identity(response.content.decode(), url)
    assert "1 träff" in client.get("/sok/", {"q": "tilläggsäskande"}).content.decode()
