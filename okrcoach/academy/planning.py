"""When an organisation plans: refreshers are scheduled around each cycle's planning week (the
seven days before a cycle starts), when the key rules matter most.

Planning weeks come from the organisation's OKR cycles when the okrs app has any ahead, else
from the organisation's cycle settings (cycle_length_months from cycle_start_month). The academy
comes after okrs in the import order, so it reads the OKR cycles directly."""

from __future__ import annotations

import datetime as dt

from okrcoach.okrs.models import Cycle
from okrcoach.orgs.models import Organisation

PLANNING_WEEK_DAYS = 7
# A refresher moves to a planning week that starts within this many days of its natural date.
SNAP_DAYS = 14
# Never ask again sooner than this after finishing a module or answering.
MIN_GAP_DAYS = 3


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _settings_cycle_starts(
    organisation: Organisation, after: dt.date, until: dt.date
) -> list[dt.date]:
    length = max(1, int(organisation.cycle_length_months or 3))
    start_month = min(12, max(1, int(organisation.cycle_start_month or 1)))
    start = dt.date(after.year - 1, start_month, 1)
    starts = []
    while start <= until:
        if start > after:
            starts.append(start)
        start = _add_months(start, length)
    return starts


def _okr_cycle_starts(organisation: Organisation, after: dt.date, until: dt.date) -> list[dt.date]:
    return list(
        Cycle.objects.for_org(organisation)
        .filter(starts_on__gt=after, starts_on__lte=until)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
    )


def planning_weeks(organisation: Organisation, after: dt.date, until: dt.date) -> list[dt.date]:
    """First days of the planning weeks that start after `after` and by `until` (one query)."""
    horizon = until + dt.timedelta(days=PLANNING_WEEK_DAYS)
    starts = _okr_cycle_starts(organisation, after, horizon) or _settings_cycle_starts(
        organisation, after, horizon
    )
    weeks = [s - dt.timedelta(days=PLANNING_WEEK_DAYS) for s in starts]
    return sorted({w for w in weeks if after < w <= until})


def refresher_due_on(today: dt.date, interval_days: int, weeks: list[dt.date]) -> dt.date:
    """The natural date (today + interval), moved to the planning week nearest to it when one
    starts within SNAP_DAYS, and never sooner than MIN_GAP_DAYS from today."""
    natural = today + dt.timedelta(days=interval_days)
    earliest = today + dt.timedelta(days=MIN_GAP_DAYS)
    near = [w for w in weeks if w >= earliest and abs((w - natural).days) <= SNAP_DAYS]
    return min(near, key=lambda w: abs((w - natural).days)) if near else natural


def weeks_for(organisation: Organisation, today: dt.date, longest_interval: int) -> list[dt.date]:
    """The planning weeks any refresher scheduled today could snap to."""
    return planning_weeks(
        organisation, today, today + dt.timedelta(days=longest_interval + SNAP_DAYS)
    )
