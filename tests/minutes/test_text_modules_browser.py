"""In Debian's Chromium: the secretary inserts text modules in the editor, from the Textmoduler
menu by keyboard and by typing a shortcut, and the saved paragraph holds them; axe finds nothing
on the management page nor on the editor with the menu open."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from minutes.drafting import services
from minutes.models import Paragraph
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


@pytest.fixture
def paragraph(board, secretary, chair, member) -> Paragraph:
    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 11, 2), place="Kansliet", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    return services.paragraph_add(meeting=meeting, title="Information från förbundschefen", actor=secretary)


def log_in(page: Page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/?next={next_url}")
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def open_paragraph(page: Page, paragraph: Paragraph):
    """The paragraph opened by keyboard, as the secretary does: Enter on its heading's toggle."""
    toggle = page.locator(f"#p{paragraph.pk} .paragraph-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    section = page.locator(f"#p{paragraph.pk}")
    expect(section.locator(".ql-editor")).to_be_focused()
    return section


def saved(paragraph: Paragraph, condition) -> Paragraph:
    from tests.conftest import wait_for

    def fresh():
        p = Paragraph.objects.prefetch_related("clauses").get(pk=paragraph.pk)
        return p if condition(p) else None

    return wait_for(fresh, timeout=15, what="the autosave")


def test_the_secretary_inserts_modules_from_the_menu_by_keyboard_and_by_shortcut(live_server, page: Page, paragraph):
    from axe_playwright_python.sync_playwright import Axe

    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_server, f"/sammantraden/{paragraph.meeting_id}/protokoll/")
    section = open_paragraph(page, paragraph)

    # The menu, by keyboard only: it sits in the text's toolbar; open, move to a phrase, Enter.
    button = section.get_by_role("toolbar").get_by_role("button", name="Textmoduler")
    button.focus()
    page.keyboard.press("Enter")
    listbox = section.get_by_role("listbox", name="Textmoduler")
    expect(listbox).to_be_visible()
    expect(listbox).to_be_focused()
    results = Axe().run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(button).to_be_focused()

    # The body's cursor is where the phrase goes.
    body = section.locator(".ql-editor")
    body.click()
    page.keyboard.type("Förbundschefen informerar. ")
    button.focus()
    page.keyboard.press("ArrowDown")  # opens the menu too
    expect(listbox).to_be_focused()
    target = "Informationen läggs till handlingarna"
    for _ in range(20):
        active = listbox.locator("[role=option].active")
        if target in active.inner_text():
            break
        page.keyboard.press("ArrowDown")
    expect(listbox.locator("[role=option][aria-selected=true]")).to_contain_text(target)
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(page.locator("#textmodules-status")).to_contain_text("är infogad")
    saved(paragraph, lambda p: "Styrelsen noterar informationen och lägger den till handlingarna." in p.body)

    # A decision from the menu: End goes to the last one, Home back to the first.
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.press("Home")
    for _ in range(20):
        if "Godkänna dagordningen" in listbox.locator("[role=option].active").inner_text():
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    p = saved(paragraph, lambda p: [c.text for c in p.clauses.all()] == ["Att godkänna dagordningen"])
    assert "Styrelsen noterar informationen" in p.body  # the phrase is kept

    # Typed shortcuts: a phrase replaces "/foredrar" + Space, a decision "/bordlagg" + Enter.
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" /foredrar")
    page.keyboard.press("Space")
    page.keyboard.type("Inga frågor. /bordlagg")
    page.keyboard.press("Enter")
    p = saved(paragraph, lambda p: "Inga frågor." in p.body and p.clauses.count() == 2)
    assert "/foredrar" not in p.body and "/bordlagg" not in p.body
    assert [c.text for c in p.clauses.all()] == [
        "Att godkänna dagordningen", "Att bordlägga ärendet till nästa sammanträde",
    ]
    assert "Förbundschefen informerar." in p.body
    assert "Förbundschefen föredrar ärendet. Inga frågor." in p.body  # the Space that ended the shortcut stays
    assert violations == []


def test_the_management_page_passes_axe_and_works_by_keyboard(live_server, page: Page, board, secretary):
    from axe_playwright_python.sync_playwright import Axe

    slug = board.organisation.slug
    log_in(page, live_server, f"/forbund/{slug}/sammantraden/")
    page.get_by_role("link", name="Textmoduler").click()
    expect(page.get_by_role("heading", name="Textmoduler", exact=True)).to_be_visible()
    results = Axe().run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("link", name="Ny textmodul").click()
    page.get_by_label("Namn").fill("Jäv")
    page.get_by_label("Kortkommando").fill("jäv anmäls")
    page.get_by_label("Text").fill("Anmäler jäv.")
    page.get_by_label("Text").press("Tab")
    page.keyboard.press("Enter")  # the submit button, by keyboard
    expect(page.get_by_role("alert")).to_contain_text("Kortkommandot får bara innehålla bokstäver")
    results = Axe().run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Kortkommando").fill("/jav")
    page.get_by_role("button", name="Lägg till textmodulen").click()
    expect(page.get_by_text("Textmodulen ”Jäv” är tillagd.")).to_be_visible()
    expect(page.get_by_role("row", name="Jäv /jav")).to_be_visible()
    assert board.organisation.text_modules.get(shortcut="jav").text == "<p>Anmäler jäv.</p>"
