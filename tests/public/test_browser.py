"""In Debian's Chromium: axe-core finds no WCAG 2.1 A/AA violation on any public page (with
real content on it), the pages work without JavaScript, and they can be used by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minutes.drafting import services
from minutes.models import Subscription
from minutes.notices import services as notices
from tests.public.conftest import PUBLIC_WORD, make_minutes

pytestmark = pytest.mark.browser
AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


@pytest.fixture
def live_data(board, secretary, member):
    today = timezone.localdate()
    old = make_minutes(organ=board.organ, actor=secretary, date=today - dt.timedelta(days=70),
                       titles=["Årsredovisning", "Budget"], confidential=False)
    notices.notice_for_justering(meeting=old, justered_on=today - dt.timedelta(days=65), actor=secretary)
    meeting = make_minutes(organ=board.organ, actor=secretary, date=today - dt.timedelta(days=5),
                           titles=["Val av justerare", f"Insatsen Steget, {PUBLIC_WORD} 147 424 kr", "Delårsrapport"])
    notice = notices.notice_for_justering(meeting=meeting, justered_on=today - dt.timedelta(days=1), actor=secretary)
    upcoming = services.meeting_create(organ=board.organ, date=today + dt.timedelta(days=10), start_time=dt.time(9, 0),
                                       place="Kommunhuset", actor=secretary)
    services.agenda_item_add(meeting=upcoming, title="Budget för nästa år", actor=secretary)
    notices.notice_kungorelse(meeting=upcoming, actor=secretary)
    subscription = Subscription.objects.create(email="lasare@example.se", organisation=board.organisation,
                                               token="axe-prenumeration", meetings=True)
    return {"meeting": meeting, "notice": notice, "old": old, "subscription": subscription}


def public_paths(board, live_data) -> list[str]:
    m = live_data["meeting"]
    slug = board.organisation.slug
    return [
        "/anslagstavla/", f"/anslagstavla/{slug}/", "/anslagstavla/arkiv/",
        f"/anslagstavla/anslag/{live_data['notice'].pk}/", "/protokoll/", f"/protokoll/{slug}/",
        f"/protokoll/{slug}/{m.date.year}/", f"/protokoll/{slug}/{m.date.year}/{m.pk}/",
        "/sok/", f"/sok/?q={PUBLIC_WORD}", "/sok/?q=ingenting+alls", "/tillganglighet/",
        f"/prenumerera/?forbund={slug}", f"/prenumerera/bekrafta/{live_data['subscription'].token}/",
        f"/avprenumerera/{live_data['subscription'].token}/",
    ]


def test_every_public_page_passes_axe(live_server, page, board, live_data):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in public_paths(board, live_data):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "sv"
        results = axe.run(page, options=AXE_RULES)
        assert results.response["passes"], path  # axe really ran
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
        # Headings in order: one h1, and no level skipped on the way down.
        levels = [int(tag[1]) for tag in page.eval_on_selector_all("main h1, main h2, main h3, main h4",
                                                                     "els => els.map(e => e.tagName)")]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_the_secretary_pages_pass_axe_with_errors_shown(live_server, page, board, live_data, secretary):
    from axe_playwright_python.sync_playwright import Axe

    page.context.add_cookies([_session_cookie(live_server, secretary)])
    axe = Axe()
    page.goto(f"{live_server.url}/forbund/{board.organisation.slug}/anslag/")
    assert axe.run(page, options=AXE_RULES).violations_count == 0
    page.goto(f"{live_server.url}/anslag/{live_data['notice'].pk}/anslagsdag/")
    page.get_by_label("Datum för anslags uppsättande").fill((timezone.localdate() + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "senast andra dagen efter justeringen" in page.inner_text("main")
    results = axe.run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()


def _session_cookie(live_server, user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    return {"name": "sessionid", "value": cookie.value, "url": live_server.url}


def test_the_board_works_by_keyboard_and_without_javascript(live_server, browser, board, live_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/anslagstavla/")
    # The first Tab reaches the skip link, which is visible with a visible focus outline.
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    # Choose an association with the keyboard only; the form works without JavaScript.
    page.locator("#id_forbund").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#id_forbund").select_option(board.organisation.slug)
    page.locator(".filter button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/anslagstavla/{board.organisation.slug}/")
    assert live_data["notice"].title in page.inner_text("main")
    # Search by keyboard, without JavaScript, finds the paragraph with the word marked.
    page.goto(f"{live_server.url}/sok/")
    page.locator("#id_q").fill(PUBLIC_WORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("ol.results mark").first.inner_text().lower() == PUBLIC_WORD
    context.close()


PHONE = {"width": 375, "height": 800}

# For every ISO date in the element's text: on how many lines it is drawn.
DATE_LINES = """(el) => {
  const lines = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      lines.push(new Set([...range.getClientRects()].map(r => Math.round(r.top))).size);
    }
  }
  return lines;
}"""


def test_a_date_in_a_notice_heading_is_never_broken_across_lines(live_server, page, board, live_data):
    page.goto(f"{live_server.url}/anslagstavla/anslag/{live_data['notice'].pk}/")
    for width in range(300, 1000, 6):  # phones to desktops: wherever the heading wraps
        page.set_viewport_size({"width": width, "height": 800})
        lines = page.locator("main h1").evaluate(DATE_LINES)
        assert lines and all(n == 1 for n in lines), (width, lines)
        for heading in page.locator("main h1, main h2, main h3").all():
            assert all(n == 1 for n in heading.evaluate(DATE_LINES)), (width, heading.inner_text())


def test_the_public_pages_fit_a_phone_screen(live_server, page, board, live_data):
    page.set_viewport_size(PHONE)
    slug = board.organisation.slug
    for path in ["/", *public_paths(board, live_data), "/verifiera/", f"/forbund/{slug}/"]:
        page.goto(f"{live_server.url}{path}")
        # Nothing wider than the screen: no sideways scrolling, no text cut off at the edge.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
