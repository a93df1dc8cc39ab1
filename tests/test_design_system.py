"""Every page on the design system, and axe clean in Chromium, also in its form's error state
(issue 21, points 4 and 5).

The pages come from the URL resolver, as in tests/test_access.py, with the same objects (its
`world`): each HTML page is asked for by the first of the association's people who may see it
(the secretary, the förbundschef, the chair, a member, then the anonymous reader). A page must
stand on GOV.UK Frontend (static/vendor/govuk-frontend/, design/samordna.scss): its stylesheet
and header, and for every button, table and form control the design system's class, so a new
template written with bare markup fails here with its name. The browser test then runs axe on
every one of those pages, signed in as the same person.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from django.test import Client

from tests.test_access import _unfillable, _url, endpoints, world  # noqa: F401 (world is a fixture)

# Answers that are files, feeds or data, not pages.
NOT_PAGES = ("application/pdf", "application/zip", "text/calendar", "application/atom", "application/json",
             "text/plain", "application/vnd", "application/xml", "text/xml", "text/csv", "image/")
BUTTON_CLASSES = ("govuk-button", "app-link-button", "govuk-service-navigation__toggle", "ql-")
CONTROL_CLASSES = {
    "table": ("govuk-table",),
    "select": ("govuk-select",),
    "textarea": ("govuk-textarea",),
    "dialog": ("app-dialog",),
}
# Every page of these must be among those checked (a broken world would otherwise check few).
KEY_PAGES = {
    "public:board", "public:minutes_index", "public:search", "login", "board:dashboard", "minutes:meetings",
    "minutes:editor", "minutes:justering", "minutes:my_room", "finance:budget", "interventions:detail",
    "minutes:delegation_register", "board:document_status",
}


def _people(secretary, director, chair, member) -> list[tuple[str, Any]]:
    return [("sekreterare", secretary), ("forbundschef", director), ("ordforande", chair),
            ("ledamot", member), ("anonym", None)]


def _clients(people) -> dict[str, Client]:
    """A test client signed in as each of `people` (the anonymous one not signed in), in their order."""
    clients = {}
    for who, user in people:
        clients[who] = Client()
        if user is not None:
            clients[who].force_login(user)
    return clients


def html_pages(objects: dict[str, Any], org, people) -> list[tuple[str, str, str, str]]:
    """(URL name, url, who, html) of every page some of the association's people may GET."""
    clients = _clients(people)
    found = []
    for endpoint in endpoints():
        if endpoint.is_api or endpoint.is_admin or _unfillable(endpoint) or endpoint.name is None:
            continue
        url = _url(endpoint, objects, org)
        for who, client in clients.items():
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code == 200 and kind.startswith("text/html") and not kind.startswith(NOT_PAGES):
                found.append((endpoint.name, url, who, response.content.decode()))
                break
    return found


def error_pages(pages: list[tuple[str, str, str, str]], people) -> list[tuple[str, str, str, str]]:
    """The same pages with their form sent empty, where that answers with the form again and
    its error summary: every form's error state. (Sent after every page was read, so what an
    empty form does cannot change the pages above.)"""
    clients = _clients(people)
    found = []
    for name, url, who, html in pages:
        if 'method="post"' not in html or "<html" not in html:
            continue
        response = clients[who].post(url, {"csrfmiddlewaretoken": "-"})  # what a browser sends for an empty form
        body = response.content.decode()
        if response.status_code in (200, 400, 422) and "govuk-error-summary" in body:
            found.append((name, url, who, body))
    return found


def _classes(tag: str) -> str:
    match = re.search(r'\sclass="([^"]*)"', tag)
    return match.group(1) if match else ""


def design_problems(html: str) -> list[str]:
    """What in `html` is not on the design system."""
    problems = []
    if leaked := re.findall(r"\{[#%].{0,40}", html):  # a comment or tag the template language did not read
        problems.append(f"template syntax in the page: {leaked[:2]}")
    if "<html" in html:  # a whole page, not an HTMX fragment
        for needed in ("vendor/govuk-frontend/samordna.css", "govuk-template__body", "govuk-service-navigation",
                       "govuk-main-wrapper", "govuk-footer"):
            if needed not in html:
                problems.append(f"no {needed}")
    if nested := re.findall(r'class="govuk-form-group[^"]*">\s*<div class="govuk-form-group', html):
        problems.append(f"a form group inside a form group ({len(nested)})")  # a field laid out twice
    for tag in re.findall(r"<button\b[^>]*>", html):
        if not any(c in _classes(tag) for c in BUTTON_CLASSES):
            problems.append(f"bare button {tag}")
    for element, classes in CONTROL_CLASSES.items():
        for tag in re.findall(rf"<{element}\b[^>]*>", html):
            if not any(c in _classes(tag) for c in classes):
                problems.append(f"bare {element} {tag}")
    for tag in re.findall(r"<input\b[^>]*>", html):
        kind = re.search(r'\stype="([^"]*)"', tag)
        if kind and kind.group(1) in ("hidden", "submit", "checkbox", "radio"):
            continue  # a checkbox or radio of GOV.UK's needs its label's markup; native ones are allowed
        if not any(c in _classes(tag) for c in ("govuk-input", "govuk-file-upload")):
            problems.append(f"bare input {tag}")
    for tag in re.findall(r"<(?:td|th)\b[^>]*>", html):
        if "govuk-table__" not in _classes(tag):
            problems.append(f"bare cell {tag}")
    return problems


