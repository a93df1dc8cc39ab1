"""Follow-up arithmetic and validation: participants, enrolled at the end, step share,
indicators against targets, and the server-side trend chart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interventions.models import FollowUp, Indicator, IndicatorValue
from interventions.selectors import follow_up_report
from interventions.services.follow_up import follow_up_record, indicator_define

D = dt.date
JAN, APR = D(2024, 1, 1), D(2024, 4, 30)


def _record(intervention, actor, start=JAN, end=APR, **figures):
    values = {"enrolled": 40, "new": 10, "closed": 8, "steps_work": 12, "steps_studies": 3, **figures}
    return follow_up_record(intervention=intervention, period_start=start, period_end=end, actor=actor, **values)


def test_period_arithmetic(intervention, secretary):
    f = _record(intervention, secretary)
    assert f.participants == 50
    assert f.enrolled_at_end == 42
    assert f.steps == 15
    assert f.step_percent == Decimal("30.0")


def test_closed_cannot_exceed_enrolled_and_new(intervention, secretary):
    with pytest.raises(ValidationError, match="kan inte vara fler än inskrivna och nya") as exc:
        _record(intervention, secretary, enrolled=5, new=2, closed=8)
    assert "kan inte vara fler än inskrivna och nya tillsammans (7)" in exc.value.message_dict["closed"][0]
    assert not FollowUp.objects.exists()
    # Exactly everyone leaving is fine.
    assert _record(intervention, secretary, enrolled=5, new=2, closed=7, steps_work=0, steps_studies=0).enrolled_at_end == 0


def test_steps_cannot_exceed_participants(intervention, secretary):
    with pytest.raises(ValidationError, match="Stegförflyttningar"):
        _record(intervention, secretary, enrolled=3, new=1, closed=0, steps_work=3, steps_studies=2)


def test_negative_counts_and_reversed_periods_are_refused(intervention, secretary):
    with pytest.raises(ValidationError, match="Periodens slut kan inte vara före dess början") as exc:
        _record(intervention, secretary, new=-1, start=D(2024, 5, 1), end=D(2024, 4, 1))
    assert {"new", "period_end"} <= set(exc.value.message_dict)


def test_percentages_must_be_between_0_and_100(intervention, secretary):
    indicator = indicator_define(intervention=intervention, name="Upplevd bättre hälsa", target=70, actor=secretary)
    with pytest.raises(ValidationError, match="mellan 0 och 100"):
        _record(intervention, secretary, values={indicator: Decimal("101")})
    with pytest.raises(ValidationError, match="mellan 0 och 100"):
        indicator_define(intervention=intervention, name="Fel", target=120, actor=secretary)
    assert not IndicatorValue.objects.exists()


def test_the_same_period_again_replaces_and_overlaps_are_refused(intervention, secretary):
    _record(intervention, secretary)
    _record(intervention, secretary, new=12)
    assert intervention.follow_ups.get().new == 12
    with pytest.raises(ValidationError, match="överlappar"):
        _record(intervention, secretary, start=D(2024, 4, 1), end=D(2024, 8, 31))


def test_report_puts_results_against_targets(intervention, secretary):
    steps = indicator_define(
        intervention=intervention, name="Andel med stegförflyttning", target=80, source=Indicator.Source.STEPS,
        actor=secretary,
    )
    health = indicator_define(intervention=intervention, name="Upplevd bättre hälsa", target=60, actor=secretary)
    _record(intervention, secretary, values={health: 55})
    _record(intervention, secretary, start=D(2024, 5, 1), end=D(2024, 8, 31), enrolled=42, new=8, closed=10,
            steps_work=30, steps_studies=10, values={"upplevd bättre hälsa": "62,5"})
    report = follow_up_report(intervention)
    by_name = {s.indicator.name: s for s in report.series}
    assert by_name[steps.name].values == [Decimal("30.0"), Decimal("80.0")]
    assert by_name[steps.name].met is True
    assert by_name[health.name].values == [Decimal("55.0"), Decimal("62.5")]
    assert by_name[health.name].met is True
    assert report.totals == {"new": 18, "closed": 18, "steps_work": 42, "steps_studies": 13}
    # A computed indicator is not entered.
    with pytest.raises(ValidationError, match="beräknas"):
        _record(intervention, secretary, values={steps: 50})


def test_trend_chart_has_title_description_and_a_point_per_period(intervention, secretary):
    indicator_define(
        intervention=intervention, name="Andel med stegförflyttning", target=80, source=Indicator.Source.STEPS,
        actor=secretary,
    )
    _record(intervention, secretary)
    _record(intervention, secretary, start=D(2024, 5, 1), end=D(2024, 8, 31), enrolled=42, new=8, closed=10)
    participants, indicators = follow_up_report(intervention).charts
    assert "deltagare" in participants.title
    assert len(participants.lines[0].points) == 2
    assert "Deltagare under perioden" in participants.description and "50" in participants.description
    line = indicators.lines[0]
    assert line.target_y is not None and "80" in line.target_label
    assert indicators.unit == "%"
    # 80 % target is drawn 80 % up the plot area.
    assert line.target_y == indicators.bottom - int((indicators.bottom - indicators.top) * Decimal("0.8"))
    assert line.cells == ["30 %", "30 %"]
