"""In Debian's Chromium: the confirmation dialog (templates/base.html, static/js/design.js,
issue 21 point 4). A destructive button asks in the page's own dialog, not the browser's
window.confirm: Avbryt has the focus, Escape and Avbryt send nothing and return the focus to
the button, the action button sends the form with the button's name and value, the question
typed by a person is shown as text, and axe finds nothing with the dialog open. Without
JavaScript the button sends at once, as before."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from minutes.drafting import services
from minutes.models import AgendaItem, Paragraph
from tests.minutes.test_editor_browser import axe_clean, login, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deleting_a_paragraph_asks_in_the_dialog_and_cancel_sends_nothing(live_server, page: Page, meeting, secretary):
    errors = watch_console(page)
    first = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    second = services.paragraph_add(meeting=meeting, title="Övrigt", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/")
    page.locator(f"#p{first.pk} .paragraph-toggle").click()
    delete = page.locator(f"#p{first.pk} button[data-confirm]")
    dialog = page.locator("#app-confirm")
    expect(dialog).to_be_hidden()

    delete.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("#app-confirm-text")).to_have_text("Ta bort paragrafen? Numren efter den flyttas.")
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    axe_clean(page, "the dialog open")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(delete).to_be_focused()

    delete.click()
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(delete).to_be_focused()
    assert Paragraph.objects.filter(pk=first.pk).exists()  # nothing was sent

    delete.click()
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    assert not Paragraph.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.number == 1  # renumbered, as the question said
    assert errors == [], errors


def test_the_dialog_sends_the_buttons_name_and_shows_typed_text_as_text(live_server, page: Page, meeting, secretary):
    title = '<img src=x onerror="window.__ran=1">Budget'
    item = services.agenda_item_add(meeting=meeting, title=title, actor=secretary)
    kept = services.agenda_item_add(meeting=meeting, title="Övrigt", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/")
    page.get_by_text(f"Ändra punkten {title}").click()
    page.get_by_role("button", name="Ta bort punkten").first.click()
    dialog = page.locator("#app-confirm")
    expect(dialog.locator("#app-confirm-text")).to_have_text(f"Ta bort punkten ”{title}” ur dagordningen?")
    assert dialog.locator("#app-confirm-text img").count() == 0
    expect(dialog.locator("[data-confirm-ok]")).to_have_text("Ta bort punkten")
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    # The form's action=delete went with it: the item is gone, not saved or moved.
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert AgendaItem.objects.filter(pk=kept.pk).exists()
    assert page.evaluate("window.__ran") is None


def test_without_javascript_the_button_sends_at_once(live_server, browser, meeting, secretary):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    first = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/?redigera={first.pk}")
    expect(page.locator("#app-confirm")).to_be_hidden()
    page.locator(f"#p{first.pk} button[data-confirm]").click()
    page.wait_for_load_state()
    assert not Paragraph.objects.filter(pk=first.pk).exists()
    context.close()
