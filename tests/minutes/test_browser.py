"""In Debian's Chromium: the secretary drafts minutes from scratch and sees them numbered."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from minutes.models import Attendance, Meeting, Paragraph
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_fold(page: Page, fold_id: str) -> None:
    """Open a <details> of the editor unless it is open (it opens itself when the page has
    nothing in it yet, and when the address's #fragment points into it)."""
    fold = page.locator(f"#{fold_id}")
    if fold.get_attribute("open") is None:
        fold.locator("summary").first.click()
    expect(fold).to_have_attribute("open", "")


def test_the_secretary_creates_a_meeting_records_attendance_and_writes_two_paragraphs(
    live_server, page: Page, board, secretary, chair, member
):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/konto/logga-in/?next=/forbund/prov/sammantraden/")
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Sammanträden", exact=True)).to_be_visible()

    # A new meeting.
    page.get_by_role("link", name="Nytt sammanträde").click()
    page.get_by_label("Organ").select_option(label=board.organ.name)
    page.get_by_label("Datum").fill("2023-11-02")
    page.get_by_label("Starttid").fill("08:30")
    page.get_by_label("Sluttid").fill("09:30")
    page.get_by_label("Digitalt via Teams").check()
    page.get_by_label("Typ av sammanträde").select_option("extra")
    page.get_by_role("button", name="Skapa sammanträde").click()
    expect(page.get_by_role("heading", name=re.compile("Kallelse"))).to_be_visible()

    # Attendance: from the registry, then one ledamot marked absent (keyboard only).
    page.get_by_role("link", name="Protokollet", exact=True).click()
    page.get_by_role("button", name="Hämta närvarolistan från styrelsen").click()
    expect(page.get_by_text("Närvarolistan är hämtad från styrelsen.")).to_be_visible()
    open_fold(page, "narvaro-fold")
    summary = page.get_by_text("Ändra närvaro för Ledamot Testsson")
    summary.focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#a{member.person.pk}")
    row.get_by_label("Närvaro", exact=True).select_option("franvarande")
    row.get_by_role("button", name="Spara närvaro för Ledamot Testsson").click()
    expect(page.get_by_text("Närvaron för Ledamot Testsson är sparad.")).to_be_visible()

    # Two paragraphs with decisions: the first saved by HTMX autosave, the second by the button.
    # A new § opens in place; its text is rich text (Quill), bold by Ctrl+B.
    open_fold(page, "ny-paragraf-fold")
    page.get_by_label("Rubrik på ny paragraf").fill("Tilläggsäskande Samordningsteam Sala")
    page.get_by_role("button", name="Lägg till paragraf").click()
    first = page.locator("section.paragraph").nth(0)
    expect(first.get_by_role("heading", name=re.compile(r"PRV § 1"))).to_be_visible()
    text = first.get_by_role("textbox", name="Text")
    expect(text).to_be_visible()
    text.click()
    page.keyboard.type("Styrgruppen äskar ")
    page.keyboard.press("Control+b")
    page.keyboard.type("147 424 kr")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    first.get_by_label(re.compile("Beslut: en beslutssats per rad")).fill("Att bevilja 120 tkr")
    expect(first.locator(".save-status")).to_have_attribute("data-state", "saved", timeout=10000)
    expect(first.locator(".save-status")).to_contain_text("PRV § 1 sparad kl")
    # A second autosave uses the version the first one returned (no false conflict).
    page.wait_for_timeout(1100)  # the status shows seconds; make the second one differ
    saved_once = first.locator(".save-status").inner_text()
    first.get_by_text("Fler uppgifter").click()
    first.get_by_label("Dnr").fill("PRV 2023/9")
    expect(first.locator(".save-status")).not_to_have_text(saved_once, timeout=10000)
    expect(first.locator(".save-status")).to_have_attribute("data-state", "saved", timeout=10000)
    expect(first.locator(".save-status")).to_contain_text("PRV § 1 sparad kl")

    open_fold(page, "ny-paragraf-fold")
    page.get_by_label("Rubrik på ny paragraf").fill("Serviceavgift NNS")
    page.get_by_role("button", name="Lägg till paragraf").click()
    second = page.locator("section.paragraph").nth(1)
    expect(second.get_by_role("heading", name=re.compile(r"PRV § 2"))).to_be_visible()
    second.get_by_label(re.compile("Beslut: en beslutssats per rad")).fill(
        "Att rösta för förslaget\nAtt återrapportera till styrelsen"
    )
    second.get_by_role("button", name="Spara PRV § 2").click()
    expect(page.get_by_text("PRV § 2 är sparad.")).to_be_visible()

    # The preview: numbered, with the decisions and the attendance.
    page.get_by_role("link", name="Förhandsvisning").first.click()
    doc = page.locator("article.minutes-document")
    expect(doc).to_contain_text("Sammanträdesprotokoll")
    expect(doc).to_contain_text("PRV §§ 1–2")
    expect(doc.get_by_role("heading", name="PRV § 1")).to_be_visible()
    expect(doc.get_by_role("heading", name="PRV § 2")).to_be_visible()
    expect(doc).to_contain_text("Att bevilja 120 tkr")
    expect(doc).to_contain_text("Att återrapportera till styrelsen")
    expect(doc.locator("strong", has_text="147 424 kr")).to_be_visible()
    expect(doc).to_contain_text("Frånvarande")
    expect(doc).to_contain_text("Ordforande Testsson, ordförande")

    meeting = Meeting.objects.get()
    assert meeting.is_remote and meeting.kind == "extra"
    assert Attendance.objects.get(meeting=meeting, person=member.person).role == "franvarande"
    autosaved = Paragraph.objects.get(number=1)
    assert autosaved.dnr == "PRV 2023/9" and autosaved.version >= 3
    assert autosaved.body == "<p>Styrgruppen äskar <strong>147 424 kr</strong>.</p>"
    assert list(Paragraph.objects.order_by("number").values_list("number", "title")) == [
        (1, "Tilläggsäskande Samordningsteam Sala"), (2, "Serviceavgift NNS"),
    ]
    assert violations == []


def test_the_minutes_pages_pass_axe(live_server, page: Page, board, secretary, chair, member):
    from axe_playwright_python.sync_playwright import Axe

    from minutes.drafting import services

    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 11, 2),
                                       place="Kansliet", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    services.agenda_item_add(meeting=meeting, title="Budget", proposed_decision="Att anta budgeten", actor=secretary)
    services.minutes_start(meeting=meeting, actor=secretary)
    p = meeting.paragraphs.get(title="Budget")
    voters = list(meeting.attendances.filter(role="beslutande"))
    services.vote_record(paragraph=p, yes_text="Bifall", no_text="Avslag", actor=secretary,
                         ballots={voters[0].person: "ja", voters[1].person: "nej", voters[2].person: "ja"})
    services.reservation_add(paragraph=p, person=voters[1].person, motivation="För dyrt.", actor=secretary)

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    axe = Axe()
    for url in [
        f"/forbund/{board.organisation.slug}/sammantraden/", f"/forbund/{board.organisation.slug}/sammantraden/nytt/",
        f"/sammantraden/{meeting.pk}/", f"/sammantraden/{meeting.pk}/protokoll/",
        f"/sammantraden/{meeting.pk}/protokoll/forhandsvisning/", "/sammantraden/",
    ]:
        page.goto(f"{live_server.url}{url}")
        states = ["closed", "open"] if url.endswith("/protokoll/") else ["page"]
        for state in states:
            if state == "open":  # the editor with a § open in place, its rich-text editor shown
                page.locator(f"#p{p.pk} .paragraph-toggle").click()
                expect(page.locator(f"#p{p.pk} .ql-editor")).to_be_visible()
            for summary in page.locator("details > summary").all():
                if summary.is_visible() and summary.locator("xpath=..").get_attribute("open") is None:
                    summary.click()  # open every fold so the hidden forms are checked too
            results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
            assert results.violations_count == 0, f"{url} ({state})\n{results.generate_report()}"
