"""Queries the pages, the API and the PDF share: access, funding from finance, the follow-up report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from board.formatting import format_amount
from board.models import Organisation
from board.permissions import Action, can, organisation_or_404
from board.selectors import family_ids
from finance.models import Budget
from finance.reports import Row, build_report
from minutes.models import Meeting

from .models import (
    ActionItem,
    FollowUp,
    Indicator,
    Intervention,
    InterventionBudgetLine,
    SupplementaryRequest,
)

# --- access ---------------------------------------------------------------------------------


def organisation_for(user: Any, slug: str) -> Organisation:
    """The association if the user may see its interventions; 404 otherwise."""
    return organisation_or_404(user, slug)


def intervention_for(user: Any, slug: str, pk: int, *, contact_too: bool = False) -> Intervention:
    """The intervention if the user may see it; 404 otherwise.

    With `contact_too` the intervention's contact person gets in as well (the follow-up they
    report), though they may hold no role in the association.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    intervention = get_object_or_404(
        Intervention.objects.select_related("organisation", "lead_organisation", "contact_person"),
        organisation=organisation, pk=pk,
    )
    if can(user, Action.VIEW, organisation) or (contact_too and _is_contact(user, intervention)):
        return intervention
    raise Http404


def _is_contact(user: Any, intervention: Intervention) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and intervention.contact_person_id is not None and intervention.contact_person_id == person.pk


def may_edit(user: Any, intervention: Intervention) -> bool:
    return can(user, Action.EDIT_INTERVENTIONS, intervention.organisation_id)


def may_follow_up(user: Any, intervention: Intervention) -> bool:
    """The office (EDIT_INTERVENTIONS) or the intervention's own contact person."""
    return may_edit(user, intervention) or _is_contact(user, intervention)


def may_decide(user: Any, intervention: Intervention) -> bool:
    """Putting a request on the agenda and recording the board's decision write the minutes."""
    return can(user, Action.EDIT_MINUTES, intervention.organisation_id) and may_edit(user, intervention)


def interventions_of(organisation: Organisation) -> QuerySet[Intervention]:
    """The list page: a fixed number of queries whatever the number of interventions."""
    return (
        Intervention.objects.filter(organisation=organisation)
        .select_related("organisation", "lead_organisation", "contact_person")
        .prefetch_related("parties")
        .annotate(
            open_requests=Count(
                "requests",
                filter=Q(requests__status__in=[SupplementaryRequest.Status.RECEIVED, SupplementaryRequest.Status.ON_AGENDA]),
                distinct=True,
            ),
            open_tasks=Count(
                "action_items", filter=Q(action_items__status__in=list(ActionItem.OPEN_STATUSES)), distinct=True
            ),
        )
        .order_by("kind", "name")
    )


_PARTY_ORDER = {"fk": 0, "af": 1, "region": 2, "kommun": 3}


def parties_summary(parties: Any) -> str:
    """ "Försäkringskassan, Arbetsförmedlingen, Region Västmanland och 10 kommuner" (no queries
    when the parties are prefetched). Up to two municipalities are named."""
    members = sorted(parties, key=lambda m: (_PARTY_ORDER.get(m.kind, 9), m.name))
    others = [m.name for m in members if m.kind != "kommun"]
    municipalities = [m.name for m in members if m.kind == "kommun"]
    names = others + (municipalities if len(municipalities) <= 2 else [f"{len(municipalities)} kommuner"])
    if not names:
        return "–"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


# --- funding: finance's own numbers ---------------------------------------------------------


@dataclass
class FundingRow:
    link: InterventionBudgetLine
    budget: Budget
    row: Row  # finance.reports' row for the line: budget, outcome, forecast, deviation
    versions: list[Any]
    outcome_date: Any


def funding_rows(intervention: Intervention) -> list[FundingRow]:
    """Budget, outcome and forecast per year, computed by finance.reports (one report per budget)."""
    links = list(
        intervention.funding.select_related("budget_line__budget__organisation").order_by(
            "budget_line__budget__year"
        )
    )
    result = []
    reports: dict[int, Any] = {}
    for link in links:
        budget = link.budget_line.budget
        if budget.pk not in reports:
            reports[budget.pk] = build_report(budget)
        report = reports[budget.pk]
        row = next(r for r in report.rows if r.line.pk == link.budget_line_id)
        result.append(FundingRow(link=link, budget=budget, row=row, versions=report.versions,
                                 outcome_date=report.outcome_date))
    return result


