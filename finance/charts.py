"""A bar chart per budget (budget, forecast and outcome per group), drawn on the server as SVG.

The template draws what this computes; nothing runs in the browser. Amounts are shown as
magnitudes (a cost of −1 200 000 is a bar of 1 200 000): the chart compares sizes, the table
next to it keeps the signs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from board.formatting import format_amount

from .reports import Report

WIDTH = 720
LABEL_WIDTH = 230
BAR_HEIGHT = 12
GROUP_GAP = 14
TOP = 30
SERIES = (("budget", "Budget"), ("forecast", "Prognos"), ("outcome", "Utfall"))


@dataclass
class Bar:
    series: str
    label: str
    value: Decimal
    x: int
    y: int
    width: int
    text: str


@dataclass
class GroupBars:
    name: str
    y: int
    bars: list[Bar]


@dataclass
class Chart:
    title: str
    description: str
    width: int
    height: int
    label_width: int
    groups: list[GroupBars]
    legend: list[tuple[str, str, int]]


def build_chart(report: Report) -> Chart:
    values: list[tuple[str, dict[str, Decimal]]] = [
        (
            block.group.name,
            {
                "budget": abs(block.sums.budget),
                "forecast": abs(block.sums.forecast),
                "outcome": abs(block.sums.outcome),
            },
        )
        for block in report.groups
    ]
    largest = max((v for _, d in values for v in d.values()), default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL_WIDTH - 110  # room for the amount printed after the bar
    groups: list[GroupBars] = []
    y = TOP
    for name, data in values:
        bars = []
        for i, (key, label) in enumerate(SERIES):
            value = data[key]
            bars.append(
                Bar(
                    series=key,
                    label=label,
                    value=value,
                    x=LABEL_WIDTH,
                    y=y + i * BAR_HEIGHT,
                    width=max(1, int(span * value / largest)) if value else 0,
                    text=format_amount(value),
                )
            )
        groups.append(GroupBars(name=name, y=y, bars=bars))
        y += len(SERIES) * BAR_HEIGHT + GROUP_GAP
    date = report.outcome_date.isoformat() if report.outcome_date else "–"
    description = "; ".join(
        f"{name}: budget {format_amount(d['budget'])} kr, prognos {format_amount(d['forecast'])} kr, "
        f"utfall {format_amount(d['outcome'])} kr"
        for name, d in values
    )
    return Chart(
        title=f"{report.budget}: budget, prognos och utfall per {date}, per grupp",
        description=description,
        width=WIDTH,
        height=y + 4,
        label_width=LABEL_WIDTH,
        groups=groups,
        legend=[(key, label, LABEL_WIDTH + i * 110) for i, (key, label) in enumerate(SERIES)],
    )
