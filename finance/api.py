"""Finance endpoints: budgets, lines, versions, outcomes and forecasts.

An accounting system posts outcomes with a token of a user who is förbundschef or ekonom:

    POST /api/v1/organisations/vastmanland/budgets/2024/outcomes
    {"date": "2024-08-31", "rows": [{"line": "samordningsteam-fns", "amount": "-462394"}]}

All rows are saved or none; a bad row comes back as 422 with its number and reason. Reading
needs a token of someone who may view the association, except for the adopted budgets of an
association that publishes its budgets (Organisation.budgets_public), which anyone may read;
anyone else gets 404. Writing always needs a token.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from board.auth import token_auth
from board.people import display_name
from config.api_params import ErrorOut
from minutes.drafting.selectors import decision_paragraph

from .models import Budget, BudgetGroup, BudgetLine, BudgetVersion, ForecastEntry, Outcome
from .reports import ZERO, GroupBlock, Report, Row, build_report
from .selectors import visible_budget, visible_organisation
from .services import budgets
from .services.forecasts import ForecastConflict, forecast_update
from .services.outcomes import outcomes_record

router = Router(tags=["ekonomi"], auth=token_auth)


def _anonymous(request: HttpRequest) -> str:
    """Lets a request without a token through to the read endpoints, as nobody in particular.

    Only a token grants rights here: a browser session does not count.
    """
    request.user = AnonymousUser()
    return "anonym"


# Reads: a token, or nobody (public budgets only). Writes: a token.
READ_AUTH = [token_auth, _anonymous]


# --- Schemas --------------------------------------------------------------------------------


class BudgetVersionOut(Schema):
    number: int
    label: str
    adopted: bool
    adopted_on: dt.date | None
    decision_reference: str
    decided_in_id: int | None


# Read from a Budget with `shown_versions` (SHOWN_VERSIONS): the versions its reader sees.
class BudgetSummaryOut(Schema):
    year: int
    title: str
    versions: list[BudgetVersionOut]

    @staticmethod
    def resolve_title(obj: Budget) -> str:
        return str(obj)

    @staticmethod
    def resolve_versions(obj: Budget) -> list[BudgetVersion]:
        return list(getattr(obj, SHOWN_VERSIONS))


SHOWN_VERSIONS = "shown_versions"


# Read from a reports.Sums.
class SumsOut(Schema):
    budgets: list[Decimal] = Field(description="En summa per version, äldst först.")
    budget: Decimal
    outcome: Decimal
    forecast: Decimal
    deviation: Decimal


# Read from a reports.Row (a line of the table).
class LineOut(Schema):
    code: str = Field(alias="line.code")
    name: str = Field(alias="line.name")
    group: str = Field(alias="line.group.name")
    budgets: list[Decimal]
    budget: Decimal
    outcome: Decimal | None
    forecast: Decimal
    deviation: Decimal
    highlighted: bool
    comment: str
    forecast_id: int | None


# Read from a reports.GroupBlock.
class GroupOut(Schema):
    name: str = Field(alias="group.name")
    kind: str = Field(alias="group.kind")
    lines: list[LineOut]
    sums: SumsOut

    @staticmethod
    def resolve_lines(obj: GroupBlock) -> list[Row]:
        for row in obj.rows:
            row.line.group = obj.group  # the report reads lines without their group: no query per line
        return obj.rows


# Read from a reports.Report.
class BudgetOut(Schema):
    year: int = Field(alias="budget.year")
    title: str
    versions: list[BudgetVersionOut]
    outcome_date: dt.date | None
    outcome_dates: list[dt.date]
    groups: list[GroupOut]
    total_income: SumsOut
    total_costs: SumsOut
    result: SumsOut

    @staticmethod
    def resolve_title(obj: Report) -> str:
        return str(obj.budget)


class BudgetIn(Schema):
    year: int
    title: str = ""


class LineIn(Schema):
    group: str = Field(description="Gruppens namn, t.ex. Individinsatser.")
    name: str
    code: str = ""


class VersionIn(Schema):
    label: str
    amounts: dict[str, Decimal] = Field(description="Belopp per radkod; kostnader negativa.")
    adopted: bool = False
    adopted_on: dt.date | None = None
    decision_reference: str = ""
    decided_in_id: int | None = None


class AdoptIn(Schema):
    adopted_on: dt.date
    decision_reference: str = ""
    decided_in_id: int | None = None


class OutcomeRowIn(Schema):
    line: str = Field(description="Radens kod eller namn.")
    amount: Decimal | str


class OutcomesIn(Schema):
    date: dt.date
    rows: list[OutcomeRowIn]
    costs_positive: bool = False


class OutcomeOut(Schema):
    line: str = Field(alias="line.code")
    date: dt.date
    amount: Decimal


class OutcomeFilter(FilterSchema):
    date: dt.date | None = Field(None, description="Bara utfallen för den dagen (ÅÅÅÅ-MM-DD); utan: alla.")


class ForecastIn(Schema):
    amount: Decimal
    comment: str = ""
    based_on: int | None = Field(None, description="Id för den prognos du utgick från (null om ingen).")


class ForecastOut(Schema):
    id: int
    line: str = Field(alias="line.code")
    amount: Decimal
    comment: str
    author: str | None = Field(description="Vem som skrev prognosen: personens namn (aldrig inloggningen); null i den publicerade budgeten.")
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: ForecastEntry, context: dict[str, Any] | None = None) -> str | None:
        request = (context or {}).get("request")
        if getattr(request, PUBLIC_ONLY, False):
            return None  # who typed a forecast is not part of the published budget
        return display_name(obj.author) or None


# Set on the request by an endpoint whose reader sees only the published budget (the schemas ask).
PUBLIC_ONLY = "finance_public_only"


class NewLineRow(Row):
    """A line just added, as a row of the table: no version, outcome or forecast has it yet."""

    def __init__(self, line: BudgetLine) -> None:
        super().__init__(line=line, budgets=[], outcome=None, forecast=ZERO)

    @property
    def budget(self) -> Decimal:
        return ZERO


# --- Endpoints ------------------------------------------------------------------------------


@router.get("/organisations/{slug}/budgets", response=list[BudgetSummaryOut], auth=READ_AUTH)
def budget_list(request: HttpRequest, slug: str) -> list[Budget]:
    """The association's budgets; without a token, adopted budgets of associations that publish them."""
    organisation, public_only = visible_organisation(request.user, slug)
    shown = BudgetVersion.objects.filter(adopted=True) if public_only else BudgetVersion.objects.all()
    budgets = (
        Budget.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("versions", queryset=shown, to_attr=SHOWN_VERSIONS))
        .order_by("-year")
    )
    # The public sees a budget once a version of it is adopted.
    return [b for b in budgets if getattr(b, SHOWN_VERSIONS) or not public_only]


