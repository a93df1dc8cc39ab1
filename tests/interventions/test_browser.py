"""In Debian's Chromium: the secretary registers a supplementary request, puts it on the
board's agenda, records the board's decision (less than asked) and sees the intervention's
budget revised; the intervention pages pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from interventions.services.follow_up import follow_up_record, indicator_define
from interventions.services.supplementary import request_register
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_url(f"**{next_url}")


def _text(locator) -> str:
    return locator.inner_text().replace("\u00a0", " ").strip()


def test_secretary_registers_a_request_and_the_decision_revises_the_budget(
    live_server, page, transactional_db, secretary, intervention, meeting
):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    url = intervention.get_absolute_url()
    _login(page, live_server, "sekreterare", url)
    # The intervention's parts are tabs (GOV.UK Frontend): the first is open, the others hidden.
    budget_cell = page.locator("#finansiering-2024-prov td.budget")
    expect(budget_cell).to_be_hidden()
    page.get_by_role("tab", name="Finansiering").click()
    expect(budget_cell).to_be_visible()
    assert _text(budget_cell) == "-1 700 000 kr"

    page.get_by_role("link", name="Registrera tilläggsäskande").click()
    page.get_by_label("Budgetår").fill("2024")
    page.get_by_label("Äskat belopp (kr)").fill("147424")
    page.get_by_label("Inkom").fill("2024-02-20")
    page.get_by_label("Skäl").fill("Personalkostnaderna blev högre än budgeterat.")
    page.get_by_role("button", name="Registrera äskandet").click()
    page.wait_for_url(f"**{url}#tillaggsaskanden")
    # Back on the page the form returned to its own tab.
    expect(page.get_by_role("tab", name="Tilläggsäskanden")).to_have_attribute("aria-selected", "true")
    request = page.locator("article.request").first
    assert "Inkommen" in _text(request)

    request.get_by_label("Sammanträde").select_option(str(meeting.pk))
    request.get_by_role("button", name="Sätt på dagordningen").click()
    page.wait_for_url(f"**{url}#*")
    request = page.locator("article.request").first
    assert "På dagordning" in _text(request)
    assert "Tilläggsäskande 2024 Samordningsteam A" in _text(request)

    # The board grants less than asked.
    request.get_by_label("Beviljat belopp (kr)").fill("120000")
    request.get_by_role("button", name="Protokollför styrelsens beslut").click()
    page.wait_for_url(f"**{url}#*")
    request = page.locator("article.request").first
    trail = _text(request)
    assert "Delvis beviljad" in trail
    assert "beviljat 120 000 kr av äskade 147 424 kr" in trail
    assert "Budgetrevidering" in trail and "PRV §" in trail
    page.get_by_role("tab", name="Finansiering").click()
    assert _text(page.locator("#finansiering-2024-prov td.budget")) == "-1 820 000 kr"
    assert _text(page.locator("#finansiering-2024-prov td.deviation")) == "0 kr"
    assert violations == []


def test_intervention_pages_pass_axe(live_server, page, transactional_db, secretary, intervention, meeting):
    from axe_playwright_python.sync_playwright import Axe

    follow_up_record(intervention=intervention, period_start=dt.date(2024, 1, 1),
                              period_end=dt.date(2024, 4, 30), enrolled=10, new=5, closed=3, steps_work=4,
                              actor=secretary)
    indicator_define(intervention=intervention, name="Andel med steg", target=60,
                              source="stegforflyttning", actor=secretary)
    request_register(intervention=intervention, year=2024, amount=1000, reason="x",
                              received_on=dt.date(2024, 2, 1), actor=secretary)
    base = "/forbund/prov"
    _login(page, live_server, "sekreterare", f"{base}/insatser/")
    axe = Axe()
    for path in [f"{base}/insatser/", f"{base}/insatser/ny/", intervention.get_absolute_url(),
                 f"{base}/insatser/{intervention.pk}/andra/", f"{base}/insatser/{intervention.pk}/uppfoljning/",
                 f"{base}/insatser/{intervention.pk}/tillaggsaskande/ny/", f"{base}/uppdrag/?status=alla"]:
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
        assert results.response["passes"], path
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
    # Every tab of the intervention's page, each in its open state.
    page.goto(f"{live_server.url}{intervention.get_absolute_url()}")
    for tab in ("Uppgifter", "Finansiering", "Tilläggsäskanden", "Beslut", "Styrgrupp", "Dokument"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel")).to_be_visible()
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
        assert results.violations_count == 0, f"tab {tab}\n{results.generate_report()}"