def requests_of(intervention: Intervention) -> QuerySet[SupplementaryRequest]:
    return intervention.requests.select_related(
        "budget_line__budget__organisation", "agenda_item__meeting__organ", "paragraph__meeting", "revision",
    ).prefetch_related("documents")


def meetings_for_agenda(request: SupplementaryRequest) -> QuerySet[Meeting]:
    """Meetings the request can be put on: open minutes of the association whose budget it is."""
    return (
        Meeting.objects.filter(organ__organisation_id=request.budget_line.budget.organisation_id)
        .filter(status__in=list(Meeting.EDITABLE_STATUSES))
        .select_related("organ")
        .order_by("date")
    )


def open_action_items_for(meeting: Meeting) -> QuerySet[ActionItem]:
    """Tasks the organ gave at earlier meetings and that are not closed: to follow up at this one.

    The minutes' kallelse and editor can list these; `services.action_items_to_agenda` adds
    them as the agenda item "Uppföljning av uppdrag".
    """
    return (
        ActionItem.objects.filter(
            organ_id=meeting.organ_id,
            status__in=list(ActionItem.OPEN_STATUSES),
            paragraph__meeting__date__lt=meeting.date,
        )
        .select_related("paragraph__meeting", "owner_person", "intervention")
        .order_by("paragraph__meeting__date", "paragraph__number", "pk")
    )


def action_items_of(organisation: Organisation, *, status: str = "") -> QuerySet[ActionItem]:
    """The association's tasks, with those of the associations that merged into it (its archive)."""
    qs = ActionItem.objects.filter(organisation_id__in=family_ids(organisation)).select_related(
        "paragraph__meeting", "organ", "owner_person", "intervention"
    )
    if status == "oppna":
        qs = qs.filter(status__in=list(ActionItem.OPEN_STATUSES))
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_date", "pk")


# --- the follow-up report -------------------------------------------------------------------


@dataclass
class IndicatorSeries:
    indicator: Indicator
    values: list[Decimal | None]  # one per period, oldest first

    @property
    def latest(self) -> Decimal | None:
        return next((v for v in reversed(self.values) if v is not None), None)

    @property
    def met(self) -> bool | None:
        latest = self.latest
        return None if latest is None else latest >= self.indicator.target

    @property
    def unit(self) -> str:
        return "%" if self.indicator.unit == Indicator.Unit.PERCENT else ""

    @property
    def cells(self) -> list[str]:
        return [_number(v, self.unit) for v in self.values]

    @property
    def target_text(self) -> str:
        return _number(self.indicator.target, self.unit)

    @property
    def latest_text(self) -> str:
        return _number(self.latest, self.unit)


@dataclass
class ChartPoint:
    x: int
    y: int
    label: str


@dataclass
class ChartLine:
    name: str
    css: str
    color: str
    points: list[ChartPoint]
    target_y: int | None
    target_label: str
    cells: list[str]  # one per period, for the table alternative

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass
class TrendChart:
    title: str
    description: str
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    x_labels: list[tuple[int, str]]
    y_ticks: list[tuple[int, str]]
    lines: list[ChartLine]
    unit: str


@dataclass
class FollowUpReport:
    intervention: Intervention
    periods: list[FollowUp]
    series: list[IndicatorSeries]
    charts: list[TrendChart] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[FollowUp, str]]:
        """Each period with its share of participants with a step, formatted."""
        return [(p, _number(p.step_percent, "%")) for p in self.periods]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "new": sum(p.new for p in self.periods),
            "closed": sum(p.closed for p in self.periods),
            "steps_work": sum(p.steps_work for p in self.periods),
            "steps_studies": sum(p.steps_studies for p in self.periods),
        }


WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 56, 16, 34
# Colours as SVG presentation attributes: they work in the browser (no inline style, so the
# CSP allows them) and in WeasyPrint, which does not apply the page's CSS inside an SVG.
SERIES_COLOURS = ["#0d3b66", "#c26a00", "#2e7d32", "#7b1fa2", "#a00000"]


