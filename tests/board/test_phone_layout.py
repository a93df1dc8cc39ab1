"""On a phone (375 px wide) no page of the association runs off the screen: long Swedish
compounds in headings wrap, facts stack, and wide tables scroll inside their own box instead
of the page. Walked in Debian's Chromium with the demo data, as the secretary and the
förbundschef use it. (The public pages: tests/public/test_browser.py.)"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from board.demo.data import PASSWORD
from board.models import Person
from finance.models import BudgetLine
from interventions.models import Intervention
from minutes.models import Meeting

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _pages() -> dict[str, list[str]]:
    m = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date=dt.date(2023, 11, 2)).pk
    intervention = Intervention.objects.filter(organisation__slug="vastmanland").order_by("pk").first()
    assert intervention is not None
    line = BudgetLine.objects.filter(budget__organisation__slug="vastmanland", budget__year=2024).first()
    assert line is not None
    person = Person.objects.get(first_name="Ann", last_name="Rilegård").pk
    return {
        "sekreterare": [
            "/mina-forbund/", "/sammantraden/", "/forbund/", "/forbund/vastmanland/",
            "/forbund/norra-vastmanland/sammantraden/", f"/sammantraden/{m}/", f"/sammantraden/{m}/protokoll/",
            f"/sammantraden/{m}/protokoll/forhandsvisning/", f"/sammantraden/{m}/justering/",
            f"/sammantraden/{m}/justering/historik/", "/forbund/norra-vastmanland/anslag/",
            f"/personer/{person}/", "/forbund/vastmanland/historik/", "/forbund/vastmanland/uppdrag/",
            "/forbund/vastmanland/insatser/", f"/forbund/vastmanland/insatser/{intervention.pk}/",
        ],
        "forbundschef": [
            "/forbund/vastmanland/budget/", "/forbund/vastmanland/budget/2024/",
            f"/forbund/vastmanland/budget/2024/rad/{line.code}/", "/forbund/vastmanland/budget/2024/utfall/",
            "/forbund/vastmanland/budget/2024/version/", "/forbund/vastmanland/medlemsinsats/2024/",
        ],
    }


def test_no_page_of_the_association_is_wider_than_a_phone(live_server, page, demo):
    page.set_viewport_size(PHONE)
    too_wide = []
    for username, paths in _pages().items():
        _login(page, live_server, username)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (username, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((path, width))
    assert too_wide == []