@router.post("/organisations/{slug}/budgets", response={201: BudgetSummaryOut, 403: ErrorOut, 422: ErrorOut})
def budget_create(request: HttpRequest, slug: str, payload: BudgetIn) -> Status[Any]:
    organisation, _ = visible_organisation(request.user, slug, edit=True)
    budget = budgets.budget_create(organisation=organisation, year=payload.year, title=payload.title, actor=request.user)
    setattr(budget, SHOWN_VERSIONS, [])  # a budget just made has no version yet
    return Status(201, budget)


@router.get("/organisations/{slug}/budgets/{year}", response=BudgetOut, auth=READ_AUTH)
def budget_detail(request: HttpRequest, slug: str, year: int, outcome_date: dt.date | None = None) -> Report:
    """The delårsrapport table: every line with budget per version, outcome, forecast, deviation."""
    budget, public_only = visible_budget(request.user, slug, year)
    return build_report(budget, outcome_date=outcome_date, adopted_only=public_only)


@router.post("/organisations/{slug}/budgets/{year}/lines", response={201: LineOut, 403: ErrorOut, 422: ErrorOut})
def line_create(request: HttpRequest, slug: str, year: int, payload: LineIn) -> Status[Any]:
    budget, _ = visible_budget(request.user, slug, year, edit=True)
    group = BudgetGroup.objects.filter(budget=budget, name__iexact=payload.group).first()
    if group is None:
        raise ValidationError({"group": f"Budgeten har ingen grupp som heter {payload.group}."})
    line = budgets.budget_line_add(budget=budget, group=group, name=payload.name, code=payload.code, actor=request.user)
    return Status(201, NewLineRow(line))


def _paragraph_of(budget: Budget, pk: int | None) -> Any:
    """The paragraph of the budget's association named by `decided_in_id`, 404 for another's."""
    if pk is None:
        return None
    paragraph = decision_paragraph(budget.organisation, pk)
    if paragraph is None:
        raise Http404
    return paragraph


