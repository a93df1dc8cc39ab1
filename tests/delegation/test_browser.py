"""The delegation pages in Debian's Chromium (issue 20): axe finds nothing on the order, a line's
form (with its errors shown), the register with its notice-day field and a new decision's form; and
the förbundschef's notice of an appealable decision goes up on the day chosen, by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from minutes.models import Notice
from tests.minutes.test_editor_browser import axe_clean, login, watch_console

from .conftest import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_delegation_pages_pass_axe_and_a_notice_goes_up_on_the_day_chosen(
    live_server, page: Page, org, line, director,
):
    errors = watch_console(page)
    decision = record(org, line, director, matter="Avslag på ansökan", appealable=True,
                      decided_on=timezone.localdate() - dt.timedelta(days=2))
    login(page, live_server, "forbundschef")
    base = f"{live_server.url}/forbund/{org.slug}"
    page.goto(f"{base}/delegationsordning/")
    axe_clean(page, "order")
    page.get_by_role("link", name="Ändra eller avsluta punkt 3.2").click()
    expect(page.get_by_text("kan punkten bara avslutas")).to_be_visible()
    expect(page.get_by_label("Ärende")).to_be_disabled()
    page.get_by_label("Gäller till och med").fill(f"{decision.decided_on - dt.timedelta(days=1):%Y-%m-%d}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("link", name="Gäller till och med: Punkt 3.2 har beslut till och med")).to_be_visible()
    expect(page.locator("#id_valid_to_error")).to_contain_text("den kan inte upphöra före dess")
    # The product's one error summary (templates/forms/form.html) has the focus when the page loads,
    # and the field names its error for a screen reader.
    expect(page.get_by_role("alert").filter(has_text="Formuläret innehåller fel")).to_be_focused()
    assert "id_valid_to_error" in page.get_by_label("Gäller till och med").get_attribute("aria-describedby")
    axe_clean(page, "line form with its error")
    page.goto(f"{base}/delegationsbeslut/nytt/")
    axe_clean(page, "new decision")
    page.goto(f"{base}/delegationsbeslut/")
    axe_clean(page, "register")
    day = timezone.localdate() + dt.timedelta(days=3)
    field = page.get_by_label("Anslagsdag")
    assert field.get_attribute("min") == f"{timezone.localdate():%Y-%m-%d}"
    field.fill(f"{day:%Y-%m-%d}")
    field.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Beslutet är anslaget")).to_be_visible()
    notice = Notice.objects.get(kind=Notice.Kind.DELEGATION)
    assert notice.posted_on == day, notice.posted_on
    assert errors == [f"422 {base}/delegationsordning/{line.pk}/"], errors  # the refused end date