@pytest.fixture
def pages(request, org, secretary, director, chair, member):
    return html_pages(request.getfixturevalue("world"), org, _people(secretary, director, chair, member))


def test_every_page_stands_on_the_design_system(pages):
    checked = {name for name, *_ in pages}
    assert not KEY_PAGES - checked, f"not checked: {sorted(KEY_PAGES - checked)}"
    assert len(pages) >= 70, len(pages)  # 77 when this was written
    problems = {f"{name} {url} ({who})": p for name, url, who, html in pages if (p := design_problems(html))}
    assert not problems, "\n".join(f"{page}: {p[:3]}" for page, p in problems.items())


def test_every_forms_error_state_stands_on_the_design_system(pages, secretary, director, chair, member):
    errors = error_pages(pages, _people(secretary, director, chair, member))
    assert len(errors) >= 20, [name for name, *_ in errors]  # 23 when this was written
    problems = {f"{name} {url} ({who})": p for name, url, who, html in errors if (p := design_problems(html))}
    assert not problems, "\n".join(f"{page}: {p[:3]}" for page, p in problems.items())


def test_the_check_finds_bare_markup():
    """The rule above fails for what it is meant to catch."""
    page = ('<html><link href="/static/vendor/govuk-frontend/samordna.css"><body class="govuk-template__body">'
            '<section class="govuk-service-navigation"></section><main class="govuk-main-wrapper">'
            '<footer class="govuk-footer"></footer>')
    assert design_problems(page) == []
    assert design_problems(page + "<button type=submit>Spara</button>")
    assert design_problems(page + "<table><tr><td>1</td></tr></table>")
    assert design_problems(page + '<input type="text" name="q">')
    assert design_problems(page + '<select name="x"></select>')
    assert design_problems(page + "<dialog open>Säker?</dialog>")
    assert design_problems(page + '<div class="govuk-form-group field"><div class="govuk-form-group field">')
    assert design_problems("<html><body><main>bare page</main></body></html>")
    assert design_problems(page + "{# a comment over two lines\n #}")
    assert design_problems(page + '<input type="hidden" name="v"><button class="govuk-button">OK</button>') == []


def _answer_with(route, request, *, body: str) -> None:
    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_in_chromium(live_server, page, request, org, secretary, director, chair, member):
    """axe (WCAG 2.1 A and AA) on every page above, in Debian's Chromium with its scripts
    running, as the person the page was checked for."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.minutes.test_editor_browser import AXE_TAGS

    people = _people(secretary, director, chair, member)
    found = html_pages(request.getfixturevalue("world"), org, people)
    sessions = {who: client.cookies["sessionid"].value
                for who, client in _clients(people).items() if "sessionid" in client.cookies}
    axe = Axe()
    failures = []
    checked = 0
    for name, url, who, html in found:
        if "<html" not in html:
            continue  # an HTMX fragment is checked inside its page
        checked += 1
        page.context.clear_cookies()
        if who in sessions:
            page.context.add_cookies([{"name": "sessionid", "value": sessions[who], "url": live_server.url}])
        page.goto(f"{live_server.url}{url}")
        results = axe.run(page, options={"runOnly": AXE_TAGS})
        if results.violations_count:
            failures.append(f"{name} {url} ({who})\n{results.generate_report()}")
    assert checked >= 60, checked
    # Every form's error state (error_pages): the page the server answered, loaded at its own
    # address so its styles and scripts run as they do after a real submit.
    errors = error_pages(found, people)
    for name, url, who, html in errors:
        page.context.clear_cookies()
        page.route(f"{live_server.url}{url}", functools.partial(
            _answer_with, body=html))
        page.goto(f"{live_server.url}{url}")
        page.unroute(f"{live_server.url}{url}")
        assert page.locator(".govuk-error-summary").is_visible(), (name, url)
        results = axe.run(page, options={"runOnly": AXE_TAGS})
        if results.violations_count:
            failures.append(f"error state of {name} {url} ({who})\n{results.generate_report()}")
    assert len(errors) >= 20, len(errors)
    assert not failures, "\n\n".join(failures)
