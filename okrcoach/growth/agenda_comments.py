"""The 1:1 agenda's "new comments" source: comments posted since the last meeting on the
report's objectives and key results (objectives they own, or under which they own a key result),
read through comms' selector, so a private objective the viewer may not see never shows.
growth sits above comms in the import order: growth reads comms, comms knows nothing of it.
Two queries: the report's objectives the viewer may see, then their new comments."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from uuid import UUID

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from okrcoach.comms.models import Comment
from okrcoach.comms.selectors import comments_since
from okrcoach.okrs.models import Objective
from okrcoach.okrs.permissions import visible_q
from okrcoach.orgs.models import Membership

from .agenda import Suggestion, register_agenda_source


def _excerpt(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def new_comments(
    viewer: Membership, report: Membership, since: datetime, today: date
) -> list[Suggestion]:
    objectives = dict(
        Objective.objects.for_org(report.organisation_id)
        .filter(Q(owner=report) | Q(key_results__owner=report))
        .filter(visible_q(viewer))
        .values_list("public_id", "title")
        .distinct()
    )
    by_gate: dict[UUID, list[Comment]] = defaultdict(list)
    for c in comments_since(viewer, gate_ids=list(objectives), since=since):
        if c.gate_id is not None:
            by_gate[c.gate_id].append(c)
    slug = report.organisation.slug
    out = []
    for gate_id, comments in sorted(by_gate.items(), key=lambda kv: objectives[kv[0]]):
        latest = comments[0]
        out.append(
            Suggestion(
                "comments",
                _(
                    "%(n)d new comment(s) on “%(o)s” since the last 1:1; latest from "
                    "%(who)s: “%(text)s”"
                )
                % {
                    "n": len(comments),
                    "o": objectives[gate_id],
                    "who": latest.author.user.full_name,
                    "text": _excerpt(latest.body),
                },
                reverse(
                    "comms:thread",
                    kwargs={
                        "org_slug": slug,
                        "kind": latest.target_kind,
                        "target_id": latest.target_id,
                    },
                )
                + f"#comment-{latest.public_id}",
            )
        )
    return out


def register() -> None:
    register_agenda_source("comments", new_comments)
