"""A save that meets a newer version: both texts side by side with the differences marked,
the merge against the base from the history, and the three choices, none of which loses text
silently."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from board.models import StaffRole
from minutes.drafting import services
from minutes.drafting.services.conflicts import base_values
from minutes.models import Paragraph
from tests.conftest import client_for
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory

BASE = "<p>Förbundschefen redogör för budgeten och för verksamhetsplanen.</p><ul><li>Ett</li><li>Två</li></ul>"
ANNS = "<p>Förbundschefen redogör för budgeten och för verksamhetsplanen 2024.</p><ul><li>Ett</li><li>Två</li></ul>"
MINE = "<p>Förbundschefen Catarina redogör för budgeten och för verksamhetsplanen.</p><ul><li>Ett</li><li>Två</li><li>Tre</li></ul>"


@pytest.fixture
def ann(board):
    """A second secretary of the association, who may edit the same minutes."""
    user = UserFactory(username="sekreterare2")
    person = PersonFactory(first_name="Ann", last_name="Rilegård", user=user)
    StaffRoleFactory(organisation=board.organisation, person=person, role=StaffRole.Role.SECRETARY,
                     start=dt.date(2020, 1, 1))
    return user


@pytest.fixture
def paragraph(meeting, secretary, ann):
    """A § both opened at version 2; Ann then saved her change (version 3)."""
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    p = services.paragraph_update(paragraph=p, expected_version=1, body=BASE, clauses=["Att godkänna budgeten"],
                                  actor=secretary)
    assert p.version == 2
    services.paragraph_update(paragraph=p, expected_version=2, title="Budget 2024", body=ANNS,
                              clauses=["Att godkänna budgeten", "Att återrapportera i juni"], actor=ann)
    return Paragraph.objects.get(pk=p.pk)


def my_post(paragraph, **extra):
    return {"version": 2, "title": "Budget", "body": MINE, "clauses": "Att godkänna budgeten med tillägg",
            "dnr": "PRV 2023/9", **extra}


def json_in(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_the_base_comes_from_the_history_even_after_a_stretch_of_autosaves(paragraph, secretary):
    base = base_values(paragraph, 2)
    assert base["body"] == BASE and base["clauses"] == "Att godkänna budgeten" and base["title"] == "Budget"
    # Typing after version 2 kept one history row brought up to its last version: the newest
    # row at or before the version stands in.
    p = services.paragraph_update(paragraph=paragraph, expected_version=3, body=ANNS + "<p>x</p>", actor=secretary,
                                  autosave=True)
    services.paragraph_update(paragraph=p, expected_version=4, body=ANNS + "<p>xy</p>", actor=secretary, autosave=True)
    assert base_values(paragraph, 4)["body"] == ANNS  # version 4 itself was brought up to 5
    assert base_values(paragraph, 0) is None


def test_an_autosave_that_meets_a_newer_version_shows_both_texts_side_by_side(paragraph, secretary):
    response = client_for(secretary).post(f"/paragrafer/{paragraph.pk}/", my_post(paragraph), HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 2xx only; the fragment says what happened
    html = response.content.decode()
    assert "PRV § 1 är inte sparad: Ann Rilegård har ändrat den medan du skrev." in html
    assert 'role="alert"' in html and "sekreterare2" not in html
    assert "hx-swap-oob" not in html  # the form keeps its version: nothing is overwritten by the next autosave
    # Side by side, the differences marked, title and decision too.
    assert "<ins>Catarina</ins>" in html and "<del>2024</del>" in html and "<li><ins>Tre</ins></li>" in html
    assert "Budget <del>2024</del>" in html
    assert "budgeten<br><del>Att återrapportera i juni</del>" in html
    assert "budgeten <ins>med tillägg</ins>" in html
    assert "med tillägg" in html
    assert 'data-conflict-choice="mine"' in html and 'data-conflict-choice="theirs"' in html
    assert 'data-conflict-choice="merge"' in html
    # What the three choices need: theirs with its version, and the merge against the base.
    theirs = json_in(html, f"konflikt-{paragraph.pk}-theirs")
    assert theirs["version"] == 3 and theirs["body"] == ANNS and theirs["title"] == "Budget 2024"
    merged = json_in(html, f"konflikt-{paragraph.pk}-merged")
    assert merged["version"] == 3
    assert merged["body"] == (
        "<p>Förbundschefen Catarina redogör för budgeten och för verksamhetsplanen 2024.</p>"
        "<ul><li>Ett</li><li>Två</li><li>Tre</li></ul>"
    )
    assert merged["title"] == "Budget 2024"  # only Ann changed it
    assert merged["dnr"] == "PRV 2023/9"  # only I changed it
    # I changed the decision's first line, she added a second: both kept.
    assert merged["clauses"] == "Att godkänna budgeten med tillägg\nAtt återrapportera i juni"
    paragraph.refresh_from_db()
    assert paragraph.version == 3 and paragraph.body == ANNS  # nothing written


def test_typed_markup_in_either_text_is_shown_as_text(paragraph, secretary, ann):
    services.paragraph_update(paragraph=paragraph, expected_version=3, title='Budget <script>alert("x")</script>',
                              actor=ann)
    html = client_for(secretary).post(
        f"/paragrafer/{paragraph.pk}/", my_post(paragraph, title="Budget <img src=x onerror=alert(1)>"),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;<del>script&gt;</del>" in html and "&lt;<ins>img src=x onerror=</ins>" in html


def test_keep_mine_saves_over_the_newer_version_and_says_so_in_the_history(paragraph, secretary):
    response = client_for(secretary).post(
        f"/paragrafer/{paragraph.pk}/", my_post(paragraph, version=3, resolution="mine"), HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "sparad" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.body == MINE and paragraph.title == "Budget" and paragraph.version == 4
    assert [c.text for c in paragraph.clauses.all()] == ["Att godkänna budgeten med tillägg"]
    last = paragraph.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "Konflikt: egen text sparad över version 3 av Ann Rilegård"
    assert last.history_user_id == secretary.pk
    # Ann's text is in the history: the overwrite lost nothing for good.
    assert paragraph.history.filter(version=3, body=ANNS).exists()
    page = client_for(secretary).get(f"/paragrafer/{paragraph.pk}/historik/").content.decode()
    assert "Konflikt: egen text sparad över version 3 av Ann Rilegård" in page


def test_a_choice_that_meets_yet_another_version_is_refused_too(paragraph, secretary, ann):
    services.paragraph_update(paragraph=paragraph, expected_version=3, body=ANNS + "<p>Mer.</p>", actor=ann)
    response = client_for(secretary).post(
        f"/paragrafer/{paragraph.pk}/", my_post(paragraph, version=3, resolution="mine"), HTTP_HX_REQUEST="true",
    )
    assert "är inte sparad" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.version == 4 and paragraph.body.endswith("<p>Mer.</p>")


def test_an_unknown_resolution_is_refused_with_a_reason(paragraph, secretary):
    response = client_for(secretary).post(
        f"/paragrafer/{paragraph.pk}/", my_post(paragraph, version=3, resolution="theirs"), HTTP_HX_REQUEST="true",
    )
    assert "Okänt val" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.version == 3


def test_without_javascript_the_page_offers_the_three_choices_and_they_work(paragraph, secretary):
    client = client_for(secretary)
    response = client.post(f"/paragrafer/{paragraph.pk}/", my_post(paragraph))
    assert response.status_code == 409
    html = response.content.decode()
    assert "<ins>Catarina</ins>" in html and "<del>2024</del>" in html
    assert 'name="resolution" value="mine"' in html and 'name="resolution" value="merge"' in html
    assert "Tillbaka till protokollet" in html  # take theirs: it is saved already
    assert "sekreterare2" not in html
    # My text rides along in the "keep mine" form, escaped, until I choose.
    assert 'value="&lt;p&gt;Förbundschefen Catarina' in html
    # The merge form holds the merged text to check and save.
    merged_body = re.search(r'<textarea\b[^>]*\bid="merge_body" name="body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "Catarina" in merged_body and "2024" in merged_body and "Tre" in merged_body
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', html.split("value=\"merge\"")[0]
                             .split("Sammanfoga</h3>")[1]))
    assert fields["version"] == "3" and fields["dnr"] == "PRV 2023/9"
    saved = client.post(f"/paragrafer/{paragraph.pk}/", {
        **fields, "title": "Budget 2024", "body": "<p>Sammanfogat och granskat.</p>",
        "clauses": "Att godkänna budgeten", "resolution": "merge",
    })
    assert saved.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.body == "<p>Sammanfogat och granskat.</p>" and paragraph.version == 4
    last = paragraph.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "Konflikt: sammanfogad text sparad över version 3 av Ann Rilegård"


def test_the_conflict_page_is_for_those_who_may_edit_only(paragraph, client, member, outsider):
    assert client.post(f"/paragrafer/{paragraph.pk}/", my_post(paragraph)).status_code == 302
    assert client_for(outsider).post(f"/paragrafer/{paragraph.pk}/", my_post(paragraph)).status_code == 404
    assert client_for(member).post(f"/paragrafer/{paragraph.pk}/", my_post(paragraph)).status_code == 403
