"""Justerade minutes cannot change: the services refuse, the admin is read-only, the database
refuses raw SQL. Only the unlock (chair + one more member, with a reason) opens them again."""

from __future__ import annotations

import uuid

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import RequestFactory

from board.models import AuditEvent
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.models import (
    Attendance,
    DecisionClause,
    Meeting,
    MinutesUnlock,
    MinutesVersion,
    Paragraph,
    Signature,
    Vote,
)
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
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        minutes_services.paragraph_add(meeting=justered, title="Ny", actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        minutes_services.attendance_set(meeting=justered, person=member.person, role="franvarande", actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        minutes_services.adjusters_set(meeting=justered, persons=[], actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        minutes_services.meeting_update(meeting=justered, place="Annan plats", actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet kan inte skickas för justering"):
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
    with pytest.raises(ValidationError, match="Skriv skälet till upplåsningen"):
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


# --- only a confirmed unlock row opens the lock (migration 0009) ---------------------------

TO_DRAFTING = "UPDATE minutes_meeting SET status = 'protokoll_under_arbete' WHERE id = %s"


def _raw_all(statements: list[tuple[str, list]]) -> None:
    """Several statements in one transaction (SET LOCAL lasts until its end)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _unlock(meeting, chair, member) -> MinutesUnlock:
    unlock = justering.unlock_propose(meeting=meeting, reason="Fel belopp i § 56", actor=chair)
    return justering.unlock_confirm(unlock=unlock, actor=member)


def test_the_old_unlock_setting_opens_nothing(justered):
    version = MinutesVersion.objects.get(meeting=justered, status=MinutesVersion.Status.SIGNED)
    paragraph = justered.paragraphs.first()
    for opening in (f"SET LOCAL samordna.unlock_meeting = '{justered.pk}'",
                    f"SELECT set_config('samordna.unlock_meeting', '{justered.pk}', true)"):
        for sql, params in [
            (TO_DRAFTING, [justered.pk]),
            ("UPDATE minutes_meeting SET date = date + 1 WHERE id = %s", [justered.pk]),
            ("UPDATE minutes_minutesversion SET status = 'upplast' WHERE id = %s", [version.pk]),
            ("UPDATE minutes_paragraph SET title = 'Förfalskad' WHERE id = %s", [paragraph.pk]),
        ]:
            with pytest.raises(IntegrityError):
                _raw_all([(opening, []), (sql, params)])
    justered.refresh_from_db()
    assert justered.status == Meeting.Status.SIGNED and Meeting.objects.get(pk=justered.pk).date == justered.date
    assert MinutesVersion.objects.get(pk=version.pk).status == MinutesVersion.Status.SIGNED


def test_a_confirmed_unlock_cannot_be_written_in_one_step(justered, chair, member):
    version = MinutesVersion.objects.get(meeting=justered, status=MinutesVersion.Status.SIGNED)
    forged = (
        "INSERT INTO minutes_minutesunlock (meeting_id, from_version_id, reason, status, chair_id, chair_user_id,"
        " second_id, second_user_id, proposed_at, confirmed_at)"
        " VALUES (%s, %s, 'Förfalskad', 'genomford', %s, %s, %s, %s, now(), now())",
        [justered.pk, version.pk, chair.person.pk, chair.pk, member.person.pk, member.pk],
    )
    with pytest.raises(IntegrityError, match="förslag"):
        _raw(*forged)
    with pytest.raises(IntegrityError):
        _raw_all([forged, (TO_DRAFTING, [justered.pk])])
    assert not MinutesUnlock.objects.exists()
    assert Meeting.objects.get(pk=justered.pk).status == Meeting.Status.SIGNED


def test_a_proposal_is_confirmed_by_another_person_and_user_only(justered, chair, member):
    unlock = justering.unlock_propose(meeting=justered, reason="Fel belopp", actor=chair)
    for second_person, second_user in [(member.person.pk, chair.pk), (chair.person.pk, member.pk)]:
        with pytest.raises(IntegrityError):
            _raw("UPDATE minutes_minutesunlock SET status = 'genomford', second_id = %s, second_user_id = %s,"
                 " confirmed_at = now() WHERE id = %s", [second_person, second_user, unlock.pk])
    with pytest.raises(IntegrityError):  # the proposal itself is not rewritten
        _raw("UPDATE minutes_minutesunlock SET reason = 'Annat skäl' WHERE id = %s", [unlock.pk])
    assert MinutesUnlock.objects.get(pk=unlock.pk).status == MinutesUnlock.Status.PROPOSED


def test_a_done_unlock_can_never_be_changed_or_deleted(justered, chair, member, secretary):
    unlock = _unlock(justered, chair, member)
    for sql in [
        "UPDATE minutes_minutesunlock SET reason = 'Annat skäl' WHERE id = %s",
        "UPDATE minutes_minutesunlock SET status = 'foreslagen' WHERE id = %s",
        "UPDATE minutes_minutesunlock SET confirmed_at = confirmed_at - interval '1 day' WHERE id = %s",
        "UPDATE minutes_minutesunlock SET second_user_id = chair_user_id WHERE id = %s",
        "UPDATE minutes_minutesunlock SET to_version_id = from_version_id WHERE id = %s",
        "DELETE FROM minutes_minutesunlock WHERE id = %s",
    ]:
        with pytest.raises(IntegrityError, match="genomförd upplåsning"):
            _raw(sql, [unlock.pk])
    stored = MinutesUnlock.objects.get(pk=unlock.pk)
    assert (stored.reason, stored.status, stored.to_version.number) == ("Fel belopp i § 56", "genomford", 2)


def test_an_unlock_opens_only_the_justering_it_was_confirmed_for(justered, chair, member, secretary):
    _unlock(justered, chair, member)
    justering.minutes_send_for_justering(meeting=justered, actor=secretary)
    for user in (secretary, chair, member):
        sign(justered, user)
    justered.refresh_from_db()
    assert justered.status == Meeting.Status.SIGNED
    second = MinutesVersion.objects.get(meeting=justered, status=MinutesVersion.Status.SIGNED)
    assert second.number == 2
    with pytest.raises(IntegrityError):
        _raw_all([(f"SET LOCAL samordna.unlock_meeting = '{justered.pk}'", []), (TO_DRAFTING, [justered.pk])])
    with pytest.raises(IntegrityError):
        _raw("UPDATE minutes_minutesversion SET status = 'upplast' WHERE id = %s", [second.pk])
    assert Meeting.objects.get(pk=justered.pk).status == Meeting.Status.SIGNED


def test_versions_are_not_added_unlocked_or_justerade_by_sql(justered, chair, member):
    version = MinutesVersion.objects.get(meeting=justered, status=MinutesVersion.Status.SIGNED)
    refused = [
        ("UPDATE minutes_minutesversion SET status = 'upplast' WHERE id = %s", [version.pk]),
        ("INSERT INTO minutes_minutesversion (meeting_id, number, status, reason, snapshot, sha256, created_at)"
         " SELECT meeting_id, 9, 'aktuell', 'Förfalskad', snapshot, sha256, now() FROM minutes_minutesversion"
         " WHERE id = %s", [version.pk]),
    ]
    for sql, params in refused:
        with pytest.raises(IntegrityError):
            _raw(sql, params)
    assert list(MinutesVersion.objects.filter(meeting=justered).values_list("number", "status")) == [(1, "justerad")]


def test_a_version_is_justerad_only_when_everyone_has_signed_it(sent, chair):
    version = MinutesVersion.objects.get(meeting=sent)
    justerad = "UPDATE minutes_minutesversion SET status = 'justerad', justered_at = now() WHERE id = %s"
    with pytest.raises(IntegrityError, match="underskriven av alla"):
        _raw(justerad, [version.pk])
    sign(sent, chair)
    with pytest.raises(IntegrityError, match="underskriven av alla"):
        _raw(justerad, [version.pk])
    assert MinutesVersion.objects.get(pk=version.pk).status == MinutesVersion.Status.CURRENT


def test_walking_both_steps_of_an_unlock_by_sql_leaves_a_row_that_stays(justered, chair, member):
    """What a session with the application's rights can do, it can only do as the unlock: the
    row names two people and a reason, shows in the history and cannot be taken back."""
    version = MinutesVersion.objects.get(meeting=justered, status=MinutesVersion.Status.SIGNED)
    _raw_all([
        ("INSERT INTO minutes_minutesunlock (meeting_id, from_version_id, reason, status, chair_id, chair_user_id,"
         " proposed_at) VALUES (%s, %s, 'Via SQL', 'foreslagen', %s, %s, now())",
         [justered.pk, version.pk, chair.person.pk, chair.pk]),
        ("UPDATE minutes_minutesunlock SET status = 'genomford', second_id = %s, second_user_id = %s,"
         " confirmed_at = now() WHERE meeting_id = %s", [member.person.pk, member.pk, justered.pk]),
        ("UPDATE minutes_minutesversion SET status = 'upplast' WHERE id = %s", [version.pk]),
        (TO_DRAFTING, [justered.pk]),
    ])
    unlock = MinutesUnlock.objects.get(meeting=justered)
    with pytest.raises(IntegrityError):
        _raw("DELETE FROM minutes_minutesunlock WHERE id = %s", [unlock.pk])
    assert MinutesUnlock.objects.filter(pk=unlock.pk, reason="Via SQL", second=member.person).exists()


def test_an_application_role_that_owns_nothing_cannot_switch_the_triggers_off(justered):
    """What README asks of the production role: no superuser, not the tables' owner. The role
    exists only inside this test's transaction."""
    role = f"samordna_app_{uuid.uuid4().hex[:10]}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        for sql in [
            "ALTER TABLE minutes_meeting DISABLE TRIGGER minutes_meeting_locked",
            "ALTER TABLE minutes_meeting DISABLE TRIGGER ALL",
            "SET LOCAL session_replication_role = replica",
            "DROP TRIGGER minutes_meeting_locked ON minutes_meeting",
        ]:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(sql)
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute(f"SET LOCAL samordna.unlock_meeting = '{justered.pk}'")
            cursor.execute(TO_DRAFTING, [justered.pk])
        cursor.execute("RESET ROLE")
    assert Meeting.objects.get(pk=justered.pk).status == Meeting.Status.SIGNED
