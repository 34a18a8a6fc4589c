"""Suggested talking points for a 1:1, from what really moved since the last meeting.

Each source is a function (viewer, report, since, today) -> list[Suggestion] that runs a fixed
number of queries. Sources are registered here, in order; a later app adds its own in its
`AppConfig.ready()` with `register_agenda_source`. That is the extension point for "new
comments": growth comes before no comments app in this tree, so comments register their source
when they exist (growth never imports them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from okrcoach.academy.models import Certificate, ModuleCompletion
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.okrs.permissions import visible_q
from okrcoach.okrs.progress import confidence_band
from okrcoach.orgs.models import Membership


@dataclass(frozen=True)
class Suggestion:
    source: str  # kind of movement: kr_moved, kr_at_risk, late_check_in, academy, certificate
    text: str
    link: str = ""


Source = Callable[[Membership, Membership, datetime, date], list[Suggestion]]
_sources: dict[str, Source] = {}


def register_agenda_source(name: str, source: Source) -> None:
    """Add a source of suggestions (e.g. a comments app: "new comments on your objectives")."""
    _sources[name] = source


def _kr_url(org_slug: str, kr: KeyResult) -> str:
    return reverse("okrs:objective_detail", args=[org_slug, kr.objective.public_id])


def key_result_movement(
    viewer: Membership, report: Membership, since: datetime, today: date
) -> list[Suggestion]:
    """Key results of the report checked in since the last meeting: how far they moved, and
    whether confidence is now in the red. One query."""
    before = (
        CheckIn.objects.for_org(report.organisation_id)
        .filter(key_result=OuterRef("pk"), created_at__lte=since)
        .order_by("-created_at", "-pk")
    )
    rows = (
        KeyResult.objects.for_org(report.organisation_id)
        .filter(
            owner=report,
            last_check_in_at__gt=since,
            objective__status=Objective.Status.PUBLISHED,
            objective__cycle__state=Cycle.State.ACTIVE,
        )
        .filter(visible_q(viewer, "objective__"))
        .annotate(
            progress_before=Subquery(before.values("progress")[:1]),
            confidence_before=Subquery(before.values("confidence")[:1]),
        )
        .select_related("objective")
        .order_by("objective__title", "pk")
    )
    slug = report.organisation.slug
    out: list[Suggestion] = []
    for kr in rows:
        was = kr.progress_before  # type: ignore[attr-defined]  # annotated above
        now_pct = round(kr.progress * 100)
        if was is None:
            text = _("“%(kr)s” is at %(now)s%% (first check-ins since the last 1:1)")
        else:
            text = _("“%(kr)s” moved from %(was)s%% to %(now)s%%")
        params = {"kr": kr.title, "now": now_pct, "was": round((was or 0) * 100)}
        out.append(Suggestion("kr_moved", text % params, _kr_url(slug, kr)))
        before_band = confidence_band(kr.confidence_before)  # type: ignore[attr-defined]
        if confidence_band(kr.confidence) == "red" and before_band != "red":
            out.append(
                Suggestion(
                    "kr_at_risk",
                    _("“%(kr)s” turned at risk: confidence %(c)s/10. What would help?")
                    % {"kr": kr.title, "c": kr.confidence},
                    _kr_url(slug, kr),
                )
            )
    return out


def late_check_ins(
    viewer: Membership, report: Membership, since: datetime, today: date
) -> list[Suggestion]:
    """The report's key results whose check-in is overdue (okrs' cadence sets the due date
    with each check-in). One query."""
    rows = (
        KeyResult.objects.for_org(report.organisation_id)
        .filter(
            owner=report,
            objective__status=Objective.Status.PUBLISHED,
            objective__cycle__state=Cycle.State.ACTIVE,
            next_check_in_due__lt=today,
        )
        .filter(visible_q(viewer, "objective__"))
        .select_related("objective")
        .order_by("next_check_in_due", "pk")
    )
    slug = report.organisation.slug
    return [
        Suggestion(
            "late_check_in",
            _("Check-in on “%(kr)s” is late (due %(due)s): anything blocking it?")
            % {"kr": kr.title, "due": kr.next_check_in_due.strftime("%d %b")},  # type: ignore[union-attr]
            _kr_url(slug, kr),
        )
        for kr in rows
        if kr.is_late(today)
    ]


def academy_progress(
    viewer: Membership, report: Membership, since: datetime, today: date
) -> list[Suggestion]:
    """Academy modules completed and certificates earned since the last meeting. Two queries."""
    org = report.organisation_id
    modules = (
        ModuleCompletion.objects.for_org(org)
        .filter(enrollment__membership=report, completed_at__gt=since)
        .select_related("module__course")
        .order_by("completed_at", "pk")
    )
    certs = Certificate.objects.for_org(org).filter(
        membership=report, issued_at__gt=since, revoked_at__isnull=True
    )
    out = [
        Suggestion(
            "academy",
            _("Finished the academy module “%(m)s”: what will they try first?")
            % {"m": mc.module.title},
        )
        for mc in modules
    ]
    out += [
        Suggestion("certificate", _("Earned the certificate “%(c)s”") % {"c": c.course_title})
        for c in certs
    ]
    return out


register_agenda_source("key_results", key_result_movement)
register_agenda_source("late_check_ins", late_check_ins)
register_agenda_source("academy", academy_progress)


def suggestions(
    viewer: Membership, report: Membership, since: datetime, today: date
) -> list[Suggestion]:
    out: list[Suggestion] = []
    for source in _sources.values():
        out.extend(source(viewer, report, since, today))
    return out
