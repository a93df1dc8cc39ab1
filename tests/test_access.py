"""Who may not get in, for every page and every API operation: generated from the URL resolver.

Every URL pattern Django resolves (the pages, django-admin, and /api/v1/ with the methods its
OpenAPI document declares) is called by an anonymous client and by an outsider (the secretary
of another association, with a session for the pages and an API key for the API). Each must
turn them away: a redirect to a login page, 401, 403, 404 or 405, never a 2xx, another
redirect or a 5xx. The pages get GET and POST (without a body: the refusal must come before
the form), the API every method its document declares.

Path parameters are the ids of real objects of the `board` association (a meeting with its
agenda, documents, paragraphs and votes, justerade minutes with an upplåsning, a notice, a
budget, an intervention ...), chosen by the path segment before the parameter. Keyed on URL
names and paths, never on the Python modules of the views.

Open pages are listed with the reason they are open: PUBLIC_PAGES, PUBLIC_API and
PUBLIC_ROUTES for everyone, OWN_PAGES for any logged-in user about themselves. A pattern that
is in none of them and whose parameters FILL cannot fill fails
`test_every_page_and_operation_is_public_or_covered` with its name: a new view gets its access
test by being here, or the suite says it has none. The API bodies are the smallest the
operation's schema accepts, so an outsider's request reaches the operation's own check.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from board.models import ApiToken, Appointment, Organisation
from config.api import api
from finance.imports import outcome_import_start
from finance.models import BudgetGroup
from finance.services.budgets import budget_create, budget_line_add, budget_version_create
from interventions.action_items import action_item_create
from interventions.models import Intervention
from interventions.services.registry import (
    document_add,
    funding_link,
    intervention_create,
    steering_member_add,
)
from interventions.services.supplementary import request_register
from minutes.delegation import services as delegation
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.models import ArchivePackage, Notice
from minutes.notices import services as notices
from tests.justering.conftest import build_minutes, sign

API_PREFIX = "api/v1/"

# Open to everyone by design, with why. Pages by URL name; API operations by method and path.
PUBLIC_PAGES: dict[str, str] = {
    "healthz": "monitoring: up or down per service, no data",
    "login": "the login form",
    "logout": "logging out asks nothing of who is logged in",
    "set_language": "Django's language switch, a cookie",
    "admin:login": "django-admin's login form",
    "admin:logout": "django-admin's logout: without a session it sends to the admin's index",
    "board:person": "who a person is and the seats they held, public by law; contact details only to insiders",
    "board:home": "start page: the list of associations",
    "board:organisations": "the associations, public by law",
    "board:organisation": "the board of an association on a date, public by law",
    "board:verify": "anyone checks whether a PDF was issued by us (verifiera)",
    "public:board": "the notice board (anslagstavla), a legal duty to publish",
    "public:board_org": "the notice board of one association",
    "public:feed": "Atom feed of the notice board",
    "public:archive": "notices taken down, with their dates",
    "public:notice": "one notice on the board",
    "public:notice_attachment": "a notice's attachment, published with it",
    "public:minutes_index": "the public archive of justerade minutes",
    "public:minutes_years": "the public archive of one association",
    "public:minutes_year": "one year of the public archive",
    "public:minutes_detail": "justerade minutes as the public may read them (OSL masked)",
    "public:search": "search in the public minutes",
    "public:calendar": "calendar of upcoming meetings",
    "public:accessibility": "the accessibility statement and its feedback form (anyone may send)",
    "public:robots": "robots.txt for search engines",
    "public:sitemap": "the sitemap of indexable public pages",
    "minutes:subscribe": "anyone may ask for the notice board by e-mail (double opt-in, rate-limited)",
    "minutes:subscription_confirm": "the link mailed to the address: its secret token is the key",
    "minutes:unsubscribe": "the link in every subscription mail (RFC 8058 one-click): its secret token is the key",
    "api:openapi-json": "the API's OpenAPI document",
    "api:openapi-view": "the API's documentation page",
    "api:api-root": "the API's root",
}
# Pages of whoever is logged in, about themselves: the anonymous are sent to log in, the
# outsider sees their own (tested with the views).
OWN_PAGES: dict[str, str] = {
    "board:dashboard": "the user's own associations and roles",
    "minutes:my_meetings": "the user's own meetings",
    "minutes:my_room": "the coming meetings of the user's own seats",
    "minutes:notes_export": "the user's own private notes (none of anyone else's)",
    "board:two_factor": "the user's own authenticator app",
    "board:passkeys": "the user's own passkeys (list, remove)",
    "board:passkey_options": "options to add a passkey to the user's own account",
    "board:passkey_register": "adds a passkey to the user's own account",
    "minutes:eid_identify": "the user's own e-ID identification (tests/oidc/test_identify.py)",
    "minutes:justering_oidc_return": "the e-ID provider's return: acts only on a state the user's own session "
                                     "holds, else 403 (tests/oidc/test_justering.py)",
}
PUBLIC_API: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/organisations"): "the associations, as on the public pages",
    ("GET", "/api/v1/organisations/{slug}"): "one association, as on its public page",
    ("GET", "/api/v1/organisations/{slug}/board"): "the board on a date, public by law",
    ("GET", "/api/v1/member-organisations"): "the member organisations, public",
    ("GET", "/api/v1/organisations/{slug}/members"): "an association's members, public",
    ("POST", "/api/v1/verifiera"): "anyone checks an issued PDF",
    ("GET", "/api/v1/verifiera/{sha256}"): "anyone checks an issued PDF by its hash",
    **{
        ("GET", f"/api/v1/public/{name}"): "the public API (OParl-like) of the public pages"
        for name in ("bodies", "organizations", "persons", "meetings", "meetings/{pk}",
                     "agendaItems", "papers", "notices", "notices/{pk}")
    },
}
# Patterns without a name, by route.
PUBLIC_ROUTES: dict[str, str] = {
    "^media/(?P<path>.*)$": "DEBUG only (the development server serves uploads); never in production",
}

# Operations that name their object in the body, not the path: for an object the user may not
# see they answer as for one that does not exist, 422 on that field (no 403 that confirms it).
REFUSED_IN_BODY: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/meetings"): "organ_id",
}

# Path parameter -> the object it names, by the path segment before it and its own name.
FILL: dict[tuple[str, str], str] = {
    ("forbund", "slug"): "slug",
    ("organisations", "slug"): "slug",
    ("sammantraden", "pk"): "meeting",
    ("mitt-sammantrade", "pk"): "meeting",
    ("meetings", "pk"): "meeting",
    ("dagordning", "item_pk"): "agenda_item",
    ("agenda", "pk"): "agenda_item",
    ("handlingar", "doc_pk"): "meeting_document",
    ("documents", "pk"): "meeting_document",
    ("attendance", "pk"): "attendance",
    ("paragrafer", "para_pk"): "paragraph",
    ("narvaro", "person_pk"): "person",
    ("paragraphs", "pk"): "paragraph",
    ("utdrag", "para_pk"): "paragraph",
    ("omrostningar", "vote_pk"): "vote",
    ("votes", "pk"): "vote",
    ("paragrafer", "kind"): "child_kind",
    ("paragrafdelar", "kind"): "child_kind",
    ("paragrafdelar", "obj_pk"): "reservation",
    ("paragraphs", "kind"): "child_kind_api",
    ("paragraphs", "child_pk"): "reservation",
    ("upplasning", "unlock_pk"): "unlock",
    ("unlock", "unlock_id"): "unlock",
    ("pdf", "variant"): "variant",
    ("anslag", "pk"): "notice",
    ("arkivleverans", "pk"): "archive_package",
    ("arkivleverans", "fmt"): "archive_format",
    ("budget", "year"): "year",
    ("budgets", "year"): "year",
    ("medlemsinsats", "year"): "year",
    ("version", "pk"): "budget_version",
    ("versions", "number"): "budget_version_number",
    ("import", "pk"): "outcome_import",
    ("rad", "code"): "line_code",
    ("lines", "code"): "line_code",
    ("insatser", "pk"): "intervention",
    ("interventions", "pk"): "intervention",
    ("styrgrupp", "member_pk"): "steering_member",
    ("dokument", "document_pk"): "intervention_document",
    ("tillaggsaskande", "request_pk"): "request",
    ("uppdrag", "item_pk"): "action_item",
    ("action-items", "pk"): "action_item",
    ("uppdrag", "pk"): "appointment",
    ("appointments", "appointment_id"): "appointment",
    ("tjansteroller", "pk"): "staff_role",
    ("staff-roles", "staff_role_id"): "staff_role",
    ("personer", "pk"): "person",
    ("people", "person_id"): "person",
    ("forbundsmedlemmar", "pk"): "member_organisation",
    ("dokument", "pk"): "rendered_document",
    ("bankid", "order_ref"): "bankid_order",
    ("textmoduler", "pk"): "text_module",
    ("delegationsbeslut", "pk"): "delegation_decision",
    ("delegationsordning", "pk"): "delegation_line",
    ("text-modules", "pk"): "text_module",
}

ADMIN_PARAMETERS = {"object_id", "id", "pk", "app_label", "content_type_id", "url"}
LOGIN_PATHS = ("/konto/logga-in/", "/admin/login/")
REFUSED = {401, 403, 404, 405}


@dataclass(frozen=True)
class Endpoint:
    label: str  # the URL name, or the route of an unnamed pattern
    route: str  # the whole route, as the resolver has it
    name: str | None
    kwargs: tuple[str, ...]
    model_admin: Any = None

    @property
    def is_api(self) -> bool:
        return self.route.startswith(API_PREFIX)

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _kwargs_of(pattern: Any) -> list[str]:
    return list(pattern.regex.groupindex)  # a route's <converter:name> is a named group too


def endpoints() -> Iterator[Endpoint]:
    def walk(resolver: URLResolver, route: str, namespace: str, kwargs: list[str]) -> Iterator[Endpoint]:
        for entry in resolver.url_patterns:
            here = route + str(entry.pattern)
            names = kwargs + _kwargs_of(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, here, inner, names)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else None
                yield Endpoint(label=name or here, route=here, name=name, kwargs=tuple(names),
                               model_admin=getattr(entry.callback, "model_admin", None))

    yield from walk(get_resolver(), "", "", [])


def _segment_before(route: str, kwarg: str) -> str:
    """The last fixed segment of the route before the parameter: `meetings` for {pk} in
    meetings/<pk>/, `paragraphs` for {child_pk} in paragraphs/<pk>/<kind>/<child_pk>."""
    literal = ""
    for part in route.split("/"):
        if re.search(rf"<(?:\w+:)?{kwarg}>|\(\?P<{kwarg}>", part):
            return literal
        if "<" not in part and part:
            literal = part
    return ""


def _openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _api_methods() -> dict[str, list[str]]:
    return {path: [m.upper() for m in ops] for path, ops in api.get_openapi_schema()["paths"].items()}


def _guarded_methods(path: str, api_methods: dict[str, list[str]]) -> list[str]:
    return [method for method in api_methods[path] if (method, path) not in PUBLIC_API]


def _unfillable(endpoint: Endpoint) -> list[str]:
    if endpoint.is_admin:  # django-admin: see _admin_kwargs
        return [k for k in endpoint.kwargs if k not in ADMIN_PARAMETERS]
    return [k for k in endpoint.kwargs if (_segment_before(endpoint.route, k), k) not in FILL]


def test_every_page_and_operation_is_public_or_covered():
    """A pattern the generator cannot fill, or an API path the OpenAPI document does not
    declare, has no access test: it fails here, by name."""
    api_paths = _api_methods()
    missing: list[str] = []
    for endpoint in endpoints():
        if endpoint.label in PUBLIC_PAGES or endpoint.route in PUBLIC_ROUTES:
            continue
        if endpoint.is_api:
            if _openapi_path(endpoint.route) not in api_paths:
                missing.append(f"{endpoint.label} ({endpoint.route}): not in the OpenAPI document")
                continue
            if not _guarded_methods(_openapi_path(endpoint.route), api_paths):
                continue
        if unfillable := _unfillable(endpoint):
            missing.append(f"{endpoint.label} ({endpoint.route}): no object for {unfillable}; add it to FILL")
    for method, path in PUBLIC_API:
        assert method in api_paths.get(path, []), f"PUBLIC_API names {method} {path}, which is gone"
    known = {e.label for e in endpoints()}
    assert not ((set(PUBLIC_PAGES) | set(OWN_PAGES)) - known), "PUBLIC_PAGES or OWN_PAGES name URLs that are gone"
    assert not missing, "pages without an access test:\n" + "\n".join(missing)


# --- The objects the ids come from -------------------------------------------------------


@pytest.fixture
def world(board, org, secretary, director, chair, member, settings, tmp_path) -> dict[str, Any]:
    """One of everything a URL can name, in the `board` association."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    meeting = minutes_services.meeting_create(
        organ=board.organ, date=dt.date(2024, 3, 14), start_time=dt.time(9), place="Köping", actor=secretary,
    )
    item = minutes_services.agenda_item_add(meeting=meeting, title="Budget", dnr="PRV 2024/1", actor=secretary)
    document = minutes_services.document_add(
        meeting=meeting, title="Underlag", upload=SimpleUploadedFile("u.pdf", b"%PDF-1.7\n%%EOF\n"),
        agenda_item=item, paragraph=None, actor=secretary,
    )
    minutes_services.attendance_prefill(meeting=meeting, actor=secretary)
    minutes_services.minutes_start(meeting=meeting, actor=secretary)
    paragraph = meeting.paragraphs.order_by("position").last()
    vote = minutes_services.vote_record(
        paragraph=paragraph, yes_text="Bifall", no_text="Avslag",
        ballots={member.person: "ja", chair.person: "ja"}, actor=secretary,
    )
    reservation = minutes_services.reservation_add(paragraph=paragraph, person=member.person, actor=secretary)

    justered = build_minutes(board, secretary, chair, member, date=dt.date(2023, 11, 2))
    justering.minutes_send_for_justering(meeting=justered, actor=secretary)
    for user in (chair, member, secretary):
        sign(justered, user)
    justered.refresh_from_db()  # its paragraphs carry this instance as their meeting
    rendered = justering.extract_request(paragraph=justered.paragraphs.order_by("position").last(), actor=secretary)
    unlock = justering.unlock_propose(meeting=justered, reason="Fel i § 4", actor=chair)

    notice = notices.notice_create(
        organisation=org, kind=Notice.Kind.FREE, title="Anslag", posted_on=dt.date(2024, 3, 1),
        takedown_on=dt.date(2024, 3, 22), actor=secretary,
    )

    budget = budget_create(organisation=org, year=2024, actor=director)
    groups = {g.kind: g for g in budget.groups.all()}
    for kind, code in ((BudgetGroup.Kind.INCOME, "medel"), (BudgetGroup.Kind.INDIVIDUAL, "team-a")):
        budget_line_add(budget=budget, group=groups[kind], code=code, name=code, actor=director)
    version = budget_version_create(
        budget=budget, label="Budget 2024", adopted=False, actor=director,
        amounts={"medel": Decimal(1_000_000), "team-a": Decimal(-1_000_000)},
    )
    outcome_import = outcome_import_start(
        budget=budget, filename="utfall.csv", content=b"Konto;Belopp\nteam-a;-1000\n",
        date=dt.date(2024, 3, 31), actor=director,
    )

    intervention = intervention_create(
        organisation=org, name="Samordningsteam A", kind=Intervention.Kind.INDIVIDUAL,
        parties=board.members[:4], status=Intervention.Status.ONGOING, start=dt.date(2024, 1, 1),
        actor=secretary,
    )
    funding_link(
        intervention=intervention, budget_line=budget.lines.get(code="team-a"), actor=secretary,
    )
    steering = steering_member_add(intervention=intervention, person=member.person, actor=secretary)
    intervention_document = document_add(
        intervention=intervention, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.7\n%%EOF\n"), title="Rapport",
        actor=secretary,
    )
    request = request_register(
        intervention=intervention, year=2024, amount=100_000, reason="Fler deltagare",
        received_on=dt.date(2024, 2, 1), actor=secretary,
    )
    action_item = action_item_create(
        paragraph=paragraph, text="Återrapportera", owner_text="Förbundschefen", actor=secretary,
    )
    line = delegation.delegation_line_add(
        organisation=org, code="3.2", matter="Inköp", delegate_role="forbundschef",
        valid_from=dt.date(2024, 1, 1), actor=secretary,
    )
    decision = delegation.delegation_decision_record(
        organisation=org, line=line, actor=director, decided_on=dt.date(2024, 2, 1), matter="Föreläsare",
        decision="Att anlita", appealable=True,
    )
    return {
        "slug": org.slug,
        "delegation_decision": decision.pk,
        "delegation_line": line.pk,
        "meeting": meeting.pk,
        "agenda_item": item.pk,
        "meeting_document": document.pk,
        "attendance": meeting.attendances.first().pk,
        "paragraph": paragraph.pk,
        "vote": vote.pk,
        "child_kind": "reservation",
        "child_kind_api": "reservations",
        "reservation": reservation.pk,
        "unlock": unlock.pk,
        "variant": "full",
        "rendered_document": rendered.pk,
        "notice": notice.pk,
        "year": 2024,
        "budget_version": version.pk,
        "budget_version_number": version.number,
        "outcome_import": outcome_import.pk,
        "line_code": "team-a",
        "intervention": intervention.pk,
        "steering_member": steering.pk,
        "intervention_document": intervention_document.pk,
        "request": request.pk,
        "action_item": action_item.pk,
        "appointment": Appointment.objects.filter(organ=board.organ).first().pk,
        "staff_role": secretary.person.staff_roles.first().pk,
        "person": secretary.person.pk,
        "member_organisation": board.members[0].pk,
        "text_module": org.text_modules.first().pk,  # one of the standard modules
        "bankid_order": "131daac9-16c6-4618-beb0-365768f37288",  # an orderRef nobody started
        "archive_package": ArchivePackage.objects.create(organisation=org, year=2024, requested_by=secretary).pk,
        "archive_format": "zip",
    }


