"""Autosave history in proportion: a stretch of typing is one history row per person and §,
brought up to date as they type; an explicit save always has its own row."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.conf import settings

from minutes.drafting import services
from minutes.drafting.rendering import body_text
from minutes.drafting.services.editing import AUTOSAVE_REASON
from minutes.models import Paragraph
from tests.conftest import client_for

START = dt.datetime(2023, 8, 29, 9, 0, tzinfo=dt.UTC)


def _type(paragraph: Paragraph, actor, body: str, *, autosave: bool = True, clauses=None) -> Paragraph:
    current = Paragraph.objects.get(pk=paragraph.pk)
    return services.paragraph_update(paragraph=current, expected_version=current.version, actor=actor,
                                      body=body, autosave=autosave, clauses=clauses)


def _rows(paragraph: Paragraph) -> list:
    return list(paragraph.history.order_by("history_date", "history_id"))


def test_a_stretch_of_typing_is_one_history_row_that_follows_the_text(meeting, secretary):
    with time_machine.travel(START, tick=False) as clock:
        p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
        created = len(_rows(p))
        for i in range(10):
            clock.shift(20)  # a pause in typing every twenty seconds
            _type(p, secretary, "Förbundschefen redogör" + "." * i)
    rows = _rows(p)
    assert len(rows) == created + 1
    typing = rows[-1]
    assert typing.history_change_reason == AUTOSAVE_REASON
    assert typing.body == "<p>Förbundschefen redogör.........</p>"  # the last text typed
    assert typing.history_user_id == secretary.pk
    assert typing.version == Paragraph.objects.get(pk=p.pk).version
    assert typing.history_date == START + dt.timedelta(seconds=200)  # when they last typed


def test_an_explicit_save_has_its_own_row_and_typing_after_it_starts_a_new_one(meeting, secretary):
    with time_machine.travel(START, tick=False) as clock:
        p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
        created = len(_rows(p))
        _type(p, secretary, "Utkast")
        clock.shift(10)
        _type(p, secretary, "Utkast klart", autosave=False)
        clock.shift(10)
        _type(p, secretary, "Utkast klart, och mer")
    rows = _rows(p)[created:]
    assert [(r.history_change_reason, body_text(r.body)) for r in rows] == [
        (AUTOSAVE_REASON, "Utkast"), (None, "Utkast klart"), (AUTOSAVE_REASON, "Utkast klart, och mer"),
    ]


def test_typing_after_the_window_or_by_another_person_is_a_new_row(meeting, secretary, chair):
    window = settings.AUTOSAVE_HISTORY_SECONDS
    with time_machine.travel(START, tick=False) as clock:
        p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
        created = len(_rows(p))
        _type(p, secretary, "Ett")
        clock.shift(window - 1)
        _type(p, secretary, "Ett två")  # within the window: the same row
        clock.shift(window + 1)
        _type(p, secretary, "Ett två tre")  # the row is older than the window: a new one
        clock.shift(5)
        chair.is_superuser = True  # may edit the association's minutes in this test
        chair.save()
        _type(p, chair, "Ett två tre fyra")  # another person: their own row
    rows = _rows(p)[created:]
    assert [(r.history_user_id, body_text(r.body)) for r in rows] == [
        (secretary.pk, "Ett två"), (secretary.pk, "Ett två tre"), (chair.pk, "Ett två tre fyra"),
    ]


def test_autosaved_clauses_keep_one_history_row_per_stretch_of_typing(meeting, secretary):
    with time_machine.travel(START, tick=False) as clock:
        p = services.paragraph_add(meeting=meeting, title="Budget", clauses=["Att"], actor=secretary)
        clause = p.clauses.get()
        created = clause.history.count()
        for text in ["Att g", "Att godkä", "Att godkänna budgeten"]:
            clock.shift(15)
            _type(p, secretary, "Text", clauses=[text])
    assert clause.history.count() == created + 1
    assert clause.history.order_by("-history_date").first().text == "Att godkänna budgeten"


def test_the_editor_autosaves_through_htmx_and_saves_with_the_button(meeting, secretary):
    client = client_for(secretary)
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    created = len(_rows(p))
    for body in ["Utkast", "Utkast två", "Utkast tre"]:
        version = Paragraph.objects.get(pk=p.pk).version
        r = client.post(f"/paragrafer/{p.pk}/", {"version": version, "title": "Budget", "body": body},
                        HTTP_HX_REQUEST="true")
        assert r.status_code == 200
    version = Paragraph.objects.get(pk=p.pk).version
    r = client.post(f"/paragrafer/{p.pk}/", {"version": version, "title": "Budget", "body": "Klart"})
    assert r.status_code == 302
    rows = _rows(p)[created:]
    assert [(r.history_change_reason, body_text(r.body)) for r in rows] == [(AUTOSAVE_REASON, "Utkast tre"), (None, "Klart")]


def test_the_history_page_shows_who_changed_what_and_the_outsider_gets_nothing(meeting, secretary, outsider):
    with time_machine.travel(START, tick=False) as clock:
        p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
        _type(p, secretary, "Förbundschefen")
        clock.shift(20)
        _type(p, secretary, "Förbundschefen redogör")
        clock.shift(20)
        _type(p, secretary, "Förbundschefen redogör för budgeten", autosave=False)
    r = client_for(secretary).get(f"/paragrafer/{p.pk}/historik/")
    assert r.status_code == 200
    page = r.content.decode()
    assert len(re.findall(r"<tr\b", page)) == 1 + 3  # the header; created, the typing, the save
    assert "Förbundschefen redogör → Förbundschefen redogör för budgeten" in page
    assert f'<td class="govuk-table__cell">{secretary.person.full_name}</td>' in page  # the person, not the login
    assert client_for(outsider).get(f"/paragrafer/{p.pk}/historik/").status_code == 404
