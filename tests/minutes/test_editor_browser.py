"""In Debian's Chromium: the rebuilt minutes editor (issue 16). Rich text with the toolbar and
the shortcuts, autosave and reload; a paste from Word comes out as the clean HTML subset and
prints the same on the preview, the public page and in the PDF; a § opens and closes by
keyboard; justerade minutes offer nothing to edit; axe finds nothing in any of these states."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from minutes.drafting import services
from minutes.drafting.selectors import minutes_document
from minutes.models import Paragraph
from tests.conftest import PASSWORD, justered_without_signatures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCREENS = Path("/work/notes/screens")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What the Word fixture (tests/fixtures/word_clipboard.html) must be stored as: its lists, bold
# and italics kept; its fonts, colours, highlight, classes, <o:p>, list markers, conditional
# comments and styles gone.
WORD_CLEAN = (
    "<p>Samordningsteam Sala inkom 2023-09-25 med ett tilläggsäskande om <strong>147 424 kr</strong> för 2023.</p>"
    "<p>Skälet är <em>ökad personalkostnad</em> och:</p>"
    "<ul><li>bilhyra</li><li>datalicenser</li></ul>"
    "<p>Styrelsen beslutar</p>"
    "<ol><li><strong>att</strong> bevilja 120 tkr</li><li>att återrapportera till styrelsen</li></ol>"
)


def login(page: Page, live_server, username: str = "sekreterare") -> None:
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def axe_clean(page: Page, what: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": AXE_TAGS})
    assert results.violations_count == 0, f"{what}\n{results.generate_report()}"


def watch_console(page: Page) -> list[str]:
    """Errors in the browser's console (a CSP violation is one)."""
    errors: list[str] = []
    # (The browser's own favicon request is no response of the page: a 404 of anything the page
    # loads is caught by the response listener.)
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def saved(section) -> None:
    status = section.locator(".save-status")
    expect(status).to_have_attribute("data-state", "saved", timeout=15000)
    expect(status).to_contain_text("sparad kl")


def test_a_paragraph_is_written_with_the_toolbar_and_the_shortcuts_autosaved_and_there_after_reload(
    live_server, page: Page, meeting, secretary
):
    errors = watch_console(page)
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/")
    section = page.locator(f"#p{p.pk}")
    # The save state is there before anything is typed.
    expect(section.locator(".save-status")).to_have_text(re.compile(r"^Sparad kl \d\d\.\d\d$"))
    expect(section.locator("form.paragraph-form")).to_be_hidden()
    section.get_by_role("button", name=re.compile("PRV § 1")).click()
    editor = section.get_by_role("textbox", name="Text")
    expect(editor).to_be_focused()

    page.keyboard.type("Inledning ")
    page.keyboard.press("Control+b")
    page.keyboard.type("fet")
    page.keyboard.press("Control+b")
    page.keyboard.type(" och ")
    page.keyboard.press("Control+i")
    page.keyboard.type("kursiv")
    page.keyboard.press("Control+i")
    expect(section.locator(".save-status")).to_have_text("Inte sparad")
    page.keyboard.press("Enter")
    section.get_by_role("button", name=re.compile("^Punktlista")).click()  # the toolbar
    page.keyboard.type("ett")
    page.keyboard.press("Enter")
    page.keyboard.type("två")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.press("Control+Shift+Digit7")  # numbered list by keyboard
    page.keyboard.type("första")
    page.keyboard.press("Enter")
    page.keyboard.type("andra")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Shift+Digit8")  # bulleted list by keyboard
    page.keyboard.type("punkt")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    section.get_by_role("button", name=re.compile("^Fetstil")).click()  # the toolbar's bold
    page.keyboard.type("Slut")
    saved(section)

    expected = (
        "<p>Inledning <strong>fet</strong> och <em>kursiv</em></p><ul><li>ett</li><li>två</li></ul>"
        "<ol><li>första</li><li>andra</li></ol><ul><li>punkt</li></ul><p><strong>Slut</strong></p>"
    )
    assert Paragraph.objects.get(pk=p.pk).body == expected
    # The read form shows what was saved (the autosave's answer updates it) once closed.
    page.keyboard.press("Escape")
    expect(section.locator(".para-body strong").first).to_have_text("fet")

    page.reload()
    body = page.locator(f"#p{p.pk}-body")
    expect(body.locator("ul > li")).to_have_text(["ett", "två", "punkt"])
    expect(body.locator("ol > li")).to_have_text(["första", "andra"])
    expect(body.locator("em")).to_have_text("kursiv")
    page.locator(f"#p{p.pk} .paragraph-toggle").click()
    expect(section.locator(".ql-editor li[data-list=ordered]")).to_have_text(["första", "andra"])  # loaded back into Quill
    # Undo by keyboard takes back what was typed last.
    section.locator(".ql-editor p").last.click()
    page.keyboard.press("End")
    page.keyboard.type("XYZ")
    expect(section.locator(".ql-editor")).to_contain_text("SlutXYZ")
    page.keyboard.press("Control+z")
    expect(section.locator(".ql-editor")).not_to_contain_text("XYZ")
    assert errors == [], errors


