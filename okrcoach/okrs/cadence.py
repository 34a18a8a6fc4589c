"""Check-in cadence, the one place for its rules: a key result is due every N days, N being its
team's override (TeamSettings) or else the organisation's cadence; a check-in sets the next due
date that many days ahead; a check-in is due "this week" from today to six days ahead."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone

from okrcoach.orgs.models import Membership, Organisation, Team

from .models import KeyResult, TeamSettings

# "This week" for what a member owes: today and the six days after it.
DUE_SOON_DAYS = 6


def _days(organisation: Organisation, override: int | None) -> int:
    return override or organisation.check_in_cadence_days


def cadence_team_id(key_result: KeyResult) -> int | None:
    """The team whose cadence applies: the objective's team, else the owner's."""
    return key_result.objective.team_id or key_result.owner.team_id


def team_override(organisation: Organisation, team: Team) -> int | None:
    """The team's own cadence, None when it follows the organisation's: one query."""
    return (
        TeamSettings.objects.for_org(organisation)
        .filter(team=team)
        .values_list("check_in_cadence_days", flat=True)
        .first()
    )


def team_cadence_days(organisation: Organisation, team: Team) -> int:
    """The cadence a team's check-ins follow: one query."""
    return _days(organisation, team_override(organisation, team))


def team_cadences(organisation: Organisation, team_ids: Iterable[int | None]) -> dict[int, int]:
    """Per-team cadence overrides for these teams: one query."""
    wanted = {t for t in team_ids if t}
    if not wanted:
        return {}
    rows = (
        TeamSettings.objects.for_org(organisation)
        .filter(team_id__in=wanted, check_in_cadence_days__isnull=False)
        .values_list("team_id", "check_in_cadence_days")
    )
    return {team_id: days for team_id, days in rows if days is not None}


def cadence_days(
    organisation: Organisation, key_result: KeyResult, overrides: dict[int, int] | None = None
) -> int:
    """The team's override, else the organisation's cadence. At most one query, none when the
    caller passes the overrides it fetched for a batch."""
    team_id = cadence_team_id(key_result)
    if overrides is None:
        overrides = team_cadences(organisation, [team_id])
    return _days(organisation, overrides.get(team_id) if team_id else None)


def next_due(
    organisation: Organisation,
    key_result: KeyResult,
    now: datetime,
    overrides: dict[int, int] | None = None,
    today: date | None = None,
) -> date:
    """The due date a check-in made `now` sets: one cadence ahead of its local date (`today`
    when the caller has it already, as a batch of check-ins made at one moment does)."""
    day = today if today is not None else timezone.localdate(now)
    return day + timedelta(days=cadence_days(organisation, key_result, overrides))


def due_soon_until(today: date) -> date:
    """The last day of "this week" as seen from today."""
    return today + timedelta(days=DUE_SOON_DAYS)


def is_due_soon(due: date | None, today: date) -> bool:
    """Never checked in, or due between today and the end of this week."""
    return due is None or today <= due <= due_soon_until(today)


def can_change_cadence(actor: Membership, team: Team) -> bool:
    """Admins and the team's lead set a team's cadence."""
    return actor.is_admin or team.lead_id == actor.pk
