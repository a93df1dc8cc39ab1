"""BankID as a signing method, against the local stand-in of the RP API v6 (tests/bankid_standin.py):
start, the Swedish messages while pending, completion with its evidence, failure, cancel, verify
(the XML signature and its chain to the configured root, with the stand-in's own test root), and
the animated QR code against BankID's published example values."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest

from minutes.justering.signing import bankid
from minutes.justering.signing.base import (
    Completed,
    Level,
    Pending,
    SigningFailed,
    SigningMethod,
    SigningRequest,
)
from tests.bankid_standin import BankIdStandin

SHA = hashlib.sha256(b"protokoll 2023-11-02 version 3").hexdigest()
VISIBLE = "Jag justerar protokollet från styrelsen i Samordningsförbundet Test 2023-11-02, §§ 1–6."


@pytest.fixture
def standin(bankid_standin: BankIdStandin) -> BankIdStandin:
    """The stand-in with the settings pointing at it (tests/justering/conftest.py)."""
    return bankid_standin


@pytest.fixture
def method() -> bankid.BankIdMethod:
    return bankid.BankIdMethod(end_user_ip="192.0.2.10")


def _request(identity_number: str = "") -> SigningRequest:
    return SigningRequest(sha256=SHA, visible_text=VISIBLE, person_name="Anna Andersson", identity_number=identity_number)


def test_implements_the_interface(method: bankid.BankIdMethod) -> None:
    as_protocol: SigningMethod = method
    assert (as_protocol.key, as_protocol.label, as_protocol.level) == ("bankid", "BankID", Level.ADVANCED)


def test_start_sends_a_sign_order_with_the_visible_text_and_the_sha256(standin, method) -> None:
    started = method.start(_request())

    endpoint, body = standin.calls[-1]
    assert endpoint == "sign"
    assert base64.b64decode(body["userVisibleData"]).decode() == VISIBLE
    assert base64.b64decode(body["userNonVisibleData"]).decode() == SHA
    assert body["endUserIp"] == "192.0.2.10"
    assert "requirement" not in body
    assert started.reference in standin.orders
    assert set(started.data) == {"qr_start_token", "qr_start_secret", "autostart_token", "started_at"}
    assert bankid.qr_data_now(started.data).startswith(f"bankid.{started.data['qr_start_token']}.")


def test_start_requires_the_signers_personal_number_when_known(standin, method) -> None:
    method.start(_request(identity_number="199001011234"))
    assert standin.calls[-1][1]["requirement"] == {"personalNumber": "199001011234"}


@pytest.mark.parametrize(("hint", "message"), [
    ("outstandingTransaction", "Starta BankID-appen."),
    ("noClient", "Starta BankID-appen."),
    ("started", "Söker efter BankID, det kan ta en liten stund …"),
    ("userSign", "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."),
    ("userMrtd", "Fotografera och läs av din ID-handling med BankID-appen."),
    ("userCallConfirm", "Bekräfta samtalet i BankID-appen."),
])
def test_poll_while_pending_gives_the_swedish_message_for_the_hint(standin, method, hint, message) -> None:
    ref = method.start(_request()).reference
    standin.hint(ref, hint)

    result = method.poll(ref)

    assert isinstance(result, Pending)
    assert result.message.startswith(message)


def test_an_unknown_pending_hint_gets_rfa21() -> None:
    assert bankid.pending_message("somethingNew") == "Identifiering eller underskrift pågår."


def test_start_pending_complete_gives_the_identity_and_the_evidence(standin, method) -> None:
    ref = method.start(_request()).reference
    assert method.poll(ref) == Pending("Starta BankID-appen.")
    standin.hint(ref, "userSign")
    assert isinstance(method.poll(ref), Pending)
    standin.complete(ref, "199001011234", "Anna Andersson")

    result = method.poll(ref)

    assert isinstance(result, Completed)
    assert (result.level, result.identity_number, result.name) == ("avancerad", "199001011234", "Anna Andersson")
    assert set(result.evidence) >= {"user", "device", "bankIdIssueDate", "signature", "ocspResponse"}
    assert result.evidence["device"]["ipAddress"] == "192.0.2.10"
    xml = base64.b64decode(result.evidence["signature"]).decode()
    assert base64.b64encode(VISIBLE.encode()).decode() in xml
    assert method.verify(result.evidence, SHA) is True


def test_verify_is_false_for_another_sha256_or_broken_evidence(standin, method) -> None:
    ref = method.start(_request()).reference
    standin.complete(ref, "199001011234", "Anna Andersson")
    result = method.poll(ref)
    assert isinstance(result, Completed)

    other = hashlib.sha256(b"protokoll 2023-11-02 version 4").hexdigest()
    assert method.verify(result.evidence, other) is False
    assert method.verify({**result.evidence, "signature": "inte base64!"}, SHA) is False
    assert method.verify({**result.evidence, "signature": base64.b64encode(b"<a><b/>").decode()}, SHA) is False
    assert method.verify({"user": result.evidence["user"]}, SHA) is False


def _completed(standin, method, **kwargs) -> Completed:
    ref = method.start(_request()).reference
    standin.complete(ref, "199001011234", "Anna Andersson", **kwargs)
    result = method.poll(ref)
    assert isinstance(result, Completed)
    return result


def _with_xml(evidence: dict, xml: bytes) -> dict:
    return {**evidence, "signature": base64.b64encode(xml).decode()}


def test_the_signature_xml_is_really_signed_in_bankids_layout(standin, method) -> None:
    from lxml import etree

    evidence = _completed(standin, method).evidence
    root = etree.fromstring(base64.b64decode(evidence["signature"]))
    ds, ns = "{http://www.w3.org/2000/09/xmldsig#}", f"{{{bankid.BANKID_SIGNATURE_NS}}}"
    assert root.tag == f"{ds}Signature"
    assert root.find(f"{ds}SignedInfo/{ds}Reference").get("URI") == "#bidSignedData"
    assert len(root.findall(f"{ds}KeyInfo/{ds}X509Data/{ds}X509Certificate")) == 2
    signed = root.find(f"{ds}Object/{ns}bankIdSignedData")
    assert [child.tag.removeprefix(ns) for child in signed][:4] == [
        "usrVisibleData", "usrNonVisibleData", "srvInfo", "clientInfo"]
    assert bankid.signed_data(evidence) is not None


def test_verify_refuses_a_changed_non_visible_data(standin, method) -> None:
    evidence = _completed(standin, method).evidence
    xml = base64.b64decode(evidence["signature"])
    other = hashlib.sha256(b"protokoll 2023-11-02 version 4").hexdigest()
    changed = xml.replace(base64.b64encode(SHA.encode()), base64.b64encode(other.encode()))
    assert changed != xml
    assert method.verify(_with_xml(evidence, changed), other) is False
    assert method.verify(_with_xml(evidence, changed), SHA) is False


def test_verify_refuses_a_broken_signature_value(standin, method) -> None:
    from lxml import etree

    evidence = _completed(standin, method).evidence
    root = etree.fromstring(base64.b64decode(evidence["signature"]))
    value = root.find("{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
    raw = bytearray(base64.b64decode(value.text))
    raw[5] ^= 0x01
    value.text = base64.b64encode(bytes(raw)).decode()
    assert method.verify(_with_xml(evidence, etree.tostring(root)), SHA) is False


def test_verify_refuses_a_certificate_from_another_ca(standin, method) -> None:
    evidence = _completed(standin, method, foreign_ca=True).evidence
    assert method.verify(evidence, SHA) is False


def test_the_evidence_still_verifies_years_after_the_signers_certificate_expired(standin, method) -> None:
    """The stand-in's certificates live a day; the chain is checked at the OCSP response's time."""
    import time_machine

    evidence = _completed(standin, method).evidence
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=20 * 365)):
        assert method.verify(evidence, SHA) is True
        assert method.verify(evidence, "0" * 64) is False


@pytest.mark.parametrize("ocsp", ["revoked", "forged", "other-certificate"])
def test_verify_refuses_evidence_whose_ocsp_response_is_not_the_cas_good_for_the_signer(standin, method, ocsp) -> None:
    evidence = _completed(standin, method, ocsp=ocsp).evidence
    assert method.verify(evidence, SHA) is False


def test_verify_refuses_evidence_without_a_real_ocsp_response(standin, method) -> None:
    evidence = _completed(standin, method).evidence
    good = _completed(standin, method).evidence["ocspResponse"]  # another signature's response
    assert method.verify(evidence, SHA) is True
    for ocsp in (None, "", "inte base64!", base64.b64encode(b"no OCSP").decode(), good):
        changed = {k: v for k, v in evidence.items() if k != "ocspResponse"}
        if ocsp is not None:
            changed["ocspResponse"] = ocsp
        assert method.verify(changed, SHA) is False, ocsp


def test_verify_needs_a_configured_root(standin, method, settings) -> None:
    evidence = _completed(standin, method).evidence
    settings.BANKID_SIGNATURE_ROOTS = []
    assert method.verify(evidence, SHA) is False
    settings.BANKID_SIGNATURE_ROOTS = ["/finns/inte.pem", str(standin.signature_root_path)]
    assert method.verify(evidence, SHA) is True


def test_verify_refuses_an_unsigned_document_with_the_right_sha256(standin, method) -> None:
    hidden = base64.b64encode(SHA.encode()).decode()
    ns = bankid.BANKID_SIGNATURE_NS
    single = f'<bankIdSignedData xmlns="{ns}"><usrNonVisibleData>{hidden}</usrNonVisibleData></bankIdSignedData>'
    assert method.verify({"signature": base64.b64encode(single.encode()).decode()}, SHA) is False


def test_verify_reads_only_the_signed_data_not_an_added_copy(standin, method) -> None:
    """A second, unsigned bankIdSignedData with another SHA-256 beside the signed one changes nothing."""
    from lxml import etree

    evidence = _completed(standin, method).evidence
    root = etree.fromstring(base64.b64decode(evidence["signature"]))
    ns = f"{{{bankid.BANKID_SIGNATURE_NS}}}"
    other = hashlib.sha256(b"annat").hexdigest()
    extra = etree.SubElement(root, "{http://www.w3.org/2000/09/xmldsig#}Object")
    forged = etree.SubElement(extra, f"{ns}bankIdSignedData", nsmap={None: bankid.BANKID_SIGNATURE_NS},
                              Id="bidSignedData")
    etree.SubElement(forged, f"{ns}usrNonVisibleData").text = base64.b64encode(other.encode()).decode()
    forged_evidence = _with_xml(evidence, etree.tostring(root))
    assert method.verify(forged_evidence, other) is False


@pytest.mark.parametrize(("hint", "message"), [
    ("userCancel", "Åtgärden avbruten."),
    ("expiredTransaction", "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning."),
    ("certificateErr", "Det BankID du försöker använda är för gammalt eller spärrat."),
    ("cancelled", "Åtgärden avbruten. Försök igen."),
    ("startFailed", "BankID-appen verkar inte finnas i din dator eller mobil."),
])
def test_a_failed_order_raises_signing_failed_with_the_swedish_message(standin, method, hint, message) -> None:
    ref = method.start(_request()).reference
    standin.fail(ref, hint)

    with pytest.raises(SigningFailed) as failed:
        method.poll(ref)

    assert str(failed.value).startswith(message)


def test_an_unknown_failed_hint_gets_rfa22() -> None:
    assert bankid.failed_message("somethingNew") == "Okänt fel. Försök igen."


def test_cancel_reaches_the_standin_and_the_order_is_gone(standin, method) -> None:
    ref = method.start(_request()).reference

    method.cancel(ref)

    assert standin.calls[-1] == ("cancel", {"orderRef": ref})
    assert ref not in standin.orders
    with pytest.raises(SigningFailed):  # BankID answers invalidParameters for an unknown order
        method.poll(ref)
    method.cancel(ref)  # cancelling twice is harmless


def test_without_a_certificate_bankid_is_not_configured(settings, method) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.BANKID_CERT_PATH = ""
    with pytest.raises(ImproperlyConfigured):
        method.start(_request())


def test_start_needs_the_signers_ip_address(standin) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        bankid.BankIdMethod().start(_request())


def test_the_standin_refuses_a_client_without_the_rp_certificate(standin) -> None:
    import ssl

    import httpx

    with pytest.raises(httpx.HTTPError):
        httpx.post(standin.url + "sign", json={}, verify=ssl.create_default_context(cafile=standin.ca_path))


# BankID's published example (the QR code guide of its developer documentation).
QR_TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
QR_SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


@pytest.mark.parametrize(("seconds", "auth_code"), [
    (0, "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"),
    (1, "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"),
    (2, "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"),
])
def test_qr_data_matches_bankids_published_example(seconds, auth_code) -> None:
    assert bankid.qr_data(QR_TOKEN, QR_SECRET, seconds) == f"bankid.{QR_TOKEN}.{seconds}.{auth_code}"


def test_qr_data_now_counts_whole_seconds_since_the_order() -> None:
    data = {"qr_start_token": QR_TOKEN, "qr_start_secret": QR_SECRET, "started_at": 1000.0}
    assert bankid.qr_data_now(data, now=1001.9) == bankid.qr_data(QR_TOKEN, QR_SECRET, 1)
    assert bankid.autostart_url("abc") == "bankid:///?autostarttoken=abc&redirect=null"
