from __future__ import annotations

from okrcoach.api.models import ApiToken
from okrcoach.core.tests.isolation import Route
from okrcoach.orgs.models import Membership


def _token(world, org):
    m = Membership.objects.for_org(org).select_related("user").first()
    t = ApiToken.objects.create(
        user=m.user, organisation=org, name="t", token_prefix="okr_x", token_hash=f"hash-{org.pk}"
    )
    return {"token_id": t.pk}


ROUTES = {
    "api_tokens:revoke": Route(_token, "post"),
}
