"""Justerade minutes cannot change: the services refuse, the admin is read-only, the database
refuses raw SQL. Only the unlock (chair + one more member, with a reason) opens them again."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from board.models import AuditEvent
from minutes import justering
from minutes import services as minutes_services
from minutes.justering_models import MinutesUnlock, MinutesVersion, Signature
from minutes.models import Attendance, DecisionClause, Meeting, Paragraph, Vote
from tests.justering.conftest import sign

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- services -----------------------------------------------------------------------------


def test_the_services_refuse_to_change_justerade_minutes(justered, secretary, member):
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    with pytest.raises(ValidationError, match="justerat"):
        minutes_services.paragraph_update(
            paragraph=paragraph, expected_version=paragraph.version, actor=secretary, title="Ändrad")
    with pytest.raises(ValidationError):
        minutes_services.paragraph_add(meeting=justered, title="Ny", actor=secretary)
    with pytest.raises(ValidationError):
        minutes_services.attendance_set(meeting=justered, person=member.person, role="franvarande", actor=secretary)
    with pytest.raises(ValidationError):
        minutes_services.adjusters_set(meeting=justered, persons=[], actor=secretary)
    with pytest.raises(ValidationError):
        minutes_services.meeting_update(meeting=justered, place="Annan plats", actor=secretary)
    with pytest.raises(ValidationError):
        justering.minutes_send_for_justering(meeting=justered, actor=secretary)
    assert Paragraph.objects.get(pk=paragraph.pk).title.startswith("Tilläggsäskande")


# --- the database -------------------------------------------------------------------------


def test_raw_sql_cannot_update_or_delete_the_paragraphs_decisions_or_attendance(justered):
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    clause = paragraph.clauses.get()
    attendance = justered.attendances.first()
    refused = [
        ("UPDATE minutes_paragraph SET title = 'Förfalskad' WHERE id = %s", [paragraph.pk]),
        ("DELETE FROM minutes_paragraph WHERE id = %s", [paragraph.pk]),
        ("UPDATE minutes_decisionclause SET text = 'Att avslå' WHERE id = %s", [clause.pk]),
        ("DELETE FROM minutes_decisionclause WHERE id = %s", [clause.pk]),
        ("INSERT INTO minutes_decisionclause (paragraph_id, position, text) VALUES (%s, 9, 'Att också')", [paragraph.pk]),
        ("UPDATE minutes_attendance SET role = 'franvarande' WHERE id = %s", [attendance.pk]),
        ("DELETE FROM minutes_attendance WHERE id = %s", [attendance.pk]),
        ("DELETE FROM minutes_minutesadjuster WHERE meeting_id = %s", [justered.pk]),
        ("UPDATE minutes_meeting SET status = 'protokoll_under_arbete' WHERE id = %s", [justered.pk]),
        ("DELETE FROM minutes_meeting WHERE id = %s", [justered.pk]),
    ]
    for sql, params in refused:
        with pytest.raises(IntegrityError, match="justerat"):
            _raw(sql, params)
    assert DecisionClause.objects.get(pk=clause.pk).text.endswith("120 tkr")
    assert Attendance.objects.get(pk=attendance.pk).role == attendance.role
    assert Meeting.objects.get(pk=justered.pk).status == Meeting.Status.SIGNED


def test_raw_sql_cannot_touch_votes_reservations_notes_of_locked_minutes(minutes, secretary, chair, member):
    paragraph = minutes.paragraphs.get(title__startswith="Tilläggsäskande")
    minutes_services.note_add(paragraph=paragraph, text="Anteckning", actor=secretary)
    justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    for user in (secretary, chair, member):
        sign(minutes, user)
    for sql in (
        "UPDATE minutes_protocolnote SET text = 'x' WHERE paragraph_id = %s",
        "INSERT INTO minutes_vote (paragraph_id, position, kind, question, casting_vote, lot_result, result,"
        " decided_by, yes_count, no_count, abstain_count) VALUES (%s, 1, 'ordinarie', '', '', '', 'ja', '', 1, 0, 0)",
        "INSERT INTO minutes_recusal (paragraph_id, person_id, reason) SELECT %s, id, '' FROM board_person LIMIT 1",
    ):
        with pytest.raises(IntegrityError):
            _raw(sql, [paragraph.pk])
    assert not Vote.objects.filter(paragraph=paragraph).exists()


def test_minutes_not_yet_justerade_can_still_be_changed_by_sql(sent):
    paragraph = sent.paragraphs.first()
    _raw("UPDATE minutes_paragraph SET dnr = 'Dnr 1' WHERE id = %s", [paragraph.pk])
    assert Paragraph.objects.get(pk=paragraph.pk).dnr == "Dnr 1"


def test_signatures_and_signed_versions_can_never_be_changed_or_deleted(justered, chair):
    version = MinutesVersion.objects.get(meeting=justered, number=1)
    signature = Signature.objects.filter(version=version).first()
    for sql, params in [
        ("UPDATE minutes_signature SET signed_at = now() WHERE id = %s", [signature.pk]),
        ("DELETE FROM minutes_signature WHERE id = %s", [signature.pk]),
        ("UPDATE minutes_minutesversion SET sha256 = repeat('0', 64) WHERE id = %s", [version.pk]),
        ("UPDATE minutes_minutesversion SET snapshot = '{}'::jsonb WHERE id = %s", [version.pk]),
        ("UPDATE minutes_minutesversion SET status = 'aktuell' WHERE id = %s", [version.pk]),
        ("DELETE FROM minutes_minutesversion WHERE id = %s", [version.pk]),
        # A new signature on a justerad (not current) version, or with another hash.
        ("INSERT INTO minutes_signature (version_id, person_id, user_id, role, signed_at, sha256, with_totp)"
         " SELECT id, %s, %s, 'justerare', now(), sha256, false FROM minutes_minutesversion WHERE id = %s",
         [chair.person.pk, chair.pk, version.pk]),
    ]:
        with pytest.raises(IntegrityError):
            _raw(sql, params)
    assert Signature.objects.filter(version=version).count() == 3


# --- the admin ----------------------------------------------------------------------------


def test_the_admin_shows_justerade_minutes_read_only(justered, site_admin, login):
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    request = RequestFactory().get("/")
    request.user = site_admin
    for model, obj in [(Paragraph, paragraph), (Meeting, justered), (DecisionClause, paragraph.clauses.get())]:
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request, obj)
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)
    client = login(site_admin)
    page = client.get(f"/admin/minutes/paragraph/{paragraph.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(f"/admin/minutes/paragraph/{paragraph.pk}/change/", {"title": "Ändrad i admin"})
    assert response.status_code == 403
    assert client.post(f"/admin/minutes/paragraph/{paragraph.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Paragraph.objects.get(pk=paragraph.pk).title.startswith("Tilläggsäskande")


def test_the_admin_still_edits_minutes_under_work(minutes, site_admin):
    request = RequestFactory().get("/")
    request.user = site_admin
    paragraph = minutes.paragraphs.first()
    assert admin.site._registry[Paragraph].has_change_permission(request, paragraph)
    version_admin = admin.site._registry[MinutesVersion]
    assert not version_admin.has_change_permission(request, None)


# --- unlock -------------------------------------------------------------------------------


def test_the_unlock_needs_the_chair_and_one_more_member_and_keeps_both_versions(
    justered, secretary, chair, member, director, login
):
    with pytest.raises(PermissionDenied):
        justering.unlock_propose(meeting=justered, reason="Fel belopp i § 56", actor=member)
    with pytest.raises(ValidationError):
        justering.unlock_propose(meeting=justered, reason="  ", actor=chair)
    unlock = justering.unlock_propose(meeting=justered, reason="Fel belopp i § 56", actor=chair)
    justered.refresh_from_db()
    assert justered.status == Meeting.Status.SIGNED  # a proposal alone changes nothing
    with pytest.raises(ValidationError, match="annan ledamot"):
        justering.unlock_confirm(unlock=unlock, actor=chair)
    with pytest.raises(PermissionDenied):
        justering.unlock_confirm(unlock=unlock, actor=director)  # staff, not a member
    justering.unlock_confirm(unlock=unlock, actor=member)
    unlock.refresh_from_db()
    justered.refresh_from_db()
    assert unlock.status == MinutesUnlock.Status.DONE
    assert (unlock.chair, unlock.second) == (chair.person, member.person)
    assert justered.status == Meeting.Status.DRAFTING
    old = MinutesVersion.objects.get(meeting=justered, number=1)
    new = MinutesVersion.objects.get(meeting=justered, number=2)
    assert old.status == MinutesVersion.Status.UNLOCKED and old.signatures.count() == 3
    assert new.status == MinutesVersion.Status.CURRENT and unlock.to_version == new
    assert AuditEvent.objects.filter(verb="justering.unlocked").exists()

    # Now the secretary corrects it, sends it again, and it is justerat as version 3.
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    minutes_services.paragraph_update(
        paragraph=paragraph, expected_version=paragraph.version, actor=secretary,
        clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 110 tkr"],
    )
    version = justering.minutes_send_for_justering(meeting=justered, actor=secretary)
    assert version.number == 3
    for user in (secretary, chair, member):
        sign(justered, user)
    justered.refresh_from_db()
    assert justered.status == Meeting.Status.SIGNED

    history = login(member).get(f"/sammantraden/{justered.pk}/justering/historik/")
    text = history.content.decode()
    assert history.status_code == 200
    assert "Fel belopp i § 56" in text
    for n in (1, 2, 3):
        assert f"Version {n}" in text
