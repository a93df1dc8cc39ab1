"""A justering that mixes methods, for the evidence tests: the ledamot signs with an OIDC e-ID
through the tests' real OpenID Provider, the chair with BankID through the local stand-in of
the RP API v6 (tests/bankid_standin.py, not BankID), the secretary with password and code."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from minutes.justering import services as justering
from minutes.justering.signing.bankid import BankIdMethod
from minutes.justering.signing.base import Completed, SigningRequest
from minutes.justering.signing.oidc import OidcMethod
from minutes.models import Meeting, Signature
from tests.bankid_standin import BankIdStandin
from tests.justering.conftest import sign
from tests.oidc.conftest import REDIRECT, login_at_provider
from tests.servers import OidcProvider, free_port

PNR_MEMBER = "198112189876"  # the ledamot's, through the OIDC e-ID
PNR_CHAIR = "199001011239"  # the chair's, through BankID
OIDC_LABEL = "Testlegitimation"


def identity_forms(number: str) -> list[str]:
    """Every way a personnummer is written: 12 and 10 digits, with and without the dash, masked."""
    return [number, f"{number[:8]}-{number[8:]}", number[2:], f"{number[2:8]}-{number[8:]}",
            f"{number[:2]}xxxxxx-xx{number[-2:]}"]


IDENTITY_FORMS = identity_forms(PNR_MEMBER) + identity_forms(PNR_CHAIR)


def assert_no_identity(text: str, where: str) -> None:
    for form in IDENTITY_FORMS:
        assert form not in text, (form, where)
    assert "xxxxxx-xx" not in text, where  # no masked number of anyone


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[OidcProvider]:
    op = OidcProvider(
        port=free_port(),
        clients=[{"client_id": "samordna", "client_secret": "test-secret", "redirect_uris": [REDIRECT]}],
        accounts={"ledamot": {"personalIdentityNumber": PNR_MEMBER, "given_name": "Ledamot",
                              "family_name": "Testsson"}},
    )
    op.start()
    yield op
    op.stop()


@pytest.fixture
def oidc_settings(oidc_provider, settings) -> OidcProvider:
    settings.OIDC_PROVIDERS = {"test": {"issuer": oidc_provider.issuer, "client_id": "samordna",
                                        "client_secret": "test-secret", "label": OIDC_LABEL}}
    return oidc_provider


@pytest.fixture
def standin(bankid_standin: BankIdStandin) -> BankIdStandin:
    """The stand-in with the settings pointing at it (tests/justering/conftest.py)."""
    return bankid_standin


def sign_with_oidc(meeting: Meeting, user, provider: OidcProvider, *, sha256: str) -> Signature:
    method = OidcMethod(provider="test", issuer=provider.issuer, client_id="samordna", client_secret="test-secret",
                        redirect_uri=REDIRECT, label=OIDC_LABEL)
    started = method.start(SigningRequest(sha256=sha256, visible_text="Jag justerar protokollet.",
                                          person_name=user.person.full_name, identity_number=PNR_MEMBER))
    back = login_at_provider(requests.Session(), started.data["url"], "ledamot")
    completed = method.finish(started.data, back)
    return justering.justering_sign_completed(meeting=meeting, actor=user, method=method.key, completed=completed,
                                              reference=started.reference, sha256=sha256)


def sign_with_bankid(meeting: Meeting, user, standin: BankIdStandin, *, sha256: str) -> Signature:
    method = BankIdMethod(end_user_ip="192.0.2.10")
    started = method.start(SigningRequest(sha256=sha256, visible_text="Jag justerar protokollet.",
                                          person_name=user.person.full_name, identity_number=PNR_CHAIR))
    standin.complete(started.reference, PNR_CHAIR, user.person.full_name)
    completed = method.poll(started.reference)
    assert isinstance(completed, Completed)
    return justering.justering_sign_completed(meeting=meeting, actor=user, method="bankid", completed=completed,
                                              reference=started.reference, sha256=sha256)


def give_identities(chair, member) -> None:
    member.person.personal_identity_number = PNR_MEMBER
    member.person.save()
    chair.person.personal_identity_number = PNR_CHAIR
    chair.person.save()


def sign_mixed_but_last(meeting: Meeting, chair, member, provider, standin) -> str:
    """The ledamot (OIDC) and the chair (BankID) sign; the secretary's password signature is left."""
    sha256 = meeting.versions.get(status="aktuell").sha256
    sign_with_oidc(meeting, member, provider, sha256=sha256)
    sign_with_bankid(meeting, chair, standin, sha256=sha256)
    return sha256


def sign_last(meeting: Meeting, secretary) -> Signature:
    return sign(meeting, secretary)


@pytest.fixture
def mixed(sent, secretary, chair, member, oidc_settings, standin) -> Meeting:
    """Justerade minutes: the ledamot with OIDC, the chair with BankID, the secretary last with password."""
    give_identities(chair, member)
    sign_mixed_but_last(sent, chair, member, oidc_settings, standin)
    sign_last(sent, secretary)
    sent.refresh_from_db()
    assert sent.status == Meeting.Status.SIGNED
    return sent


def attachments(content: bytes) -> dict[str, bytes]:
    import io

    from pypdf import PdfReader

    return {name: data[0] for name, data in PdfReader(io.BytesIO(content)).attachments.items()}


def tampered_bankid(evidence: dict, other_sha256: str) -> dict:
    """The BankID signature XML with another SHA-256 written into its usrNonVisibleData."""
    xml = base64.b64decode(evidence["signature"]).decode()
    ours = next(part.split("<")[0] for part in xml.split("usrNonVisibleData>")[1::2])
    xml = xml.replace(ours, base64.b64encode(other_sha256.encode()).decode())
    return {**evidence, "signature": base64.b64encode(xml.encode()).decode()}


def tampered_id_token(evidence: dict) -> dict:
    """The ID token with another personnummer in its payload (the provider's signature kept)."""
    header, payload, signature = evidence["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["https://id.oidc.se/claim/personalIdentityNumber"] = PNR_CHAIR
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return {**evidence, "id_token": f"{header}.{forged}.{signature}"}


def save(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
