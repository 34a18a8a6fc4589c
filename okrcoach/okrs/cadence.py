"""Check-in cadence, the one place for its rules: a key result is due every N days, N being its
team's override (TeamSettings) or else the organisation's cadence."""

from __future__ import annotations

from collections.abc import Iterable

from okrcoach.orgs.models import Organisation

from .models import KeyResult, TeamSettings


def cadence_team_id(key_result: KeyResult) -> int | None:
    """The team whose cadence applies: the objective's team, else the owner's."""
    return key_result.objective.team_id or key_result.owner.team_id


def team_cadences(organisation: Organisation, team_ids: Iterable[int | None]) -> dict[int, int]:
    """Per-team cadence overrides for these teams: one query."""
    wanted = {t for t in team_ids if t}
    if not wanted:
        return {}
    return dict(
        TeamSettings.objects.for_org(organisation)
        .filter(team_id__in=wanted, check_in_cadence_days__isnull=False)
        .values_list("team_id", "check_in_cadence_days")
    )


def cadence_days(
    organisation: Organisation, key_result: KeyResult, overrides: dict[int, int] | None = None
) -> int:
    """The team's override, else the organisation's cadence. At most one query, none when the
    caller passes the overrides it fetched for a batch."""
    team_id = cadence_team_id(key_result)
    if overrides is None:
        overrides = team_cadences(organisation, [team_id])
    return (overrides.get(team_id) if team_id else None) or organisation.check_in_cadence_days
