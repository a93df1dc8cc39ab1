"""Mitt sammanträde on a phone (issue 20): in Debian's Chromium at 390×844, a ledamot opens the
coming meeting, reads the handling and writes a note that is there after a reload; axe finds
nothing on the room's two pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from minutes.drafting import services as minutes_services
from minutes.models import PrivateNote
from tests.minutes.test_editor_browser import axe_clean, login, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n% handling\n%%EOF\n"


def test_a_member_reads_a_handling_and_writes_a_note_on_a_phone(live_server, page: Page, board, member, secretary,
                                                                 media_in_tmp):
    errors = watch_console(page)
    meeting = minutes_services.meeting_create(organ=board.organ, date=timezone.localdate() + dt.timedelta(days=7),
                                              start_time=dt.time(9), place="Sala", actor=secretary)
    item = minutes_services.agenda_item_add(meeting=meeting, title="Budget 2027", actor=secretary)
    doc = minutes_services.document_add(meeting=meeting, title="Budgetförslag", agenda_item=item,
                                        upload=SimpleUploadedFile("budget.pdf", PDF), actor=secretary)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "ledamot")
    page.goto(f"{live_server.url}/mitt-sammantrade/")
    axe_clean(page, "room")
    page.get_by_role("link", name=f"{board.organ.name} {meeting.date:%Y-%m-%d}").click()
    expect(page.get_by_role("heading", name="Budget 2027")).to_be_visible()
    axe_clean(page, "meeting")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    read = page.get_by_role("link", name="Läs Budgetförslag")
    response = page.request.get(live_server.url + read.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline") and response.body() == PDF
    note = page.get_by_label("Min anteckning om Budget 2027")
    note.fill("Fråga om lönerna")  # saved by itself after a pause (htmx), no button needed
    expect(page.locator(f"#punkt-{item.pk} > .private-note .note-status")).to_have_text("Sparad", timeout=10000)
    assert PrivateNote.objects.get(author=member, agenda_item=item).text == "Fråga om lönerna"
    page.reload()
    expect(page.get_by_label("Min anteckning om Budget 2027")).to_have_value("Fråga om lönerna")
    # By keyboard: the note on the handling, saved with its button.
    page.get_by_text("Anteckning till Budgetförslag").click()
    doc_note = page.locator(f"#note-document-{doc.pk}")
    doc_note.focus()
    page.keyboard.type("Sidan 3")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#handling-{doc.pk} .note-status")).to_have_text("Sparad", timeout=10000)
    assert PrivateNote.objects.get(author=member, document=doc).text == "Sidan 3"
    assert errors == [], errors