def _admin_kwargs(endpoint: Endpoint, org: Organisation) -> dict[str, Any]:
    """django-admin turns away whoever is not staff before it looks anything up; the ids are
    real all the same where there is one (the association for the generic views)."""
    values: dict[str, Any] = {}
    for name in endpoint.kwargs:
        if name in ("object_id", "id", "pk"):
            model = endpoint.model_admin.model if endpoint.model_admin else Organisation
            obj = model._default_manager.first()
            values[name] = str(obj.pk if obj is not None else org.pk)
        elif name == "app_label":
            values[name] = "board"
        elif name == "content_type_id":
            values[name] = str(ContentType.objects.get_for_model(Organisation).pk)
        elif name == "url":
            values[name] = "finns-inte/"
        else:
            raise AssertionError(f"{endpoint.label}: admin parameter {name} unknown to this test")
    return values


def _url(endpoint: Endpoint, world: dict[str, Any], org: Organisation) -> str:
    """The route with its parameters filled in (also for django-admin's unnamed patterns)."""
    if endpoint.is_admin:
        values = _admin_kwargs(endpoint, org)
    else:
        values = {k: world[FILL[(_segment_before(endpoint.route, k), k)]] for k in endpoint.kwargs}
    url = endpoint.route
    for name, value in values.items():
        url = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), url)
    url = "/" + url.replace("^", "").replace("$", "")
    get_resolver().resolve(url)  # the URL is one the URLconf answers
    return url


