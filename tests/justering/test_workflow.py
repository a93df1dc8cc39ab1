"""Sending, commenting, signing in any order, voiding by an edit, declining."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from board.documents.models import RenderedDocument
from board.models import AuditEvent
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.justering.rules import deadline_for, snapshot_sha256
from minutes.justering.tasks import justering_remind_signers
from minutes.models import Meeting, MinutesVersion, Signature
from tests.conftest import mail_outbox
from tests.justering.conftest import sign, signing_request

pytestmark = pytest.mark.django_db
Status = Meeting.Status


def test_sending_freezes_a_version_and_mails_every_signer_with_link_and_deadline(minutes, secretary, chair, member):
    version = justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    minutes.refresh_from_db()
    assert minutes.status == Status.JUSTERING
    assert version.number == 1 and version.status == MinutesVersion.Status.CURRENT
    assert version.sha256 == snapshot_sha256(version.snapshot)
    roles = {(s["name"], s["role"]) for s in version.snapshot["signers"]}
    assert roles == {
        (secretary.person.full_name, "sekreterare"),
        (chair.person.full_name, "ordforande"),
        (member.person.full_name, "justerare"),
    }
    to = sorted(m.to[0] for m in mail_outbox())
    assert to == sorted([secretary.person.email, chair.person.email, member.person.email])
    body = mail_outbox()[0].body
    assert f"/sammantraden/{minutes.pk}/justering/" in body
    assert "2023-11-16" in body  # 14 days after 2023-11-02


def test_sending_without_justerare_is_refused_with_a_reason(minutes, secretary):
    minutes_services.adjusters_set(meeting=minutes, persons=[], actor=secretary)
    with pytest.raises(ValidationError, match="justerare"):
        justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    minutes.refresh_from_db()
    assert minutes.status == Status.DRAFTING
    assert not MinutesVersion.objects.filter(meeting=minutes).exists()


def test_only_the_secretary_sends(minutes, chair):
    with pytest.raises(PermissionDenied):
        justering.minutes_send_for_justering(meeting=minutes, actor=chair)


def test_the_deadline_warns_when_near_and_when_passed(minutes):
    assert deadline_for(minutes, dt.date(2023, 11, 3)).near is False
    assert deadline_for(minutes, dt.date(2023, 11, 14)).near is True
    late = deadline_for(minutes, dt.date(2023, 11, 20))
    assert late.passed and "2023-11-16" in late.text


def test_signatures_in_any_order_make_the_minutes_justerade_and_order_the_pdfs(sent, secretary, chair, member):
    sign(sent, member)
    sign(sent, secretary)
    sent.refresh_from_db()
    assert sent.status == Status.JUSTERING
    signature = sign(sent, chair)
    sent.refresh_from_db()
    assert sent.status == Status.SIGNED
    version = MinutesVersion.objects.get(meeting=sent, number=1)
    assert version.status == MinutesVersion.Status.SIGNED and version.justered_at is not None
    assert signature.sha256 == version.sha256 == snapshot_sha256(version.snapshot)
    assert {s.role for s in version.signatures.all()} == {"sekreterare", "ordforande", "justerare"}
    kinds = set(RenderedDocument.objects.filter(object_id=sent.pk, version=1, kind__startswith="minutes.").values_list("kind", flat=True))
    assert kinds == {"minutes.full", "minutes.public"}
    assert AuditEvent.objects.filter(verb="minutes.justered", target_id=str(sent.pk)).exists()


def test_signing_needs_the_right_password(sent, chair):
    with pytest.raises(ValidationError, match="lösenord"):
        justering.justering_sign(meeting=sent, actor=chair, password="fel", request=signing_request())
    assert not Signature.objects.exists()


def test_a_user_with_a_totp_device_must_give_a_valid_code(sent, chair):
    device = TOTPDevice.objects.create(user=chair, name="app", confirmed=True)
    with pytest.raises(ValidationError, match="kod"):
        sign(sent, chair)
    with pytest.raises(ValidationError, match="kod"):
        sign(sent, chair, totp_code="000000" if totp(device.bin_key) != 0 else "111111")
    with time_machine.travel(dt.timedelta(seconds=5)):  # past django-otp's wait after a wrong code
        signature = sign(sent, chair, totp_code=f"{totp(device.bin_key):06d}")
    assert signature.with_totp


def test_wrong_codes_at_signing_are_counted_and_slow_the_next_attempt_down(sent, chair):
    """The count survives the refused signature (it is not rolled back with it): the right
    code straight after a wrong one waits, as django-otp's throttle means it to."""
    device = TOTPDevice.objects.create(user=chair, name="app", confirmed=True)
    wrong = "000000" if totp(device.bin_key) != 0 else "111111"
    with pytest.raises(ValidationError, match="Fel eller för gammal kod"):
        sign(sent, chair, totp_code=wrong)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    with pytest.raises(ValidationError, match="Vänta en stund"):
        sign(sent, chair, totp_code=f"{totp(device.bin_key):06d}")
    assert not Signature.objects.exists()
    with time_machine.travel(dt.timedelta(seconds=5)):
        assert sign(sent, chair, totp_code=f"{totp(device.bin_key):06d}").with_totp
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_an_association_requiring_totp_refuses_a_signer_without_a_device(sent, org, chair):
    org.require_totp = True
    org.save()
    with pytest.raises(ValidationError, match="tvåfaktorskod"):
        sign(sent, chair)


def test_someone_who_is_not_a_signer_cannot_sign_or_comment(sent, director):
    with pytest.raises(PermissionDenied):
        sign(sent, director)
    with pytest.raises(PermissionDenied):
        justering.justering_comment_add(meeting=sent, text="Hej", actor=director)


