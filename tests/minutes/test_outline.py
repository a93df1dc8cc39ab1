"""The editor's outline (templates/minutes/_outline.html): the §§ in order with their flags,
and moving a § from it (paragraph_move with a JSON answer for the outline's script, the form
POST and redirect without it)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from minutes.drafting import services
from minutes.models import Attendance, Meeting, Paragraph

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def drafted(meeting, secretary):
    """Val av justerare, dagordning, föregående protokoll, Budget 2024, Ekonomi, övriga frågor,
    avslutande (§§ 1–7); "Ekonomi" has no decision, "Budget 2024" has a clause."""
    services.agenda_item_add(meeting=meeting, title="Budget 2024", dnr="PRV 2023/1",
                             proposed_decision="Att anta budgeten", actor=secretary)
    services.agenda_item_add(meeting=meeting, title="Ekonomi", actor=secretary)
    services.minutes_start(meeting=meeting, actor=secretary)
    return Meeting.objects.get(pk=meeting.pk)


def outline_items(page: str) -> list[lxml_html.HtmlElement]:
    tree = lxml_html.fromstring(page)
    return tree.xpath('//aside[@id="editor-outline"]//li[contains(@class, "outline-item")]')


def item_text(item: lxml_html.HtmlElement) -> str:
    return " ".join(item.text_content().split())


def order(meeting: Meeting) -> list[tuple[int, str]]:
    return list(meeting.paragraphs.order_by("position").values_list("number", "title"))


def test_the_outline_lists_every_paragraph_in_order_with_its_label_title_and_link(drafted, secretary, login):
    page = login(secretary).get(reverse("minutes:editor", args=[drafted.pk])).content.decode()
    items = outline_items(page)
    paragraphs = list(drafted.paragraphs.order_by("position"))
    assert [int(i.get("data-paragraph")) for i in items] == [p.pk for p in paragraphs]
    for item, p in zip(items, paragraphs, strict=True):
        link = item.xpath('.//a[contains(@class, "outline-jump")]')[0]
        assert link.get("href") == f"#p{p.pk}"
        assert " ".join(link.text_content().split()) == f"{p.label} {p.title}"
        # Without JavaScript the buttons are a form POST to the move.
        form = item.xpath(".//form")[0]
        assert form.get("action") == reverse("minutes:paragraph_move", args=[p.pk])
        assert form.xpath('.//input[@name="csrfmiddlewaretoken"]')
    # The first cannot move up, the last cannot move down.
    assert items[0].xpath('.//button[@value="up"]')[0].get("disabled") is not None
    assert items[0].xpath('.//button[@value="down"]')[0].get("disabled") is None
    assert items[-1].xpath('.//button[@value="down"]')[0].get("disabled") is not None
    assert "Flytta upp PRV § 2" in item_text(items[1])


def test_the_outline_flags_an_ordinary_paragraph_without_a_decision(drafted, secretary, login):
    client = login(secretary)
    url = reverse("minutes:editor", args=[drafted.pk])
    flagged = [item_text(i) for i in outline_items(client.get(url).content.decode()) if "saknar beslut" in item_text(i)]
    # Only "Ekonomi": "Budget 2024" has its clause, the standard §§ are no ärenden.
    assert len(flagged) == 1 and "Ekonomi" in flagged[0]

    ekonomi = drafted.paragraphs.get(title="Ekonomi")
    services.paragraph_update(paragraph=ekonomi, expected_version=ekonomi.version, actor=secretary,
                              stock_decision=Paragraph.StockDecision.NOTED)
    assert not [i for i in outline_items(client.get(url).content.decode()) if "saknar beslut" in item_text(i)]


def test_the_outline_warns_where_the_board_is_not_quorate(drafted, secretary, board, login):
    client = login(secretary)
    url = reverse("minutes:editor", args=[drafted.pk])
    assert not [i for i in outline_items(client.get(url).content.decode()) if "beslutför" in item_text(i)]

    # Only one ledamot there for the § from the fourth on: not quorate there.
    members = list(drafted.attendances.filter(role=Attendance.Role.MEMBER).select_related("person"))
    fourth = drafted.paragraphs.get(position=4)
    for row in members[1:]:
        services.attendance_set(meeting=drafted, person=row.person, until_paragraph=drafted.paragraphs.get(position=3),
                                actor=secretary)
    items = outline_items(client.get(url).content.decode())
    warned = [int(i.get("data-paragraph")) for i in items if "ej beslutför" in item_text(i)]
    assert warned[0] == fourth.pk
    assert warned == [p.pk for p in drafted.paragraphs.filter(position__gte=4).order_by("position")]


def test_a_move_with_json_answers_the_outline_and_the_new_numbers(drafted, secretary, login):
    client = login(secretary)
    ekonomi = drafted.paragraphs.get(title="Ekonomi")
    assert (ekonomi.number, ekonomi.position) == (5, 5)
    response = client.post(reverse("minutes:paragraph_move", args=[ekonomi.pk]), {"position": "2"}, **JSON)
    assert response.status_code == 200
    answer = response.json()
    assert order(drafted) == [
        (1, "Val av justerare"), (2, "Ekonomi"), (3, "Godkännande av dagordning"), (4, "Föregående protokoll"),
        (5, "Budget 2024"), (6, "Övriga frågor"), (7, "Mötets avslutande"),
    ]
    assert answer["message"] == "PRV § 5 flyttad till plats 2; numren är uppdaterade. Den är nu PRV § 2."
    assert (answer["moved"], answer["label"], answer["position"]) == (ekonomi.pk, "PRV § 2", 2)
    assert answer["paragraphs"] == [
        {"pk": p.pk, "label": p.label, "number": p.number, "position": p.position}
        for p in drafted.paragraphs.order_by("position")
    ]
    # The re-rendered list, in the new order and with the new labels.
    items = lxml_html.fromstring(answer["outline"]).xpath('//li[contains(@class, "outline-item")]')
    links = [item_text(i.xpath('.//a[contains(@class, "outline-jump")]')[0]) for i in items]
    assert links[:3] == ["PRV § 1 Val av justerare", "PRV § 2 Ekonomi", "PRV § 3 Godkännande av dagordning"]
    assert "saknar beslut" in item_text(items[1])


def test_a_move_up_with_json_and_the_same_move_as_a_form(drafted, secretary, login):
    client = login(secretary)
    budget = drafted.paragraphs.get(title="Budget 2024")
    url = reverse("minutes:paragraph_move", args=[budget.pk])
    answer = client.post(url, {"direction": "up"}, **JSON).json()
    assert answer["message"] == "PRV § 4 flyttad till plats 3; numren är uppdaterade. Den är nu PRV § 3."
    assert [t for _n, t in order(drafted)][2:4] == ["Budget 2024", "Föregående protokoll"]

    # Without JavaScript: the form POST is redirected back to the § in the editor.
    response = client.post(url, {"direction": "down"})
    assert response.status_code == 302
    assert response["Location"] == reverse("minutes:editor", args=[drafted.pk]) + f"#p{budget.pk}"
    assert [t for _n, t in order(drafted)][2:4] == ["Föregående protokoll", "Budget 2024"]


def test_a_move_with_json_that_cannot_be_done_says_why_and_changes_nothing(drafted, secretary, login):
    client = login(secretary)
    budget = drafted.paragraphs.get(title="Budget 2024")
    url = reverse("minutes:paragraph_move", args=[budget.pk])
    before = order(drafted)

    bad = client.post(url, {"position": "två"}, **JSON)
    assert bad.status_code == 400
    assert bad.json()["message"] == "Ange en position som ett heltal."
    assert "outline-item" in bad.json()["outline"]  # the script puts the outline back as it is

    Meeting.objects.filter(pk=drafted.pk).update(status=Meeting.Status.SIGNED)
    refused = client.post(url, {"position": "1"}, **JSON)
    assert refused.status_code == 409
    assert refused.json()["message"] == "Protokollet är justerat och kan inte ändras."
    assert order(drafted) == before


def test_only_the_secretary_moves_from_the_outline(drafted, member, outsider, client, login):
    budget = drafted.paragraphs.get(title="Budget 2024")
    url = reverse("minutes:paragraph_move", args=[budget.pk])
    before = order(drafted)
    assert login(member).post(url, {"position": "1"}, **JSON).status_code == 403
    assert login(outsider).post(url, {"position": "1"}, **JSON).status_code == 404
    anonymous = client.post(url, {"position": "1"}, **JSON)
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    assert login(member).get(reverse("minutes:editor", args=[drafted.pk])).status_code == 403
    assert order(drafted) == before


def test_the_answer_of_a_move_takes_as_many_queries_for_many_paragraphs_as_for_few(drafted, secretary, login):
    client = login(secretary)
    first = drafted.paragraphs.get(position=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(reverse("minutes:paragraph_move", args=[first.pk]), {"position": "2"}, **JSON)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(20):
        services.paragraph_add(meeting=drafted, title=f"Ärende {i}", clauses=["Att besluta"], actor=secretary)
    first.refresh_from_db()
    assert queries() <= few


def test_justerade_minutes_get_the_outline_without_moving_or_save_states(drafted, secretary, login):
    Meeting.objects.filter(pk=drafted.pk).update(status=Meeting.Status.SIGNED)
    page = login(secretary).get(reverse("minutes:editor", args=[drafted.pk])).content.decode()
    items = outline_items(page)
    assert len(items) == drafted.paragraphs.count()
    assert [item_text(i.xpath('.//a[contains(@class, "outline-jump")]')[0]) for i in items][3] == "PRV § 4 Budget 2024"
    for item in items:
        assert not item.xpath(".//form | .//button"), item_text(item)
        assert not item.xpath('.//*[contains(@class, "outline-handle") or contains(@class, "outline-state")]')
    assert "Alt+pil" not in page
