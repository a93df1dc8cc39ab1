"""In Debian's Chromium: the förbundschef changes the forecast of Samordningsteam FNS in place
and sees the deviation and SUMMA change, then the change in the forecast history."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from board.models import StaffRole
from finance.demo import loader as demo
from finance.services.budgets import budget_version_create
from tests.conftest import PASSWORD
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def director_vastmanland(transactional_db):
    demo.load(stdout=io.StringIO())
    from board.models import Organisation

    user = UserFactory(username="chefen")
    StaffRoleFactory(organisation=Organisation.objects.get(slug="vastmanland"), person=PersonFactory(user=user),
                     role=StaffRole.Role.DIRECTOR, start=dt.date(2024, 1, 1))
    return user


def test_director_updates_a_forecast_and_sees_the_deviation_change(live_server, page, director_vastmanland):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/konto/logga-in/?next=/forbund/vastmanland/budget/2024/")
    page.fill("input[name=username]", "chefen")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_url("**/forbund/vastmanland/budget/2024/")

    row = page.locator("#rad-samordningsteam-fns")
    assert row.locator("[data-col=avvikelse]").inner_text().replace("\u00a0", " ").endswith("100 000")
    summa = page.locator("#resultat [data-col=avvikelse]")
    assert summa.inner_text().replace("\u00a0", " ") == "241 671"

    row.get_by_role("link", name="Ändra prognos för Samordningsteamet FNS").click()
    amount = page.get_by_label("Prognos helår (kr)")
    amount.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'amount'")
    assert amount.input_value().replace("\u00a0", " ") in ("-1425000.00", "-1 425 000", "-1425000")
    amount.fill("-1 400 000")
    page.get_by_label("Kommentar", exact=True).fill("Ytterligare vakans under hösten.")
    page.get_by_role("button", name="Spara prognos").click()

    page.wait_for_function(
        "() => document.querySelector('#resultat [data-col=avvikelse]').textContent.replace(/\\u00a0/g, ' ').trim() === '266 671'"
    )
    # Keyboard users are put back on the row they edited.
    page.wait_for_function("() => document.activeElement.closest('tr')?.id === 'rad-samordningsteam-fns'")
    fns = page.locator("#rad-samordningsteam-fns")
    assert fns.locator("[data-col=avvikelse]").inner_text().replace("\u00a0", " ").endswith("125 000")
    assert fns.locator("[data-col=prognos]").inner_text().replace("\u00a0", " ") == "-1 400 000"
    assert page.locator("#resultat [data-col=prognos]").inner_text().replace("\u00a0", " ") == "-1 678 329"

    fns.get_by_role("link", name="Samordningsteamet FNS", exact=True).click()
    history = page.get_by_role("table", name="Alla prognoser för raden, den senaste först")
    first_row = history.locator("tbody tr").first.inner_text().replace("\u00a0", " ")
    assert "-1 400 000" in first_row and "Ytterligare vakans" in first_row
    assert director_vastmanland.person.full_name in first_row and "chefen" not in first_row  # the person, not the login
    assert "-1 425 000" in history.locator("tbody tr").nth(1).inner_text().replace("\u00a0", " ")
    assert violations == []


def test_finance_pages_pass_axe(live_server, page, director_vastmanland):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("input[name=username]", "chefen")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_load_state()
    base = "/forbund/vastmanland"
    urls = [
        f"{base}/budget/", f"{base}/budget/2024/", f"{base}/budget/2024/rad/samordningsteam-fns/",
        f"{base}/budget/2024/utfall/?datum=2024-08-31", f"{base}/budget/2024/import/", f"{base}/budget/2024/version/",
        f"{base}/budget/ny/", f"{base}/budget/installningar/", f"{base}/medlemsinsats/2024/",
        f"{base}/medlemsinsats/2024/andra/",
        "/forbund/vasteras/budget/2022/",
    ]
    from finance.models import Budget

    budget = Budget.objects.get(organisation__slug="vastmanland", year=2024)
    draft = budget_version_create(budget=budget, label="Utkast till revidering", amounts={}, actor=None)
    urls.append(f"{base}/budget/2024/version/{draft.pk}/anta/")
    axe = Axe()
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
        assert results.response["passes"], url
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    # The forecast form opened in place in the table also passes.
    page.goto(f"{live_server.url}{base}/budget/2024/")
    page.get_by_role("link", name="Ändra prognos för Samordningsteam Sala").click()
    page.get_by_label("Prognos helår (kr)").wait_for()
    assert axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa"]}).violations_count == 0


def test_the_budget_page_fits_a_phone_screen(live_server, page, director_vastmanland):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/konto/logga-in/?next=/forbund/vastmanland/budget/2024/")
    page.fill("input[name=username]", "chefen")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_url("**/forbund/vastmanland/budget/2024/")
    # The heading's text, not only its box: "Samordningsförbundet" must not run off the screen.
    right = page.locator("main h1").evaluate(
        "h => { const r = document.createRange(); r.selectNodeContents(h);"
        " return Math.max(...[...r.getClientRects()].map(x => x.right)); }"
    )
    assert right <= 375
    # The wide table scrolls inside its own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
