"""In Debian's Chromium, two people in one set of minutes: each sees the other by name and §,
both write in the same §, and the conflict is resolved with each of the three choices in
turn (keep mine, take theirs, merge), by keyboard, with nobody's text lost on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django_redis import get_redis_connection
from playwright.sync_api import Page, expect

from board.models import StaffRole
from minutes.drafting import services
from minutes.drafting.services.presence import PAGE_ID
from minutes.models import Paragraph
from tests.conftest import PASSWORD, wait_for
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "<p>Förbundschefen redogör för budgeten.</p><p>Styrelsen diskuterar.</p>"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def log_in(page: Page, base: str, username: str, path: str) -> None:
    page.goto(f"{base}/konto/logga-in/?next={path}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#presence .presence-list")).to_be_visible()


def open_paragraph(page: Page, pk: int) -> None:
    """By keyboard: focus the §'s heading toggle and press Enter; the text editor takes focus."""
    page.locator(f"#p{pk} .paragraph-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#p{pk} .ql-editor")).to_be_focused()


def type_at(page: Page, pk: int, where: str, text: str) -> None:
    page.locator(f"#p{pk} .ql-editor").focus()
    page.keyboard.press("Control+End" if where == "end" else "Control+Home")
    page.keyboard.type(text)


def tab_to(page: Page, name: str, limit: int = 12) -> None:
    """Press Tab until the button or link named `name` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def editor_text(page: Page, pk: int) -> str:
    return text_of(page.evaluate(f"window.Samordna.editor.getBody({pk})"))


def saved(pk: int) -> Paragraph:
    return Paragraph.objects.get(pk=pk)


def test_two_secretaries_see_each_other_and_resolve_conflicts_three_ways(live_server, browser, settings, board,
                                                                         secretary, chair, member):
    from axe_playwright_python.sync_playwright import Axe

    settings.EDITOR_PRESENCE_HEARTBEAT = 1
    ann = UserFactory(username="sekreterare2")
    StaffRoleFactory(organisation=board.organisation, role=StaffRole.Role.SECRETARY, start=dt.date(2020, 1, 1),
                     person=PersonFactory(first_name="Ann", last_name="Rilegård", user=ann))
    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 11, 2), place="Kansliet", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    p = services.paragraph_add(meeting=meeting, title="Budget", body=BODY, actor=secretary)
    other = services.paragraph_add(meeting=meeting, title="Övriga frågor", actor=secretary)
    path = f"/sammantraden/{meeting.pk}/protokoll/"

    kansli_context, ann_context = browser.new_context(), browser.new_context()
    kansli, anns = kansli_context.new_page(), ann_context.new_page()
    errors: list[str] = []
    for page in (kansli, anns):
        # Script errors, CSP refusals and server errors; not the browser's favicon.ico (404).
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    log_in(kansli, live_server.url, "sekreterare", path)
    log_in(anns, live_server.url, "sekreterare2", path)

    # --- Presence: by name and §, and the § marked -------------------------------------------
    open_paragraph(anns, other.pk)
    expect(kansli.locator("#presence")).to_contain_text("Ann Rilegård skriver i PRV § 2", timeout=10000)
    expect(kansli.locator(f"#p{other.pk} .presence-badge")).to_have_text("Ann Rilegård skriver här")
    open_paragraph(kansli, p.pk)
    open_paragraph(anns, p.pk)
    expect(kansli.locator("#presence")).to_contain_text("Ann Rilegård skriver i PRV § 1", timeout=10000)
    expect(kansli.locator(f"#p{other.pk} .presence-badge")).to_have_count(0)
    expect(anns.locator("#presence")).to_contain_text("Sekreterare Kansli skriver i PRV § 1", timeout=10000)
    expect(anns.locator(f"#p{p.pk} .presence-badge")).to_have_text("Sekreterare Kansli skriver här")
    for page in (kansli, anns):
        expect(page.locator("#presence")).not_to_contain_text("sekreterare2")
        expect(page.locator("#presence")).not_to_contain_text("sekreterare ")

    # --- 1. Keep mine ------------------------------------------------------------------------
    type_at(anns, p.pk, "end", " Anns tillägg.")
    wait_for(lambda: "Anns tillägg" in saved(p.pk).body, 15, "Ann's autosave")
    version_ann = saved(p.pk).version
    type_at(kansli, p.pk, "home", "Inledning: ")
    panel = kansli.locator(f"#p{p.pk} .conflict-panel")
    expect(panel).to_be_visible(timeout=15000)
    expect(kansli.locator(f"#status-{p.pk}")).to_contain_text("Ann Rilegård har ändrat den")
    expect(panel.locator(".conflict-row-body td.mine ins")).to_contain_text("Inledning")
    expect(panel.locator(".conflict-row-body td.theirs del")).to_contain_text("Anns tillägg")
    # Until a choice is made: my text stays in the editor and nothing is autosaved.
    type_at(kansli, p.pk, "end", " Mer.")
    kansli.wait_for_timeout(2500)
    assert saved(p.pk).version == version_ann and "Inledning" not in saved(p.pk).body
    assert "Inledning:" in editor_text(kansli, p.pk) and "Mer." in editor_text(kansli, p.pk)
    results = Axe().run(kansli, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()
    kansli.keyboard.press("Escape")  # leave the §; the choices come next in the tab order
    tab_to(kansli, "Behåll min text")
    kansli.keyboard.press("Enter")
    expect(panel).to_have_count(0, timeout=10000)
    wait_for(lambda: "Inledning" in saved(p.pk).body, 10, "keep mine")
    mine = saved(p.pk)
    assert text_of(mine.body) == editor_text(kansli, p.pk)
    assert "Anns tillägg" not in mine.body
    assert mine.history.filter(body__contains="Anns tillägg").exists()  # hers is in the history
    assert mine.history.order_by("-history_date").first().history_change_reason.startswith("Konflikt: egen text")

    # --- 2. Take theirs (Ann's page still holds the older version) -----------------------------
    type_at(anns, p.pk, "end", " Anns andra.")
    ann_panel = anns.locator(f"#p{p.pk} .conflict-panel")
    expect(ann_panel).to_be_visible(timeout=15000)
    expect(ann_panel.locator(".conflict-row-body td.mine")).to_contain_text("Anns andra")  # hers still shown
    assert "Anns andra" in editor_text(anns, p.pk)  # and still in her editor
    anns.keyboard.press("Escape")
    tab_to(anns, "Ta texten från Sekreterare Kansli")
    anns.keyboard.press("Enter")
    expect(ann_panel).to_have_count(0)
    expect(anns.locator(f"#p{p.pk} .ql-editor")).to_contain_text("Inledning:")
    assert editor_text(anns, p.pk) == text_of(saved(p.pk).body)
    version = saved(p.pk).version
    anns.wait_for_timeout(2500)
    assert saved(p.pk).version == version  # taking theirs saves nothing

    # --- 3. Merge -----------------------------------------------------------------------------
    type_at(kansli, p.pk, "home", "Kanslis ord. ")
    wait_for(lambda: "Kanslis ord" in saved(p.pk).body, 15, "the secretary's autosave")
    type_at(anns, p.pk, "end", " Anns slutord.")
    expect(ann_panel).to_be_visible(timeout=15000)
    anns.keyboard.press("Escape")
    tab_to(anns, "Sammanfoga")
    anns.keyboard.press("Enter")
    merged = anns.locator(f"#p{p.pk} .ql-editor")
    expect(merged).to_contain_text("Kanslis ord.")
    expect(merged).to_contain_text("Anns slutord.")
    anns.wait_for_timeout(2500)
    assert "Anns slutord" not in saved(p.pk).body  # unsaved until she has checked it
    anns.locator("[data-conflict-choice=save-merged]").focus()
    anns.keyboard.press("Enter")
    wait_for(lambda: "Anns slutord" in saved(p.pk).body, 10, "the merge saved")
    final = saved(p.pk)
    assert "Kanslis ord." in final.body and "Inledning:" in final.body and "Anns slutord." in final.body
    assert final.history.order_by("-history_date").first().history_change_reason.startswith("Konflikt: sammanfogad")
    expect(ann_panel).to_have_count(0)

    # Leaving: gone from the other's list at once.
    anns.close()
    expect(kansli.locator("#presence")).to_contain_text("Ingen annan har protokollet öppet", timeout=10000)
    # The goodbye named its page, so a heartbeat of that page still on its way is refused.
    gone = get_redis_connection("default").keys(f"*editor-presence-gone:{meeting.pk}:*")
    assert len(gone) == 1 and PAGE_ID.fullmatch(gone[0].decode().rsplit(":", 1)[1])
    assert errors == []
    kansli_context.close()
    ann_context.close()
