"""The whole OpenAPI document against the live server, with schemathesis.

Every operation of /api/v1/openapi.json is called with generated input, valid and invalid,
twice: anonymously and with the secretary's token. A 5xx, an undeclared status code, a wrong
content type or a body that does not match the declared schema fails the test. Path ids are
real ones (a meeting, its agenda, paragraphs, a budget, an intervention) on every other
example, so the operations reach the services and not only the 404.

Bounded so the suite stays quick: a fixed number of examples per operation, derandomized
(the same examples every run, so a failure is reproducible), a deadline per example.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from board.models import ApiToken
from finance.models import BudgetGroup
from finance.services.budgets import budget_create, budget_line_add, budget_version_create
from interventions.action_items import action_item_create
from interventions.models import Intervention
from interventions.services.registry import intervention_create
from minutes.drafting import services as minutes_services

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 4


@pytest.fixture
def api_data(board, org, secretary, director, chair, member) -> dict[str, Any]:
    """Objects for the path ids: a meeting with agenda, document, attendance and paragraphs;
    a budget with lines; an intervention with an action item."""
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
    budget = budget_create(organisation=org, year=2024, actor=director)
    groups = {g.kind: g for g in budget.groups.all()}
    for kind, code in ((BudgetGroup.Kind.INCOME, "medel"), (BudgetGroup.Kind.INDIVIDUAL, "team-a")):
        budget_line_add(budget=budget, group=groups[kind], code=code, name=code, actor=director)
    budget_version_create(
        budget=budget, label="Budget 2024", adopted=True, actor=director,
        amounts={"medel": Decimal(1_000_000), "team-a": Decimal(-1_000_000)},
    )
    intervention = intervention_create(
        organisation=org, name="Samordningsteam A", kind=Intervention.Kind.INDIVIDUAL,
        parties=board.members[:4], status=Intervention.Status.ONGOING, start=dt.date(2024, 1, 1),
        actor=secretary,
    )
    action_item = action_item_create(
        paragraph=paragraph, text="Återrapportera", owner_text="Förbundschefen", actor=secretary,
    )
    _token, key = ApiToken.issue(user=secretary, name="schemathesis")
    return {
        "slug": org.slug,
        "meetings": meeting.pk,
        "agenda": item.pk,
        "documents": document.pk,
        "paragraphs": paragraph.pk,
        "attendance": meeting.attendances.first().pk,
        "interventions": intervention.pk,
        "action-items": action_item.pk,
        "code": "team-a",
        "person_id": secretary.person.pk,
        "year": 2024,
        "key": key,
    }


def _real_ids(path: str, generated: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The path's parameters with the ids of the objects in `data`: {pk} after /meetings/ is
    the meeting, after /agenda/ the agenda item, and so on; other names by their own name."""
    before_pk = re.search(r"/([^/{]+)/\{pk\}", path)
    real = dict(generated)
    for name in generated:
        if name == "pk":
            if before_pk and before_pk.group(1) in data:
                real[name] = data[before_pk.group(1)]
        elif name in data:
            real[name] = data[name]
        elif name in ("number", "appointment_id", "staff_role_id", "unlock_id", "child_pk"):
            real[name] = 1
    return real


_turn = itertools.count()
_examples = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=dt.timedelta(seconds=5),
    phases=[Phase.explicit, Phase.generate], database=None, suppress_health_check=list(HealthCheck),
)


def _run_every_operation(base_url: str, api_data: dict[str, Any], headers: dict[str, str]) -> None:
    """Each operation, positive and negative input, EXAMPLES each; all failures reported at once.

    A loop over the operations rather than schemathesis' pytest plugin: its lazy loader (needed
    for a live_server URL) does not run under pytest 9.
    """
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    schema.config.update(base_url=base_url)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 80  # the whole document, not a part of it

    def call(case: Any) -> None:
        # Every other example with the ids of real objects; the others keep generated (mostly
        # unknown) ids. DELETE keeps generated ids so the objects stay for the other operations.
        if case.path_parameters and case.method != "DELETE" and next(_turn) % 2 == 0:
            case.path_parameters = _real_ids(case.operation.path, case.path_parameters, api_data)
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            test = _examples(given(operation.as_strategy(generation_mode=mode))(call))
            try:
                test()
            except Unsatisfiable:
                # Nothing of the operation's input can be made invalid (no parameters, or a
                # path string any text satisfies): there is no negative case to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # collected, reported together below
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)


def test_every_operation_answers_anonymously_within_its_schema(live_server, api_data, media_in_tmp):
    _run_every_operation(live_server.url, api_data, headers={})


def test_every_operation_answers_the_secretary_within_its_schema(live_server, api_data, media_in_tmp):
    _run_every_operation(live_server.url, api_data, headers={"Authorization": f"Bearer {api_data['key']}"})


def test_no_two_schemas_of_the_api_share_a_name():
    """django-ninja names a schema component by its class name alone: two classes of one name
    in two routers left one endpoint declared with the other's schema (/organisations/{slug}/members
    was documented as the public API's membership)."""
    from ninja import Schema

    import config.api  # noqa: F401 - every router and its schemas are imported

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    ours = [c for c in subclasses(Schema) if c.__module__.split(".")[0] in {"board", "minutes", "finance",
                                                                             "interventions", "config"}]
    names = [c.__name__ for c in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_the_document_declares_the_errors_and_the_times_the_api_gives(client, db):
    document = client.get("/api/v1/openapi.json").json()
    patch = document["paths"]["/api/v1/agenda/{pk}"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(patch)
    assert patch["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    public = document["paths"]["/api/v1/public/bodies"]["get"]["responses"]
    assert "401" not in public and "422" in public  # no token asked; page numbers checked
    # A time of day is written "09:00:00", without the UTC offset that JSON Schema's "time" requires.
    start = document["components"]["schemas"]["MeetingOut"]["properties"]["start_time"]["anyOf"][0]
    assert "format" not in start and re.fullmatch(start["pattern"], "09:00:00")
