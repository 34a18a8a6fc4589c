"""Demo conversation: a few comments with mentions and a reply on Kestrel's key results, made
through the same service as the pages, so the people involved find notifications in their inbox
and the activity feeds have lines. Text is our own."""

from __future__ import annotations

from okrcoach.comms import services, targets
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership, Organisation

THREAD = [
    (
        "Jordan Ellis",
        "Two accounts slipped past day 14 because the data import waited on IT. "
        "Could we get a standing slot with them, @maya.okafor?",
    ),
    (
        "Maya Okafor",
        "Yes: I'll ask for a weekly **Tuesday** slot. Keep a list of the blocked "
        "accounts so we can show the pattern.",
    ),
]


def seed_comms() -> None:
    org = Organisation.objects.get(slug="kestrel")
    people = {m.user.full_name: m for m in Membership.objects.for_org(org).select_related("user")}
    jordan = people["Jordan Ellis"]
    kr = (
        KeyResult.objects.for_org(org)
        .filter(
            owner=jordan,
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__visibility=Objective.Visibility.PUBLIC,
        )
        .order_by("pk")
        .first()
    )
    if kr is None:
        return
    parent = None
    for name, body in THREAD:
        author = people[name]
        target = targets.resolve(author, "key_result", kr.public_id)
        comment = services.post_comment(actor=author, target=target, body=body, parent=parent)
        parent = parent or comment
