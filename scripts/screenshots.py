"""Screenshots of the main pages at 1366 and 360 px, for a note or a review of the look.

    make run                                   # the demo in another terminal (or any server on the demo data)
    uv run python scripts/screenshots.py var/screenshots/after [--url http://127.0.0.1:8000]

Signs in as the demo's people (`manage.py load_demo`, password samordna-demo) in Debian's
Chromium and saves one full-page PNG per page and width: <name>-1366.png, <name>-360.png.
The pages are looked up in DATABASE_URL's demo data, so run it on the server's database.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from collections.abc import Callable  # noqa: E402

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from board.models import Organisation  # noqa: E402
from finance.models import Budget  # noqa: E402
from interventions.models import Intervention  # noqa: E402
from minutes.models import Meeting  # noqa: E402

PASSWORD = "samordna-demo"
WIDTHS = (1366, 360)


Shot = tuple[str, str | None, str, Callable[[Page], None] | None]


def _submit_empty(page: Page) -> None:
    """A form sent empty: its error summary and messages."""
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


def _ask_to_delete_an_agenda_item(page: Page) -> None:
    """The confirmation dialog (base.html), over the kallelse."""
    page.locator("main details summary", has_text="Ändra punkten").first.click()
    page.get_by_role("button", name="Ta bort punkten").first.click()
    page.locator("#app-confirm").wait_for(state="visible")


def pages() -> list[Shot]:
    """(name, demo user or None for the public, path, what to do on the page first)."""
    org = Organisation.objects.get(slug="vastmanland")
    drafting = Meeting.objects.filter(organ__organisation=org).order_by("-date").first()
    budget = Budget.objects.filter(organisation=org).order_by("-year").first()
    found: list[Shot] = [
        ("anslagstavla", None, "/anslagstavla/", None),
        ("protokoll", None, "/protokoll/", None),
        ("sok", None, "/sok/?q=insats", None),
        ("logga-in", None, "/konto/logga-in/", None),
        ("mina-forbund", "sekreterare", "/mina-forbund/", None),
        ("forbund", "sekreterare", f"/forbund/{org.slug}/", None),
        ("sammantraden", "sekreterare", f"/forbund/{org.slug}/sammantraden/", None),
        ("nytt-sammantrade-fel", "sekreterare", f"/forbund/{org.slug}/sammantraden/nytt/", _submit_empty),
        ("anslag", "sekreterare", f"/forbund/{org.slug}/anslag/", None),
        ("mitt-sammantrade", "ledamot", "/mitt-sammantrade/", None),
        ("insatser", "forbundschef", f"/forbund/{org.slug}/insatser/", None),
        ("delegationsbeslut", "forbundschef", f"/forbund/{org.slug}/delegationsbeslut/", None),
    ]
    if drafting is not None:
        found += [
            ("kallelse", "sekreterare", f"/sammantraden/{drafting.pk}/", None),
            ("protokoll-editor", "sekreterare", f"/sammantraden/{drafting.pk}/protokoll/", None),
            ("justering", "sekreterare", f"/sammantraden/{drafting.pk}/justering/", None),
        ]
        if drafting.is_editable and drafting.agenda_items.exists():
            found.append(("bekrafta-borttagning", "sekreterare", f"/sammantraden/{drafting.pk}/",
                          _ask_to_delete_an_agenda_item))
    intervention = Intervention.objects.filter(organisation=org).order_by("pk").first()
    if intervention is not None:
        found.append(("insats", "forbundschef", intervention.get_absolute_url(), None))
    if budget is not None:
        found.append(("budget", "forbundschef", f"/forbund/{org.slug}/budget/{budget.year}/", None))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        contexts = {}
        for name, user, path, action in pages():
            if user not in contexts:
                contexts[user] = browser.new_context()
                if user is not None:
                    page = contexts[user].new_page()
                    page.goto(f"{args.url}/konto/logga-in/")
                    page.get_by_label("Användarnamn").fill(user)
                    page.get_by_label("Lösenord").fill(PASSWORD)
                    page.get_by_role("button", name="Logga in").click()
                    page.wait_for_load_state()
                    page.close()
            page = contexts[user].new_page()
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{args.url}{path}")
                page.wait_for_load_state("networkidle")
                if action is not None:
                    action(page)
                target = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
