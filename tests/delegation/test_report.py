"""The report to the board: "Anmälan av delegationsbeslut" as a paragraph, reported at the justering,
and the notice of an appealable decision that is not reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minutes.delegation import services
from minutes.drafting import services as drafting
from minutes.justering import services as justering
from minutes.models import DelegationDecision, Notice, Paragraph
from tests.justering.conftest import build_minutes, sign

from .conftest import record


@pytest.fixture
def decisions(org, line, director):
    return [
        record(org, line, director, decided_on=dt.date(2023, 9, 4), matter="Konsult <b>Ett</b>",
               decision="=HYPERLINK(\"x\")", amount=8_000),
        record(org, line, director, decided_on=dt.date(2023, 10, 2), matter="Föreläsare", amount=None,
               appealable=True),
    ]


@pytest.fixture
def meeting(board, secretary, chair, member):
    return build_minutes(board, secretary, chair, member, date=dt.date(2023, 11, 2))


def test_the_report_paragraph_lists_the_decisions(meeting, decisions, secretary, director):
    paragraph = services.delegation_report_add(meeting=meeting, actor=secretary)
    assert paragraph.title == "Anmälan av delegationsbeslut"
    assert [c.text for c in paragraph.clauses.all()] == ["Att lägga anmälan av delegationsbeslut till handlingarna"]
    name = director.person.full_name
    # Typed text is escaped into the stored HTML subset (the quotes of plain text need not be).
    assert paragraph.body == (
        "<p>Följande beslut har fattats med stöd av delegation sedan förra anmälan:</p><ul>"
        f'<li>2023-09-04 – punkt 3.2 – Konsult &lt;b&gt;Ett&lt;/b&gt;: =HYPERLINK("x") ({name}, 8 000 kr)</li>'
        f"<li>2023-10-02 – punkt 3.2 – Föreläsare: Att anlita Föreläsning AB ({name}, kan överklagas)</li></ul>"
    )
    assert set(DelegationDecision.objects.values_list("reported_in", flat=True)) == {paragraph.pk}
    # Before "Övriga frågor" and "Mötets avslutande".
    kinds = list(meeting.paragraphs.order_by("position").values_list("title", flat=True))
    assert kinds[-3:] == ["Anmälan av delegationsbeslut", "Övriga frågor", "Mötets avslutande"]


def test_a_second_click_is_refused_and_adds_nothing(meeting, decisions, secretary, org, line, director):
    paragraph = services.delegation_report_add(meeting=meeting, actor=secretary)
    record(org, line, director, decided_on=dt.date(2023, 10, 20))
    count = Paragraph.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.delegation_report_add(meeting=meeting, actor=secretary)
    assert caught.value.messages == [f"Sammanträdet har redan en anmälan av delegationsbeslut ({paragraph.label})."]
    assert Paragraph.objects.count() == count


def test_nothing_to_report_is_refused(meeting, secretary, org, line, director):
    record(org, line, director, decided_on=dt.date(2023, 11, 3))  # after the meeting
    with pytest.raises(ValidationError) as caught:
        services.delegation_report_add(meeting=meeting, actor=secretary)
    assert caught.value.messages == ["Det finns inga delegationsbeslut att anmäla sedan förra anmälan."]


def test_decisions_without_report_duty_are_left_out(meeting, decisions, secretary, line):
    line.report_duty = False
    line.save()
    with pytest.raises(ValidationError):
        services.delegation_report_add(meeting=meeting, actor=secretary)


def test_reported_only_once_the_minutes_are_justerade(meeting, decisions, secretary, chair, member):
    services.delegation_report_add(meeting=meeting, actor=secretary)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    sign(meeting, chair)
    sign(meeting, member)
    assert not DelegationDecision.objects.filter(reported_on__isnull=False).exists()
    sign(meeting, secretary)
    meeting.refresh_from_db()
    assert meeting.status == "justerat"
    justered_on = Notice.objects.get(meeting=meeting, kind=Notice.Kind.JUSTERING).justered_on
    assert set(DelegationDecision.objects.values_list("reported_on", flat=True)) == {justered_on}


def test_a_removed_report_paragraph_frees_its_decisions(meeting, decisions, secretary):
    paragraph = services.delegation_report_add(meeting=meeting, actor=secretary)
    drafting.paragraph_delete(paragraph=paragraph, actor=secretary)
    assert not DelegationDecision.objects.filter(reported_in__isnull=False).exists()
    assert services.delegation_report_add(meeting=meeting, actor=secretary).title == "Anmälan av delegationsbeslut"


def test_notice_of_an_appealable_decision_not_reported(decisions, director):
    appealable = decisions[1]
    notice = services.delegation_notice_post(decision=appealable, actor=director, posted_on=dt.date(2023, 10, 3))
    assert notice.kind == Notice.Kind.DELEGATION
    assert notice.posted_on == dt.date(2023, 10, 3)
    # Three weeks from posting is Tuesday 2023-10-24, a working day.
    assert notice.last_appeal_day == dt.date(2023, 10, 24)
    assert notice.takedown_on == dt.date(2023, 10, 24)
    assert "Beslutsdatum: 2023-10-02" in notice.body
    appealable.refresh_from_db()
    assert appealable.notice == notice


def test_the_last_day_of_appeal_moves_off_a_holiday(decisions, director):
    # Posted 2023-12-04: three weeks on is Monday 2023-12-25, juldagen; then annandag jul, so the
    # last day is Wednesday 2023-12-27.
    notice = services.delegation_notice_post(decision=decisions[1], actor=director, posted_on=dt.date(2023, 12, 4))
    assert notice.last_appeal_day == dt.date(2023, 12, 27)


def test_no_notice_for_a_decision_not_appealable_reported_or_posted(decisions, director, meeting, secretary):
    with pytest.raises(ValidationError) as caught:
        services.delegation_notice_post(decision=decisions[0], actor=director)
    assert caught.value.messages == ["Beslutet kan inte överklagas och anslås inte."]
    services.delegation_notice_post(decision=decisions[1], actor=director, posted_on=dt.date(2023, 10, 3))
    with pytest.raises(ValidationError) as caught:
        services.delegation_notice_post(decision=decisions[1], actor=director)
    assert caught.value.messages == ["Beslutet har redan ett anslag."]
    assert Notice.objects.filter(kind=Notice.Kind.DELEGATION).count() == 1
    DelegationDecision.objects.filter(pk=decisions[1].pk).update(notice=None, reported_on=dt.date(2023, 11, 6))
    with pytest.raises(ValidationError) as caught:
        services.delegation_notice_post(decision=decisions[1], actor=director)
    assert "anmält i justerat protokoll" in caught.value.messages[0]


def test_an_empty_report_paragraph_from_the_agenda_is_filled_not_doubled(meeting, decisions, secretary):
    from minutes.drafting import services as drafting

    drafting.paragraph_add(meeting=meeting, title="Anmälan av delegationsbeslut", actor=secretary)
    paragraph = services.delegation_report_add(meeting=meeting, actor=secretary)
    assert meeting.paragraphs.filter(title="Anmälan av delegationsbeslut").count() == 1
    assert "Konsult" in paragraph.body
