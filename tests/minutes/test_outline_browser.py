"""In Debian's Chromium: the editor's outline. Reorder by keyboard and by dragging with the
mouse, the numbers follow in the outline and in the paragraphs without a reload and stay after
one; the save states follow the editor; axe finds nothing; on a phone the outline folds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from minutes.drafting import services
from minutes.models import Meeting
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drafted(meeting, secretary):
    """PRV §§ 1–7: Val av justerare, dagordning, föregående protokoll, Budget 2024, Ekonomi,
    övriga frågor, avslutande."""
    services.agenda_item_add(meeting=meeting, title="Budget 2024", proposed_decision="Att anta budgeten",
                             actor=secretary)
    services.agenda_item_add(meeting=meeting, title="Ekonomi", actor=secretary)
    services.minutes_start(meeting=meeting, actor=secretary)
    return Meeting.objects.get(pk=meeting.pk)


def sign_in(page: Page, url: str, next_url: str) -> None:
    """Signed in as the secretary on a screen wide enough for the outline beside the minutes."""
    page.set_viewport_size({"width": 1500, "height": 900})
    page.goto(f"{url}/konto/logga-in/?next={next_url}")
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#editor-outline")).to_be_visible()


def outline_links(page: Page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("#outline-list .outline-jump").all_inner_texts()]


def titles_in_db(meeting: Meeting) -> list[str]:
    return list(meeting.paragraphs.order_by("position").values_list("title", flat=True))


def test_reorder_by_keyboard_renumbers_the_outline_and_the_paragraphs_and_persists(
    live_server, page: Page, drafted, secretary
):
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    ekonomi = drafted.paragraphs.get(title="Ekonomi")
    sign_in(page, live_server.url, f"/sammantraden/{drafted.pk}/protokoll/")
    outline = page.locator("#editor-outline")
    status = outline.locator("#outline-status")
    item = outline.locator(f"#outline-{ekonomi.pk}")
    expect(item.get_by_role("link")).to_have_text(re.compile(r"PRV § 5\s+Ekonomi"))
    # Ekonomi opened once (its form fetched and kept on the page), then closed.
    page.locator(f"#p{ekonomi.pk} .paragraph-toggle").click()
    expect(page.locator(f"#p{ekonomi.pk} form.paragraph-form button[type=submit]").first).to_have_text("Spara PRV § 5")
    page.keyboard.press("Escape")
    expect(page.locator(f"#p{ekonomi.pk}-edit")).to_be_hidden()

    # The move-up button with the keyboard: focus it, press Enter.
    item.get_by_role("button", name="Flytta upp PRV § 5").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("PRV § 5 flyttad till plats 4; numren är uppdaterade. Den är nu PRV § 4.")
    item = outline.locator(f"#outline-{ekonomi.pk}")
    expect(item.get_by_role("link")).to_have_text(re.compile(r"PRV § 4\s+Ekonomi"))
    # The focus stayed on the moved § (its button has its new label).
    expect(item.get_by_role("button", name="Flytta upp PRV § 4")).to_be_focused()

    # Alt+ArrowUp on the focused item's link, twice.
    item.get_by_role("link").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(status).to_have_text("PRV § 4 flyttad till plats 3; numren är uppdaterade. Den är nu PRV § 3.")
    page.keyboard.press("Alt+ArrowUp")
    expect(status).to_have_text("PRV § 3 flyttad till plats 2; numren är uppdaterade. Den är nu PRV § 2.")
    assert outline_links(page)[:3] == ["PRV § 1 Val av justerare", "PRV § 2 Ekonomi", "PRV § 3 Godkännande av dagordning"]
    # The paragraphs themselves, without a reload: in the new order, with the new numbers.
    headings = page.locator("section.paragraph h3")
    expect(headings.nth(1)).to_have_text(re.compile(r"^PRV § 2\s+Ekonomi"))
    expect(headings.nth(2)).to_have_text(re.compile(r"^PRV § 3\s+Godkännande av dagordning"))
    expect(page.locator(f"#p{ekonomi.pk} h3")).to_have_text(re.compile(r"^PRV § 2"))
    # Its other mentions of its number too (in the form it fetched before the move), and a §
    # it passed, opened now, fetches its form with its new number.
    expect(page.locator(f"#p{ekonomi.pk} form.paragraph-form button[type=submit]").first).to_have_text("Spara PRV § 2")
    dagordning = drafted.paragraphs.get(title="Godkännande av dagordning")
    page.locator(f"#p{dagordning.pk} .paragraph-toggle").click()
    expect(page.locator(f"#p{dagordning.pk} form.paragraph-form button[type=submit]").first).to_have_text(
        "Spara PRV § 3"
    )
    page.keyboard.press("Escape")
    item.get_by_role("link").focus()
    assert titles_in_db(drafted)[:3] == ["Val av justerare", "Ekonomi", "Godkännande av dagordning"]

    # Alt+ArrowDown back one place.
    page.keyboard.press("Alt+ArrowDown")
    expect(status).to_have_text("PRV § 2 flyttad till plats 3; numren är uppdaterade. Den är nu PRV § 3.")

    page.reload()
    assert outline_links(page)[:4] == [
        "PRV § 1 Val av justerare", "PRV § 2 Godkännande av dagordning", "PRV § 3 Ekonomi", "PRV § 4 Föregående protokoll",
    ]
    expect(page.locator("section.paragraph h3").nth(2)).to_have_text(re.compile(r"^PRV § 3\s+Ekonomi"))
    assert csp == []


def test_reorder_by_dragging_with_the_mouse(live_server, page: Page, drafted, secretary):
    ekonomi = drafted.paragraphs.get(title="Ekonomi")
    first = drafted.paragraphs.get(position=1)
    sign_in(page, live_server.url, f"/sammantraden/{drafted.pk}/protokoll/")
    handle = page.locator(f"#outline-{ekonomi.pk} .outline-handle")
    target = page.locator(f"#outline-{first.pk}")
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    end = target.bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    # Up over the first item's upper half, in small steps as a hand would.
    page.mouse.move(end["x"] + 20, end["y"] + end["height"] / 4, steps=20)
    page.mouse.up()
    expect(page.locator("#outline-status")).to_have_text(
        "PRV § 5 flyttad till plats 1; numren är uppdaterade. Den är nu PRV § 1."
    )
    assert outline_links(page)[:2] == ["PRV § 1 Ekonomi", "PRV § 2 Val av justerare"]
    expect(page.locator("section.paragraph h3").first).to_have_text(re.compile(r"^PRV § 1\s+Ekonomi"))
    assert titles_in_db(drafted)[:2] == ["Ekonomi", "Val av justerare"]
    page.reload()
    assert outline_links(page)[:2] == ["PRV § 1 Ekonomi", "PRV § 2 Val av justerare"]


def test_a_click_or_enter_opens_the_paragraph_and_the_state_follows_the_typing(live_server, page: Page, drafted, secretary):
    ekonomi = drafted.paragraphs.get(title="Ekonomi")
    budget = drafted.paragraphs.get(title="Budget 2024")
    sign_in(page, live_server.url, f"/sammantraden/{drafted.pk}/protokoll/")
    item = page.locator(f"#outline-{ekonomi.pk}")
    badge = item.locator(".outline-state")
    expect(badge).to_have_text("sparad")
    # The server's flags: Ekonomi has no decision, Budget 2024 has its clause.
    expect(item).to_contain_text("saknar beslut")
    expect(page.locator(f"#outline-{budget.pk}")).not_to_contain_text("saknar beslut")

    # Enter on the outline's link opens the § in place, its text ready for typing.
    item.get_by_role("link").focus()
    page.keyboard.press("Enter")
    section = page.locator(f"#p{ekonomi.pk}")
    expect(section).to_have_class(re.compile(r"\bis-open\b"))
    expect(section.locator(".ql-editor")).to_be_focused()
    page.keyboard.type("Förbundschefen redogör för det ekonomiska läget.")
    expect(badge).to_have_text("inte sparad")
    expect(badge).to_have_text("sparad", timeout=10000)
    assert "ekonomiska läget" in drafted.paragraphs.get(pk=ekonomi.pk).body

    # A click on another § in the outline opens that one (and closes the first).
    page.locator(f"#outline-{budget.pk}").get_by_role("link").click()
    expect(page.locator(f"#p{budget.pk}")).to_have_class(re.compile(r"\bis-open\b"))
    expect(section).not_to_have_class(re.compile(r"\bis-open\b"))

    # A conflict the editor reports shows in the outline and outlives a move (re-rendered list).
    page.evaluate(
        "pk => document.dispatchEvent(new CustomEvent('samordna:paragraph-state', {detail: {pk, state: 'conflict'}}))",
        ekonomi.pk,
    )
    expect(badge).to_have_text("konflikt")
    item.get_by_role("button", name="Flytta ned PRV § 5").click()
    expect(page.locator("#outline-status")).to_contain_text("flyttad till plats 6")
    expect(page.locator(f"#outline-{ekonomi.pk} .outline-state")).to_have_text("konflikt")


def test_the_outline_sits_beside_the_minutes_and_stays_in_view(live_server, page: Page, drafted, secretary):
    sign_in(page, live_server.url, f"/sammantraden/{drafted.pk}/protokoll/")  # 1500 px wide
    expect(page.locator("#outline-fold")).to_have_attribute("open", "")
    outline = page.locator("#editor-outline").bounding_box()
    main = page.locator(".editor-main").bounding_box()
    assert outline and main and outline["x"] + outline["width"] <= main["x"], (outline, main)
    page.locator("section.paragraph").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 3000)
    expect(page.locator("#outline-list")).to_be_in_viewport()

    # At 1280 px both do not fit at the minutes' full width: folded at the minutes' top right,
    # taking no width from them; opened (by keyboard), it is the side panel.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    fold = page.locator("#outline-fold")
    expect(fold).not_to_have_attribute("open", "")
    main = page.locator(".editor-main").bounding_box()
    summary = page.locator("#outline-fold > summary").bounding_box()
    heading = page.get_by_role("heading", name="Protokollets huvud").bounding_box()
    assert main and summary and heading
    assert main["width"] >= 1000, main
    # On the heading's line, at the right: no line of its own.
    assert summary["x"] > 640 and summary["y"] < heading["y"] + heading["height"], (summary, heading)
    page.locator("#outline-fold > summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outline-list")).to_be_visible()
    outline = page.locator("#editor-outline").bounding_box()
    main = page.locator(".editor-main").bounding_box()
    assert outline and main and outline["x"] + outline["width"] <= main["x"], (outline, main)


def test_the_outline_passes_axe_and_folds_on_a_phone(live_server, page: Page, drafted, secretary):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(page, live_server.url, f"/sammantraden/{drafted.pk}/protokoll/")
    axe = Axe()
    options = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
    results = axe.run(page, options=options)
    assert results.violations_count == 0, results.generate_report()

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    fold = page.locator("#outline-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(page.locator("#outline-list")).to_be_hidden()
    # Opened by keyboard, it still works: a move from it, and nothing runs off the screen.
    page.locator("#outline-fold > summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outline-list")).to_be_visible()
    results = axe.run(page, context={"include": [["#editor-outline"]]}, options=options)
    assert results.violations_count == 0, results.generate_report()
    ekonomi = drafted.paragraphs.get(title="Ekonomi")
    page.locator(f"#outline-{ekonomi.pk}").get_by_role("button", name="Flytta upp PRV § 5").click()
    expect(page.locator("#outline-status")).to_contain_text("flyttad till plats 4")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    # The page works as on a wide screen: a § opened from the outline takes typing and saves.
    page.locator(f"#outline-{ekonomi.pk}").get_by_role("link").click()
    expect(page.locator(f"#p{ekonomi.pk} .ql-editor")).to_be_focused()
    page.keyboard.type("Skrivet i telefonen.")
    expect(page.locator(f"#outline-{ekonomi.pk} .outline-state")).to_have_text("sparad", timeout=10000)
    assert "Skrivet i telefonen." in drafted.paragraphs.get(pk=ekonomi.pk).body
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