def test_a_paste_from_word_is_stored_clean_and_prints_the_same_everywhere(
    live_server, page: Page, meeting, secretary, tmp_path
):
    errors = watch_console(page)
    p = services.paragraph_add(meeting=meeting, title="Tilläggsäskande", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/?redigera={p.pk}#p{p.pk}")
    section = page.locator(f"#p{p.pk}")
    editor = section.locator(".ql-editor")
    editor.click()
    html = (FIXTURES / "word_clipboard.html").read_text(encoding="utf-8")
    editor.evaluate(
        """(el, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Samordningsteam Sala inkom ...");
            el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )
    saved(section)
    stored = Paragraph.objects.get(pk=p.pk).body
    assert stored == WORD_CLEAN
    for gone in ("style", "class", "span", "Mso", "mso", "o:p", "font", "Symbol", "·"):
        assert gone not in stored, gone

    # The editor's read form, the preview, the public page and the PDF: the same lists and bold.
    def shape(markup: str) -> tuple[list[str], list[str], list[str]]:
        items = lambda tag: re.findall(rf"<{tag}>(.*?)</{tag}>", markup, re.S)  # noqa: E731
        lis = lambda lists: [re.sub(r"<[^>]+>", "", li) for block in lists for li in re.findall(r"<li>(.*?)</li>", block)]  # noqa: E731
        return lis(items("ul")), lis(items("ol")), items("strong")

    want = shape(WORD_CLEAN)
    assert want == (["bilhyra", "datalicenser"], ["att bevilja 120 tkr", "att återrapportera till styrelsen"],
                    ["147 424 kr", "att"])
    page.keyboard.press("Escape")
    assert shape(section.locator(".para-body").inner_html()) == want
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/forhandsvisning/")
    assert shape(page.locator(f"#para-{p.pk} .para-body").inner_html()) == want

    justered_without_signatures(meeting)
    page.goto(f"{live_server.url}/protokoll/{meeting.organ.organisation.slug}/{meeting.date.year}/{meeting.pk}/")
    assert shape(page.locator(f"#p{p.pk} .paragraph-body").inner_html()) == want

    from board.documents.pdf import render_pdf
    from minutes.notices.minutes_pdf import CSS_FILE

    source = render_to_string("minutes/pdf/minutes.html", {
        "doc": minutes_document(meeting), "title": "Prov", "css": CSS_FILE.read_text(encoding="utf-8"),
        "page_css": "", "masked": set(),
    })
    body = re.search(rf'id="para-{p.pk}".*?<div class="para-body">(.*?)</div>', source, re.S)
    assert body is not None and shape(body.group(1)) == want
    pdf = tmp_path / "protokoll.pdf"
    pdf.write_bytes(render_pdf(source, title="Prov"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"•\s+bilhyra", text) and re.search(r"•\s+datalicenser", text)
    assert re.search(r"1\.\s+att bevilja 120 tkr", text) and re.search(r"2\.\s+att återrapportera", text)
    assert errors == [], errors


# A PDF viewer puts plain text on the clipboard, its lines broken at the page's width, a word
# hyphenated at one of them, bullets and numbers as characters: stored as paragraphs and lists.
PDF_CLEAN = (
    "<p>Samordningsteam Sala inkom 2023-09-25 med ett tilläggsäskande om 147 424 kr för 2023. Skälet är "
    "ökad personalkostnad, med de kostnader som tillkommit under hösten och som inte ryms i den beviljade "
    "budgeten för insatsen:</p>"
    "<ul><li>bilhyra</li><li>datalicenser</li></ul>"
    "<p>Styrelsen beslutar</p>"
    "<ol><li>att bevilja 120 tkr</li><li>att återrapportera till styrelsen</li></ol>"
)


def paste(page: Page, section, html: str | None, text: str) -> None:
    """What the browser does on Ctrl+V with this clipboard (text/html only when given)."""
    section.locator(".ql-editor").click()
    section.locator(".ql-editor").evaluate(
        """(el, [html, text]) => {
            const data = new DataTransfer();
            if (html !== null) data.setData("text/html", html);
            data.setData("text/plain", text);
            el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [html, text],
    )


@pytest.mark.parametrize(("source", "fixture", "clean"), [
    ("Outlook för Windows", "outlook_clipboard.html", WORD_CLEAN),
    ("Outlook på webben", "outlook_web_clipboard.html", WORD_CLEAN),
    ("Google Docs", "google_docs_clipboard.html", WORD_CLEAN),
    ("PDF", "pdf_clipboard.txt", PDF_CLEAN),
])
def test_a_paste_from_outlook_google_docs_or_a_pdf_is_stored_as_the_clean_subset(
    live_server, page: Page, meeting, secretary, source, fixture, clean
):
    errors = watch_console(page)
    p = services.paragraph_add(meeting=meeting, title=f"Klistrat från {source}", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/?redigera={p.pk}#p{p.pk}")
    section = page.locator(f"#p{p.pk}")
    content = (FIXTURES / fixture).read_text(encoding="utf-8")
    if fixture.endswith(".txt"):
        paste(page, section, None, content)
    else:
        paste(page, section, content, "Samordningsteam Sala inkom ...")
    saved(section)
    stored = Paragraph.objects.get(pk=p.pk).body
    assert stored == clean, source
    for gone in ("style", "class", "span", "div", "font", "Mso", "elementToProof", "docs-internal", "<b", "<br", "•"):
        assert gone not in stored, (source, gone)
    assert errors == [], errors


def test_plain_text_pasted_is_escaped_and_a_single_line_stays_in_its_paragraph(
    live_server, page: Page, meeting, secretary
):
    p = services.paragraph_add(meeting=meeting, title="Klistrat", body="<p>Före</p>", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/?redigera={p.pk}#p{p.pk}")
    section = page.locator(f"#p{p.pk}")
    section.locator(".ql-editor").click()
    page.keyboard.press("Control+End")
    paste(page, section, None, " <b>mitt</b>")  # one line: into the paragraph, as text
    saved(section)
    assert Paragraph.objects.get(pk=p.pk).body == "<p>Före &lt;b&gt;mitt&lt;/b&gt;</p>"
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    paste(page, section, None, "• <script>alert(1)</script>\n• &amp; <img src=x onerror=alert(2)>")
    saved(section)
    stored = Paragraph.objects.get(pk=p.pk).body
    assert stored == "<p>Före &lt;b&gt;mitt&lt;/b&gt;</p>" + (
        "<ul><li>&lt;script&gt;alert(1)&lt;/script&gt;</li><li>&amp;amp; &lt;img src=x onerror=alert(2)&gt;</li></ul>"
    ), stored
    assert "<script" not in stored and "<img" not in stored


def test_a_paragraph_opens_and_closes_by_keyboard_and_passes_axe_in_both_states(
    live_server, page: Page, meeting, secretary
):
    errors = watch_console(page)
    first = services.paragraph_add(meeting=meeting, title="Budget", body="<p>Text</p>", actor=secretary)
    second = services.paragraph_add(meeting=meeting, title="Övrigt", actor=secretary)
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/")
    axe_clean(page, "closed")
    toggle = page.locator(f"#p{first.pk} .paragraph-toggle")
    toggle.focus()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#p{first.pk}-edit")).to_be_visible()
    expect(page.locator(f"#p{first.pk} .ql-editor")).to_be_focused()
    assert page.evaluate("window.Samordna.editor.current()") == first.pk
    page.locator(f"#p{first.pk} details.more-fields > summary").click()
    axe_clean(page, "open")
    page.locator(f"#p{first.pk} .ql-editor").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"#p{first.pk}-edit")).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.evaluate("window.Samordna.editor.current()") is None
    # Space opens too; opening another § (leaving this one) closes it.
    page.keyboard.press(" ")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.locator(f"#p{second.pk} .paragraph-toggle").focus()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.locator(f"#p{second.pk}-edit")).to_be_visible()
    # Its form is fetched when it first opens; the editor has the focus once it is there.
    expect(page.locator(f"#p{second.pk} .ql-editor")).to_be_focused()
    # The JS interface: bodies in and out, events.
    body = page.evaluate("""pk => {
        const seen = [];
        ["samordna:paragraph-open", "samordna:paragraph-close", "samordna:paragraph-state"].forEach(name =>
            document.addEventListener(name, e => seen.push([name, e.detail.pk, e.detail.state || null])));
        window.__seen = seen;
        return window.Samordna.editor.getBody(pk);
    }""", first.pk)
    assert body == "<p>Text</p>"
    page.evaluate("window.Samordna.editor.insertHTML('<p><strong>Infogat</strong></p>')")
    saved(page.locator(f"#p{second.pk}"))
    assert "<strong>Infogat</strong>" in Paragraph.objects.get(pk=second.pk).body
    seen = page.evaluate("window.__seen")
    assert ["samordna:paragraph-state", second.pk, "saving"] in seen and ["samordna:paragraph-state", second.pk, "saved"] in seen
    assert errors == [], errors


def test_justerade_minutes_offer_nothing_to_edit(live_server, page: Page, board, secretary, chair, member):
    from minutes.justering import services as justering
    from tests.justering.conftest import build_minutes, sign

    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (chair, member, secretary):
        sign(meeting, user)
    meeting.refresh_from_db()
    assert meeting.status == "justerat"
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server)
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/protokoll/")
    banner = page.locator("#justerat")
    expect(banner).to_contain_text(re.compile(r"Justerat \d{4}-\d\d-\d\d av "))
    expect(banner).to_contain_text(chair.person.full_name)
    expect(banner).to_contain_text(member.person.full_name)
    expect(banner.get_by_role("link", name="justeringssidan")).to_be_visible()
    editable = page.locator("main input, main textarea, main select, main [contenteditable], main button")
    assert editable.count() == 0
    assert page.locator("main form").count() == 0
    expect(page.locator(".paragraph-toggle")).to_have_count(0)
    expect(page.locator("section.paragraph").first).to_be_visible()  # the minutes, in read form
    axe_clean(page, "read-only")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "readonly.png"), full_page=True)