def test_one_signature_per_signer_and_version(sent, chair):
    sign(sent, chair)
    with pytest.raises(ValidationError, match="redan"):
        sign(sent, chair)


def test_an_edit_after_a_signature_voids_it_and_tells_the_signer(
    sent, secretary, chair, member, django_capture_on_commit_callbacks
):
    sign(sent, chair)
    mail_outbox().clear()
    paragraph = sent.paragraphs.get(title__startswith="Tilläggsäskande")
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.paragraph_update(
            paragraph=paragraph, expected_version=paragraph.version, actor=secretary,
            clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 100 tkr"],
        )
    old = MinutesVersion.objects.get(meeting=sent, number=1)
    new = MinutesVersion.objects.get(meeting=sent, number=2)
    assert old.status == MinutesVersion.Status.SUPERSEDED
    assert new.status == MinutesVersion.Status.CURRENT and new.sha256 != old.sha256
    assert old.signatures.count() == 1 and new.signatures.count() == 0
    assert [m.to for m in mail_outbox()] == [[chair.person.email]]
    assert "gäller inte längre" in mail_outbox()[0].body
    # Signing the old version is refused; the new one must be signed again.
    with pytest.raises(ValidationError, match="ändrats"):
        sign(sent, member, version_number=1)
    for user in (chair, member, secretary):
        sign(sent, user)
    sent.refresh_from_db()
    assert sent.status == Status.SIGNED


def test_an_edit_whose_signal_has_not_arrived_is_caught_at_signing(sent, secretary, chair):
    paragraph = sent.paragraphs.get(title__startswith="Tilläggsäskande")
    # No on-commit callbacks run here: the version is stale, the signing notices it.
    minutes_services.paragraph_update(
        paragraph=paragraph, expected_version=paragraph.version, actor=secretary, body="Ny text.",
    )
    with pytest.raises(ValidationError, match="ändrats"):
        sign(sent, chair)
    assert not Signature.objects.exists()


def test_a_justerare_cannot_edit_decision_text(sent, member, login):
    paragraph = sent.paragraphs.get(title__startswith="Tilläggsäskande")
    response = login(member).post(
        f"/paragrafer/{paragraph.pk}/", {"title": paragraph.title, "version": paragraph.version,
                                         "clauses": "Att avslå"},
    )
    assert response.status_code == 403
    assert paragraph.clauses.get().text.endswith("120 tkr")


def test_comments_reach_the_secretary(sent, member, secretary):
    paragraph = sent.paragraphs.get(title__startswith="Tilläggsäskande")
    mail_outbox().clear()
    comment = justering.justering_comment_add(meeting=sent, paragraph=paragraph, text="Stavfel i beslutet.", actor=member)
    assert comment.paragraph_label == paragraph.label and comment.version.number == 1
    assert mail_outbox()[0].to == [secretary.person.email]
    with pytest.raises(ValidationError, match="Skriv en kommentar"):
        justering.justering_comment_add(meeting=sent, text="  ", actor=member)


def test_declining_sends_the_minutes_back_with_the_reason(sent, member, secretary, chair):
    sign(sent, chair)
    mail_outbox().clear()
    with pytest.raises(ValidationError, match="Skriv varför du inte kan justera protokollet"):
        justering.justering_decline(meeting=sent, reason="", actor=member)
    decline = justering.justering_decline(meeting=sent, reason="§ 56 saknar beloppet.", actor=member)
    sent.refresh_from_db()
    assert sent.status == Status.DRAFTING
    assert decline.version.status == MinutesVersion.Status.DECLINED
    assert mail_outbox()[0].to == [secretary.person.email] and "saknar beloppet" in mail_outbox()[0].body
    with pytest.raises(ValidationError, match="Protokollet är inte under justering"):
        sign(sent, member)
    # Sent again: a new version; the chair's old signature does not count.
    version = justering.minutes_send_for_justering(meeting=sent, actor=secretary)
    assert version.number == 2 and version.signatures.count() == 0


@time_machine.travel(dt.datetime(2023, 11, 6, 7, 5, tzinfo=dt.UTC), tick=False)
def test_the_signing_time_is_recorded(sent, chair):
    signature = sign(sent, chair)
    assert signature.signed_at == dt.datetime(2023, 11, 6, 7, 5, tzinfo=dt.UTC)


def test_signers_who_have_not_signed_are_reminded_as_the_deadline_nears(sent, chair, member, secretary):
    sign(sent, chair)
    mail_outbox().clear()
    assert justering_remind_signers(today=dt.date(2023, 11, 5)) == []  # eleven days left
    sent_to = justering_remind_signers(today=dt.date(2023, 11, 13))  # three days left
    assert sorted(sent_to) == sorted([member.person.email, secretary.person.email])
    assert "Påminnelse" in mail_outbox()[0].subject and "2023-11-16" in mail_outbox()[0].body


@pytest.mark.parametrize(
    ("who", "role"), [("secretary", "sekreterare"), ("chair", "ordförande"), ("member", "justerande")]
)
def test_the_signing_page_says_in_which_role_in_words(sent, login, request, who, role):
    html = " ".join(login(request.getfixturevalue(who)).get(f"/sammantraden/{sent.pk}/justering/").content.decode().split())
    assert f"Du skriver under version 1 av protokollet som {role}." in html
    for key in ("som sekreterare", "som ordforande", "som justerare", "som vid protokollet"):
        if key != f"som {role}":
            assert key not in html, key