def _number(value: Decimal | int | None, unit: str) -> str:
    if value is None:
        return "–"
    text = format_amount(value, decimals=1 if unit == "%" and Decimal(value) % 1 else 0)
    return f"{text} %" if unit == "%" else text


def _nice_top(value: Decimal) -> Decimal:
    """The smallest of 10, 20, 50, 100, 200, 500 ... that is at least `value`."""
    base = Decimal(10)
    while True:
        for factor in (1, 2, 5):
            if base * factor >= value:
                return base * factor
        base *= 10


def trend_chart(
    *, title: str, labels: list[str], series: list[tuple[str, list[Decimal | None], Decimal | None]], unit: str
) -> TrendChart:
    """A line chart drawn on the server: one line per series, a dashed line per target."""
    values = [v for _, vs, t in series for v in [*vs, t] if v is not None]
    top_value = Decimal(100) if unit == "%" else max([Decimal(1), *values])
    if unit != "%":
        top_value = _nice_top(top_value)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)

    def x_of(i: int) -> int:
        return LEFT + (plot_w // 2 if n == 1 else int(plot_w * i / (n - 1)))

    def y_of(v: Decimal) -> int:
        return TOP + plot_h - int(plot_h * Decimal(v) / top_value)

    lines = []
    for i, (name, vs, target) in enumerate(series):
        points = [ChartPoint(x_of(j), y_of(v), f"{labels[j]}: {_number(v, unit)}") for j, v in enumerate(vs) if v is not None]
        lines.append(ChartLine(
            name=name, css=f"s{i % len(SERIES_COLOURS) + 1}", color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
            points=points,
            target_y=y_of(target) if target is not None else None,
            target_label=f"Mål {name.lower()}: {_number(target, unit)}" if target is not None else "",
            cells=[_number(v, unit) for v in vs],
        ))
    steps = 4 if unit == "%" else 5  # 25 % steps; 10, 20, 50 … split in fifths stay whole numbers
    ticks = [(y_of(top_value * k / steps), _number(top_value * k / steps, unit)) for k in range(steps + 1)]
    parts = []
    for name, vs, target in series:
        shown = ", ".join(f"{labels[j]} {_number(v, unit)}" for j, v in enumerate(vs))
        goal = f" (mål {_number(target, unit)})" if target is not None else ""
        parts.append(f"{name}{goal}: {shown}")
    return TrendChart(
        title=title, description="; ".join(parts) or "Inga värden.", width=WIDTH, height=HEIGHT, top=TOP,
        bottom=TOP + plot_h, left=LEFT, right=WIDTH - RIGHT, x_labels=[(x_of(j), lab) for j, lab in enumerate(labels)],
        y_ticks=ticks, lines=lines, unit=unit,
    )


def follow_up_report(intervention: Intervention) -> FollowUpReport:
    """Periods, indicator series against their targets, and the trend charts (3 queries)."""
    periods = list(intervention.follow_ups.order_by("period_start").prefetch_related("values"))
    indicators = list(intervention.indicators.order_by("order", "pk"))
    series = []
    for indicator in indicators:
        values: list[Decimal | None] = []
        for period in periods:
            if indicator.source == Indicator.Source.STEPS:
                values.append(period.step_percent)
            else:
                found = next((v.value for v in period.values.all() if v.indicator_id == indicator.pk), None)
                values.append(found)
        series.append(IndicatorSeries(indicator=indicator, values=values))
    labels = [f"{p.period_start:%Y-%m}–{p.period_end:%Y-%m}" for p in periods]
    report = FollowUpReport(intervention=intervention, periods=periods, series=series)
    if periods:
        report.charts.append(trend_chart(
            title=f"{intervention.name}: deltagare per period",
            labels=labels,
            series=[
                ("Deltagare under perioden", [Decimal(p.participants) for p in periods], None),
                ("Nya", [Decimal(p.new) for p in periods], None),
                ("Avslutade", [Decimal(p.closed) for p in periods], None),
            ],
            unit="",
        ))
        percent = [s for s in series if s.indicator.unit == Indicator.Unit.PERCENT]
        if percent:
            report.charts.append(trend_chart(
                title=f"{intervention.name}: indikatorer mot mål",
                labels=labels,
                series=[(s.indicator.name, s.values, s.indicator.target) for s in percent],
                unit="%",
            ))
    return report

