"""Decision tracking: task-giving clauses become action items, carried to the organ's next
agenda under "Uppföljning av uppdrag" until they are closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from interventions.action_items import (
    action_item_create,
    action_item_update,
    action_items_from_paragraph,
    action_items_to_agenda,
    task_owner_in,
)
from interventions.models import ActionItem
from interventions.selectors import open_action_items_for
from minutes.drafting import services as minutes_services


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Styrelsen uppdrar åt förbundschef att ta fram en plan för MGT.", "förbundschef"),
        ("Att uppdra åt ordförande att vid NNS medlemsmöte den 24 november rösta för förslaget.", "ordförande"),
        ("Att Samordningsförbundet Västmanland ger auktoriserad revisor i uppdrag att granska.", "auktoriserad revisor"),
        ("Förbundschefen får i uppdrag att bjuda in parterna.", "Förbundschefen"),
        ("Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr", None),
        ("Styrelsen noterar informationen.", None),
    ],
)
def test_task_detection(text, owner):
    assert task_owner_in(text) == owner


@pytest.fixture
def task_paragraph(meeting, secretary):
    return minutes_services.paragraph_add(
        meeting=meeting, title="MGT i länet", actor=secretary,
        clauses=["Att notera informationen.", "Styrelsen uppdrar åt förbundschef att ta fram en plan för MGT i länet."],
    )


def test_a_task_clause_becomes_an_action_item_once(task_paragraph, secretary, director, intervention):
    created = action_items_from_paragraph(paragraph=task_paragraph, intervention=intervention, actor=secretary)
    assert len(created) == 1
    item = created[0]
    assert item.owner_text == "förbundschef"
    assert item.owner_person == director.person  # the förbundschef on the meeting day
    assert item.status == ActionItem.Status.OPEN and item.organ == task_paragraph.organ
    assert intervention.decisions.filter(clause=item.clause).exists()
    assert action_items_from_paragraph(paragraph=task_paragraph, actor=secretary) == []


def test_open_items_are_carried_to_the_next_agenda_until_closed(task_paragraph, meeting, next_meeting, secretary):
    item = action_items_from_paragraph(paragraph=task_paragraph, actor=secretary)[0]
    # Not to the meeting that decided it.
    assert list(open_action_items_for(meeting)) == []
    assert list(open_action_items_for(next_meeting)) == [item]

    agenda_item = action_items_to_agenda(meeting=next_meeting, actor=secretary)
    assert agenda_item.title == "Uppföljning av uppdrag"
    assert "ta fram en plan för MGT" in agenda_item.description
    assert task_paragraph.label in agenda_item.description
    # Running it again adds nothing.
    assert action_items_to_agenda(meeting=next_meeting, actor=secretary).pk == agenda_item.pk
    assert next_meeting.agenda_items.count() == 1

    action_item_update(item=item, status=ActionItem.Status.IN_PROGRESS, actor=secretary)
    assert list(open_action_items_for(next_meeting)) == [item]  # pågår is still open

    action_item_update(item=item, status=ActionItem.Status.DONE, report="Planen antogs.", actor=secretary,
                                on=dt.date(2024, 4, 30))
    item.refresh_from_db()
    assert item.closed_on == dt.date(2024, 4, 30)
    assert list(open_action_items_for(next_meeting)) == []
    # The agenda no longer proposes it: the follow-up point goes away.
    assert action_items_to_agenda(meeting=next_meeting, actor=secretary) is None
    assert not next_meeting.agenda_items.filter(title="Uppföljning av uppdrag").exists()


def test_closed_items_do_not_reach_a_later_meeting(task_paragraph, board, secretary):
    item = action_items_from_paragraph(paragraph=task_paragraph, actor=secretary)[0]
    action_item_update(item=item, status=ActionItem.Status.DONE, actor=secretary)
    later = minutes_services.meeting_create(organ=board.organ, date=dt.date(2024, 9, 1), place="K", actor=secretary)
    assert action_items_to_agenda(meeting=later, actor=secretary) is None
    assert later.agenda_items.count() == 0


def test_an_item_needs_an_owner_and_a_sensible_due_date(task_paragraph, secretary):
    with pytest.raises(ValidationError, match="vem"):
        action_item_create(paragraph=task_paragraph, text="Gör något", actor=secretary)
    with pytest.raises(ValidationError, match="före beslutet"):
        action_item_create(paragraph=task_paragraph, text="Gör något", owner_text="förbundschef",
                                    due_date=dt.date(2020, 1, 1), actor=secretary)


def test_the_fragment_for_the_kallelse_lists_open_items(task_paragraph, next_meeting, secretary):
    from django.template.loader import render_to_string

    action_items_from_paragraph(paragraph=task_paragraph, actor=secretary)
    html = render_to_string("interventions/_open_action_items.html", {"items": open_action_items_for(next_meeting)})
    assert "Uppföljning av uppdrag" in html and "ta fram en plan för MGT" in html and task_paragraph.label in html
    assert render_to_string("interventions/_open_action_items.html", {"items": []}).strip() == ""


def test_the_next_meetings_kallelse_and_editor_show_open_tasks_and_put_them_on_the_agenda(
    task_paragraph, next_meeting, secretary, member, login
):
    from django.urls import reverse

    action_items_from_paragraph(paragraph=task_paragraph, actor=secretary)
    kallelse_url = reverse("minutes:kallelse", args=[next_meeting.pk])
    editor_url = reverse("minutes:editor", args=[next_meeting.pk])
    c = login(secretary)
    for url in (kallelse_url, editor_url):
        html = c.get(url).content.decode()
        assert "Uppföljning av uppdrag" in html and "ta fram en plan för MGT" in html
        assert "på dagordningen</button>" in html
    # A board member reads the tasks but gets no button.
    html = login(member).get(kallelse_url).content.decode()
    assert "ta fram en plan för MGT" in html and "på dagordningen</button>" not in html

    response = c.post(
        reverse("interventions:action_items_agenda", args=[next_meeting.organ.organisation.slug]),
        {"dagordning-meeting": next_meeting.pk, "next": kallelse_url},
    )
    assert response.status_code == 302 and response["Location"] == kallelse_url
    assert next_meeting.agenda_items.filter(title="Uppföljning av uppdrag").exists()
    # The meeting that gave the task does not list it.
    assert "ta fram en plan för MGT i länet" not in c.get(
        reverse("minutes:kallelse", args=[task_paragraph.meeting_id])
    ).content.decode().split("Dagordning")[0]
