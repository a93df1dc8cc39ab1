"""The rules every signing method answers to: the association's methods and lowest level, the
signer's identity, the version the method bound, and a reference used once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from board.identity import Level, mask, normalise
from minutes.justering import services as justering
from minutes.justering.signing.base import Completed
from minutes.models import Meeting, Signature
from tests.justering.conftest import sign

pytestmark = pytest.mark.django_db

PNR_MEMBER = "198112189876"


def _bankid(identity: str = PNR_MEMBER, level: str = Level.ADVANCED) -> Completed:
    return Completed(level=level, identity_number=identity, name="Ledamot", evidence={"orderRef": "x"})


def _sign_completed(meeting: Meeting, user, *, method: str = "bankid", completed: Completed | None = None,
                    reference: str = "order-1", sha256: str | None = None) -> Signature:
    version = meeting.versions.get(status="aktuell")
    return justering.justering_sign_completed(
        meeting=meeting, actor=user, method=method, completed=completed or _bankid(), reference=reference,
        sha256=sha256 or version.sha256,
    )


@pytest.fixture
def member_identified(member):
    member.person.personal_identity_number = PNR_MEMBER
    member.person.save()
    return member


def test_an_association_that_requires_advanced_refuses_password_and_code(sent, member, board):
    board.organisation.signing_min_level = Level.ADVANCED
    board.organisation.save()
    with pytest.raises(ValidationError, match="kräver avancerad elektronisk underskrift"):
        sign(sent, member)
    assert not Signature.objects.exists()


def test_the_password_signature_is_recorded_as_simple(sent, member):
    signature = sign(sent, member)
    assert (signature.method, signature.level, signature.reference) == ("losenord", "enkel", "")
    assert signature.get_level_display() == "Enkel elektronisk underskrift"


def test_a_method_the_association_has_not_chosen_is_refused(sent, member_identified, board):
    board.organisation.signing_methods = ["losenord", "passkey"]
    board.organisation.save()
    with pytest.raises(ValidationError, match="tar inte emot underskrifter med det här sättet"):
        _sign_completed(sent, member_identified)
    assert not Signature.objects.exists()


def test_an_e_id_signature_is_recorded_with_its_method_level_evidence_and_masked_identity(
    sent, member_identified, board
):
    board.organisation.signing_min_level = Level.ADVANCED
    board.organisation.save()
    signature = _sign_completed(sent, member_identified)
    signature.refresh_from_db()
    assert (signature.method, signature.level, signature.reference) == ("bankid", "avancerad", "order-1")
    assert signature.evidence == {"orderRef": "x"}
    assert signature.identity_masked == "19xxxxxx-xx76"
    assert PNR_MEMBER not in signature.identity_masked


def test_another_persons_e_id_is_refused(sent, member_identified):
    with pytest.raises(ValidationError, match="tillhör en annan person"):
        _sign_completed(sent, member_identified, completed=_bankid(identity="199001011239"))
    assert not Signature.objects.exists()


def test_a_signer_without_a_personnummer_cannot_sign_with_e_id(sent, member):
    with pytest.raises(ValidationError, match="har inte ditt personnummer"):
        _sign_completed(sent, member)
    assert not Signature.objects.exists()


def test_the_same_reference_twice_signs_nothing(sent, member_identified, chair):
    _sign_completed(sent, member_identified, reference="order-7")
    chair.person.personal_identity_number = "199001011239"
    chair.person.save()
    with pytest.raises(ValidationError, match="redan använd"):
        _sign_completed(sent, chair, completed=_bankid(identity="199001011239"), reference="order-7")
    assert Signature.objects.count() == 1


def test_a_signature_bound_to_another_version_is_refused(sent, member_identified):
    with pytest.raises(ValidationError, match="ändrats sedan du började skriva under"):
        _sign_completed(sent, member_identified, sha256="0" * 64)
    assert not Signature.objects.exists()


def test_the_personnummer_is_validated_normalised_and_masked():
    assert normalise("19811218-9876") == PNR_MEMBER
    assert normalise(" 198112189876 ") == PNR_MEMBER
    assert mask(PNR_MEMBER) == "19xxxxxx-xx76"
    with pytest.raises(ValidationError, match="Personnumret är inte giltigt"):
        normalise("19811218-9875")  # wrong check digit


def test_a_new_association_requires_advanced_signatures():
    from board.models import Organisation

    organisation = Organisation.objects.create(name="Nytt förbund", slug="nytt")
    assert organisation.signing_min_level == Level.ADVANCED
    assert set(organisation.signing_methods) == {"losenord", "bankid", "oidc", "passkey"}
