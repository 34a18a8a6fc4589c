"""The key result chart on the objective page: date ticks, a value axis with its unit, the
target, the expected-pace line, the check-ins, the forecast band, and a text alternative."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from typing import cast

from django.utils import timezone

from conftest import World
from okrcoach.okrs.charts import LEFT, PLOT_W, check_in_chart
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult

from .factories import CheckInFactory, CycleFactory, KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url


def _setup(world: World) -> tuple[Cycle, KeyResult]:
    cycle = cast(
        Cycle,
        CycleFactory(
            organisation=world.org, starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31)
        ),
    )
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    kr = cast(
        KeyResult,
        KeyResultFactory(
            objective=objective,
            baseline=D(20),
            target=D(80),
            unit_label="stores",
            current_value=D(44),
        ),
    )
    for day, value in ((date(2026, 10, 8), 26), (date(2026, 10, 22), 35), (date(2026, 11, 5), 44)):
        CheckInFactory(
            key_result=kr,
            value=D(value),
            created_at=timezone.make_aware(datetime.combine(day, datetime.min.time())),
        )
    return cycle, kr


def _history(kr: KeyResult) -> list[CheckIn]:
    return list(
        CheckIn.objects.for_org(kr.organisation).filter(key_result=kr).order_by("created_at")
    )


def test_the_chart_has_date_ticks_a_unit_axis_target_and_expected_pace(world: World) -> None:
    cycle, kr = _setup(world)
    chart = check_in_chart(kr, cycle, _history(kr), today=date(2026, 11, 10))
    assert chart is not None
    assert [t.label for t in chart.x_ticks] == ["1 Oct", "1 Nov", "1 Dec"]
    labels = [t.label for t in chart.y_ticks]
    assert float(labels[0]) <= 20 and "80" in labels and chart.unit == "stores"
    # The expected pace runs from the baseline at the start to the target at the end.
    assert chart.pace_line is not None
    x1, y1, x2, y2 = chart.pace_line
    assert (x1, x2) == (LEFT, LEFT + PLOT_W)
    assert y1 == chart.baseline_y and y2 == chart.target_y
    assert len(chart.points) == 3 and chart.forecast_line is not None and chart.forecast_band
    assert chart.today_x is not None
    # The text alternative says it in words and as a table.
    assert "Latest 44 stores on 5 Nov" in chart.description
    assert "expected pace (from 20 at the start to the target 80" in chart.description
    assert "Forecast at the end of the cycle" in chart.description
    assert (chart.rows[0].value, chart.rows[0].expected) == ("26", "24.6")


def test_a_milestone_key_result_plots_progress_in_percent(world: World) -> None:
    cycle, _kr = _setup(world)
    milestone = cast(
        KeyResult,
        KeyResultFactory(
            objective=ObjectiveFactory(cycle=cycle, owner=world.member),
            kr_type=KeyResult.KRType.MILESTONE,
            target=None,
            baseline=None,
        ),
    )
    CheckInFactory(key_result=milestone, value=None, milestone_done=True, progress=D(1))
    chart = check_in_chart(milestone, cycle, _history(milestone))
    assert chart is not None and chart.unit == "progress, %"
    assert chart.target_label == "100"


def test_the_objective_page_draws_the_full_chart_with_its_text_alternative(
    world: World,
) -> None:
    _cycle, kr = _setup(world)
    body = (
        client_for(world.member)
        .get(url(world, "objective_detail", objective_id=kr.objective.public_id))
        .content.decode()
    )
    assert 'class="kr-chart__pace"' in body and 'class="kr-chart__tick"' in body
    assert ">1 Nov</text>" in body and ">stores</text>" in body
    assert f'aria-describedby="chart-desc-{kr.public_id}"' in body
    assert "Chart data as a table" in body and "Expected by then" in body
    assert 'width="320"' not in body  # scales with the page (CSS), not a fixed thumbnail


def test_no_chart_without_check_ins(world: World) -> None:
    cycle = cast(Cycle, CycleFactory(organisation=world.org))
    kr = cast(KeyResult, KeyResultFactory(objective=ObjectiveFactory(cycle=cycle)))
    assert check_in_chart(kr, cycle, [], today=cycle.starts_on + timedelta(days=3)) is None