@router.get("/organisations/{slug}/budgets/{year}/versions", response=list[BudgetVersionOut], auth=READ_AUTH)
def version_list(request: HttpRequest, slug: str, year: int) -> QuerySet[BudgetVersion]:
    budget, public_only = visible_budget(request.user, slug, year)
    versions = budget.versions.order_by("number")
    return versions.filter(adopted=True) if public_only else versions


@router.post("/organisations/{slug}/budgets/{year}/versions", response={201: BudgetVersionOut, 403: ErrorOut, 422: ErrorOut})
def version_create(request: HttpRequest, slug: str, year: int, payload: VersionIn) -> Status[Any]:
    """A first version, or a revision: lines not named keep the previous version's amount."""
    budget, _ = visible_budget(request.user, slug, year, edit=True)
    version = budgets.budget_version_create(
        budget=budget,
        label=payload.label,
        amounts=payload.amounts,
        adopted=payload.adopted,
        adopted_on=payload.adopted_on,
        decision_reference=payload.decision_reference,
        decided_in=_paragraph_of(budget, payload.decided_in_id),
        actor=request.user,
    )
    return Status(201, version)


@router.post(
    "/organisations/{slug}/budgets/{year}/versions/{number}/adopt",
    response={200: BudgetVersionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def version_adopt(request: HttpRequest, slug: str, year: int, number: int, payload: AdoptIn) -> Status[Any]:
    """The board adopted a draft version; refused for one adopted already or overtaken by a later adopted one."""
    budget, _ = visible_budget(request.user, slug, year, edit=True)
    version = get_object_or_404(BudgetVersion, budget=budget, number=number)
    version = budgets.budget_version_adopt(
        version=version,
        adopted_on=payload.adopted_on,
        decision_reference=payload.decision_reference,
        decided_in=_paragraph_of(budget, payload.decided_in_id),
        actor=request.user,
    )
    return Status(200, version)


@router.get("/organisations/{slug}/budgets/{year}/outcomes", response=list[OutcomeOut], auth=READ_AUTH)
def outcome_list(request: HttpRequest, slug: str, year: int, filters: Query[OutcomeFilter]) -> QuerySet[Outcome]:
    budget, _ = visible_budget(request.user, slug, year)
    outcomes = Outcome.objects.filter(line__budget=budget).select_related("line").order_by("date", "line__order")
    return filters.filter(outcomes)


@router.post("/organisations/{slug}/budgets/{year}/outcomes", response={201: list[OutcomeOut], 403: ErrorOut, 422: ErrorOut})
def outcome_post(request: HttpRequest, slug: str, year: int, payload: OutcomesIn) -> Status[Any]:
    """Outcomes per line for a reporting date; rows are numbered from 1 in error messages."""
    budget, _ = visible_budget(request.user, slug, year, edit=True)
    saved = outcomes_record(
        budget=budget,
        date=payload.date,
        rows=[(i, row.line, row.amount, None) for i, row in enumerate(payload.rows, start=1)],
        costs_positive=payload.costs_positive,
        actor=request.user,
        source="API",
    )
    return Status(201, saved)


@router.get("/organisations/{slug}/budgets/{year}/lines/{code}/forecasts", response=list[ForecastOut], auth=READ_AUTH)
def forecast_list(request: HttpRequest, slug: str, year: int, code: str) -> QuerySet[ForecastEntry]:
    """Every forecast of the line, the latest (the one that counts) first."""
    budget, public_only = visible_budget(request.user, slug, year)
    setattr(request, PUBLIC_ONLY, public_only)  # ForecastOut leaves the author out for the public
    line = get_object_or_404(BudgetLine, budget=budget, code=code)
    return line.forecasts.select_related("author__person", "line").order_by("-id")


@router.post(
    "/organisations/{slug}/budgets/{year}/lines/{code}/forecasts",
    response={201: ForecastOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def forecast_post(request: HttpRequest, slug: str, year: int, code: str, payload: ForecastIn) -> Status[Any]:
    """A new forecast. Send `based_on` = the id of the latest forecast you saw; if someone has
    updated the line since, the answer is 409 with the current forecast and nothing is saved."""
    budget, _ = visible_budget(request.user, slug, year, edit=True)
    line = get_object_or_404(BudgetLine, budget=budget, code=code)
    try:
        entry = forecast_update(
            line=line, amount=payload.amount, comment=payload.comment, based_on=payload.based_on, actor=request.user
        )
    except ForecastConflict as exc:
        current = ForecastOut.model_validate(exc.current).model_dump()
        return Status(409, ErrorOut(detail={"based_on": exc.messages, "current": current}))
    return Status(201, entry)
