"""In Debian's Chromium: the API docs render under our CSP, offline, with no violations."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_docs_render_under_the_csp_without_violations(live_server, page):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    external: list[str] = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(live_server.url)
            and not req.url.startswith("data:") else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .information-container .title", timeout=15000)
    assert "Samordna API" in page.inner_text("#swagger-ui .information-container .title")
    page.wait_for_selector('[data-path="/api/v1/organisations/{slug}/appointments"]', state="attached")
    assert violations == []
    assert external == []  # works offline: everything from our own static files


def _login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def test_registry_pages_pass_axe_and_the_form_works_by_keyboard(live_server, page, board, secretary, member):
    from axe_playwright_python.sync_playwright import Axe

    from tests.conftest import PASSWORD

    _login(page, live_server, "sekreterare", PASSWORD)
    org = board.organisation
    urls = [
        "/", "/forbund/", f"/forbund/{org.slug}/", f"/forbund/{org.slug}/historik/",
        f"/personer/{member.person.pk}/", "/mina-forbund/", f"/forbund/{org.slug}/uppdrag/nytt/",
    ]
    axe = Axe()
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
        assert results.response["passes"], url  # axe really ran
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    # The form's errors are announced in Swedish and the page still passes axe.
    page.goto(f"{live_server.url}/forbund/{org.slug}/tjansteroller/ny/")
    page.get_by_label("Person").select_option(index=1)
    page.get_by_label("Från och med").fill("2024-01-01")
    page.get_by_label("Till och med").fill("2023-01-01")
    with page.expect_navigation():
        page.get_by_label("Till och med").press("Enter")
    assert "Slutdatum måste vara efter startdatum." in page.inner_text("main")
    assert axe.run(page).violations_count == 0