def _refused(response: Any) -> bool:
    if response.status_code in (301, 302, 303):
        return urlsplit(response["Location"]).path in LOGIN_PATHS
    return response.status_code in REFUSED


def _calls(world: dict[str, Any], org: Organisation, *, anonymous: bool) -> Iterator[tuple[str, str, str]]:
    """(label, method, url) of every call that must be refused."""
    api_methods = _api_methods()
    seen_api: set[str] = set()
    for endpoint in endpoints():
        if endpoint.label in PUBLIC_PAGES or endpoint.route in PUBLIC_ROUTES:
            continue
        if (endpoint.label in OWN_PAGES and not anonymous) or _unfillable(endpoint):
            continue  # an unfillable one fails test_every_page_and_operation_is_public_or_covered
        if endpoint.is_api:
            path = _openapi_path(endpoint.route)
            if path in seen_api:  # one URL pattern per operation, one path for them all
                continue
            seen_api.add(path)
            for method in _guarded_methods(path, api_methods):
                yield f"{method} {path}", method, _url(endpoint, world, org)
        else:
            url = _url(endpoint, world, org)
            for method in ("GET", "POST"):
                yield endpoint.label, method, url


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: what an outsider's request needs so that the
    API reaches the operation's own check instead of answering 422 for the body."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _example(schema[key][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        return {name: _example(schema["properties"][name], components) for name in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"], components) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    formats = {"date": "2024-03-14", "date-time": "2024-03-14T09:00:00+01:00", "email": "a@example.se"}
    if schema.get("pattern", "").startswith("^([01][0-9]"):
        return "09:00"
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def _api_bodies(ids: dict[str, Any]) -> dict[tuple[str, str], tuple[bytes, str]]:
    """(method, path) -> a body the operation's schema accepts, with its content type; ids
    of the `board` association's objects where the body names one (organ_id)."""
    document = api.get_openapi_schema()
    components = document.get("components", {}).get("schemas", {})
    bodies: dict[tuple[str, str], tuple[bytes, str]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _example(content["application/json"]["schema"], components)
                if isinstance(body, dict):
                    body.update({name: value for name, value in ids.items() if name in body})
                bodies[(method.upper(), path)] = (json.dumps(body).encode(), "application/json")
    return bodies


def _check_all(client: Client, world: dict[str, Any], org: Organisation, *, anonymous: bool,
               api_headers: dict[str, str]) -> None:
    failures: list[str] = []
    reached: dict[str, bool] = {}
    bodies = _api_bodies({"organ_id": org.organs.get().pk})
    calls = list(_calls(world, org, anonymous=anonymous))
    assert len(calls) > 250  # the whole URLconf, not a part of it
    for label, method, url in calls:
        is_api = url.startswith("/" + API_PREFIX)
        data, content_type = bodies.get(tuple(label.split(" ", 1)), (b"", "application/octet-stream")) if is_api \
            else (b"", "application/octet-stream")
        response = client.generic(method, url, data=data, content_type=content_type,
                                  **(api_headers if is_api else {}))
        field = REFUSED_IN_BODY.get(tuple(label.split(" ", 1)))
        if field and response.status_code == 422 and field in response.json()["detail"]:
            continue
        if not _refused(response):
            failures.append(f"{method} {url} ({label}): {response.status_code} {response.get('Location', '')}")
        reached[label] = reached.get(label, False) or response.status_code != 405
    never = [label for label, hit in reached.items() if not hit]
    assert not never, f"405 for every method, so no check was reached: {never}"
    assert not failures, f"{len(failures)} let in:\n" + "\n".join(failures)


def test_anonymous_is_turned_away_from_every_page_and_operation(client, world, org):
    _check_all(client, world, org, anonymous=True, api_headers={})


def test_an_outsider_is_turned_away_from_every_page_and_operation(world, org, outsider):
    client = Client()
    client.force_login(outsider)
    _token, key = ApiToken.issue(user=outsider, name="utomstående")
    _check_all(client, world, org, anonymous=False, api_headers={"HTTP_AUTHORIZATION": f"Bearer {key}"})
