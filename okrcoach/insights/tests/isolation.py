from __future__ import annotations

from okrcoach.orgs.models import Team

# insights' site pages take no object id in their paths; its API has one.
ROUTES: dict[str, object] = {}


def _team(world, org):
    return {"team_id": Team.objects.for_org(org).exclude(parent=None).first().public_id}


# API routes with a path id: {path template: kwargs builder}
API_ROUTES = {
    "/api/v1/insights/teams/{team_id}/status": _team,
}
