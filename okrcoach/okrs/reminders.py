"""Check-in reminders and okrs' section of the weekly digest.

A reminder goes out on the due day, in the owner's time zone and working hours (Monday to
Friday, 9:00 to 17:00 local); one follow-up two days later if the key result is still not
checked in; never more than one reminder to a person on a day (several key results share one
message). Managers get one message a day listing the late check-ins of everyone below them.
Nothing names a key result of a private objective to someone who may not see it (the same
`can_view_objective` rule as the pages). The task runs hourly; running it twice is harmless."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from okrcoach.comms import services as comms
from okrcoach.comms.digest import DigestItem, register_digest_section
from okrcoach.comms.models import Kind
from okrcoach.orgs.models import Membership, Organisation

from .cadence import due_soon_until
from .models import Cycle, KeyResult, Objective, Retrospective
from .permissions import can_view_objective

WORK_START = dt.time(9, 0)
WORK_END = dt.time(17, 0)
FOLLOW_UP_AFTER_DAYS = 2


def local_now(member: Membership, now: dt.datetime) -> dt.datetime:
    try:
        zone = zoneinfo.ZoneInfo(member.user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return now.astimezone(zone)


def in_working_hours(local: dt.datetime) -> bool:
    return local.weekday() < 5 and WORK_START <= local.time() < WORK_END


def _open_key_results(org: Organisation, due_by: dt.date) -> list[KeyResult]:
    return list(
        KeyResult.objects.for_org(org)
        .filter(
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__status=Objective.Status.PUBLISHED,
            owner__is_active=True,
            owner__user__is_active=True,
            next_check_in_due__lte=due_by,
        )
        .select_related("owner__user", "objective")
        .order_by("next_check_in_due", "pk")
    )


def _may_see(member: Membership, kr: KeyResult) -> bool:
    objective = kr.objective
    if not objective.is_private or objective.owner_id == member.pk:
        return True
    return can_view_objective(member, objective)


def remind_organisation(org: Organisation, now: dt.datetime) -> int:
    """Queue the reminders due now in one organisation; returns how many were sent."""
    krs = _open_key_results(org, now.date() + dt.timedelta(days=1))
    by_owner: dict[int, list[KeyResult]] = defaultdict(list)
    for kr in krs:
        by_owner[kr.owner_id].append(kr)
    my_okrs = reverse("okrs:my_okrs", kwargs={"org_slug": org.slug})
    messages: list[tuple[int, str, str, str, str]] = []
    days: dict[int, dt.date] = {}
    late_by_owner: dict[int, list[KeyResult]] = {}
    for owner_id, owned in by_owner.items():
        owner = owned[0].owner
        local = local_now(owner, now)
        today = local.date()
        visible = [kr for kr in owned if _may_see(owner, kr)]
        late = [kr for kr in visible if kr.next_check_in_due and kr.next_check_in_due < today]
        if late:
            late_by_owner[owner_id] = late
        if not in_working_hours(local):
            continue
        due = [kr for kr in visible if kr.next_check_in_due == today]
        follow = [
            kr
            for kr in visible
            if kr.next_check_in_due == today - dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)
        ]
        if not due and not follow:
            continue
        names = ", ".join(kr.title for kr in (due or follow))
        title = (
            _("Check-in due today: %(krs)s") % {"krs": names}
            if due
            else _("Reminder: still waiting for a check-in on %(krs)s") % {"krs": names}
        )
        messages.append((owner_id, str(Kind.CHECK_IN_DUE), title, "", my_okrs))
        days[owner_id] = today
    sent = 0
    if messages:
        sent += comms.send_direct(
            organisation_id=org.pk, messages=messages, slot_kind="check_in_reminder", days=days
        )
    sent += _remind_managers(org, now, late_by_owner)
    sent += remind_retrospectives(org, now)
    return sent


def _remind_managers(
    org: Organisation, now: dt.datetime, late_by_owner: dict[int, list[KeyResult]]
) -> int:
    """One message per manager listing the late check-ins of their whole subtree."""
    if not late_by_owner:
        return 0
    people = {
        m.pk: m
        for m in Membership.objects.for_org(org)
        .filter(is_active=True, user__is_active=True)
        .select_related("user")
    }
    managers_of: dict[int, list[int]] = {}
    for pid in late_by_owner:
        chain, seen = [], set()
        current = people.get(pid)
        while current is not None and current.manager_id and current.manager_id not in seen:
            seen.add(current.manager_id)
            chain.append(current.manager_id)
            current = people.get(current.manager_id)
        managers_of[pid] = chain
    lists: dict[int, list[KeyResult]] = defaultdict(list)
    for pid, late in late_by_owner.items():
        for manager_id in managers_of[pid]:
            manager = people.get(manager_id)
            if manager is None:
                continue
            lists[manager_id].extend(kr for kr in late if _may_see(manager, kr))
    late_url = reverse("okrs:late_check_ins", kwargs={"org_slug": org.slug})
    messages: list[tuple[int, str, str, str, str]] = []
    days: dict[int, dt.date] = {}
    for manager_id, late in lists.items():
        manager = people[manager_id]
        local = local_now(manager, now)
        if not late or not in_working_hours(local):
            continue
        lines = "; ".join(f"{kr.owner.user.full_name}: {kr.title}" for kr in late[:20])
        title = _("%(n)d late check-ins in your team") % {"n": len(late)}
        messages.append((manager_id, str(Kind.LATE_CHECK_INS), title, lines, late_url))
        days[manager_id] = local.date()
    if not messages:
        return 0
    return comms.send_direct(
        organisation_id=org.pk, messages=messages, slot_kind="late_check_ins", days=days
    )


def remind_retrospectives(org: Organisation, now: dt.datetime) -> int:
    """At a cycle's end (the person's local date has reached its last day, in working hours),
    the owners of its published objectives that have no retrospective yet, and the leads of
    teams with objectives in it whose team retrospective is not written, are asked for it:
    once per cycle per person (a slot per cycle), one message even for several objectives.
    An owner's message names only their own objectives; a lead's names only the team, so a
    private objective never reaches someone who may not see it. The same message asks the
    owners of key results not graded yet to grade them (a count, no titles), with a link to the
    cycle's grading page. Deactivated people get nothing. Four queries per cycle ending
    (objectives, written team retrospectives, leads, ungraded key results per owner)."""
    cycles = list(
        Cycle.objects.for_org(org).filter(
            state__in=[Cycle.State.ACTIVE, Cycle.State.GRADING],
            ends_on__lte=now.date() + dt.timedelta(days=1),
        )
    )
    sent = 0
    for cycle in cycles:
        sent += _remind_cycle_retrospectives(org, cycle, now)
    return sent


def _remind_cycle_retrospectives(org: Organisation, cycle: Cycle, now: dt.datetime) -> int:
    objectives = list(
        Objective.objects.for_org(org)
        .filter(
            cycle=cycle,
            status=Objective.Status.PUBLISHED,
            owner__is_active=True,
            owner__user__is_active=True,
        )
        .exclude(
            pk__in=Retrospective.objects.for_org(org)
            .filter(cycle=cycle, objective__isnull=False)
            .values("objective_id")
        )
        .select_related("owner__user")
        .order_by("title", "pk")
    )
    done_teams = set(
        Retrospective.objects.for_org(org)
        .filter(cycle=cycle, team__isnull=False)
        .values_list("team_id", flat=True)
    )
    team_ids = {
        tid
        for tid in Objective.objects.for_org(org)
        .filter(cycle=cycle, status=Objective.Status.PUBLISHED, team__isnull=False)
        .values_list("team_id", flat=True)
        if tid not in done_teams
    }
    from okrcoach.orgs.models import Team

    teams = list(
        Team.objects.for_org(org)
        .filter(pk__in=team_ids, lead__is_active=True, lead__user__is_active=True)
        .select_related("lead__user")
        .order_by("name")
    )
    # One row per owner with their count: never the key results themselves.
    ungraded_krs = Q(
        owned_key_results__objective__cycle=cycle,
        owned_key_results__objective__status=Objective.Status.PUBLISHED,
        owned_key_results__score__isnull=True,
    )
    graders = list(
        Membership.objects.for_org(org)
        .filter(ungraded_krs, is_active=True, user__is_active=True)
        .annotate(ungraded=Count("owned_key_results", filter=ungraded_krs, distinct=True))
        .select_related("user")
    )
    ungraded = {m.pk: m.ungraded for m in graders}
    owned: dict[int, list[Objective]] = defaultdict(list)
    people: dict[int, Membership] = {m.pk: m for m in graders}
    for o in objectives:
        owned[o.owner_id].append(o)
        people[o.owner_id] = o.owner
    led: dict[int, list[Team]] = defaultdict(list)
    for t in teams:
        assert t.lead is not None  # filtered above
        led[t.lead.pk].append(t)
        people[t.lead.pk] = t.lead
    messages: list[tuple[int, str, str, str, str]] = []
    days: dict[int, dt.date] = {}
    for pid, person in people.items():
        local = local_now(person, now)
        if local.date() < cycle.ends_on or not in_working_hours(local):
            continue
        mine, teams_led = owned.get(pid, []), led.get(pid, [])
        to_grade = ungraded.get(pid, 0)
        parts = []
        if mine:
            parts.append(_("your objectives: %(o)s") % {"o": "; ".join(o.title for o in mine[:10])})
        if teams_led:
            parts.append(
                _("your team's retrospective: %(t)s") % {"t": ", ".join(t.name for t in teams_led)}
            )
        if to_grade and not mine and not teams_led:
            url = reverse("okrs:grading", args=[org.slug, cycle.public_id])
        elif len(mine) == 1 and not teams_led:
            url = reverse("okrs:retrospective", args=[org.slug, mine[0].public_id])
        elif teams_led and not mine:
            url = reverse(
                "okrs:team_retrospective", args=[org.slug, teams_led[0].public_id, cycle.public_id]
            )
        else:
            url = reverse("okrs:my_okrs", kwargs={"org_slug": org.slug})
        sentences = []
        if parts:
            sentences.append(_("Write about %(what)s.") % {"what": "; ".join(parts)})
        if to_grade:
            sentences.append(
                ngettext(
                    "Grade the %(n)d key result you own that has no grade yet.",
                    "Grade the %(n)d key results you own that have no grade yet.",
                    to_grade,
                )
                % {"n": to_grade}
            )
        if to_grade and parts:
            title = _("%(cycle)s has ended: time to grade and write the retrospective")
        elif to_grade:
            title = _("%(cycle)s has ended: time to grade your key results")
        else:
            title = _("%(cycle)s has ended: time for the retrospective")
        messages.append(
            (
                pid,
                str(Kind.RETRO_DUE),
                title % {"cycle": cycle.name},
                " ".join(sentences),
                url,
            )
        )
        days[pid] = cycle.ends_on
    if not messages:
        return 0
    return comms.send_direct(
        organisation_id=org.pk, messages=messages, slot_kind=f"retro_due:{cycle.pk}", days=days
    )


@task()
def send_check_in_reminders(*, now: str | None = None) -> int:
    """Hourly: reminders in every organisation."""
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    return sum(remind_organisation(org, moment) for org in Organisation.objects.all())


def owed_for_digest(
    org: Organisation, members: list[Membership], today: dt.date
) -> dict[int, list[DigestItem]]:
    """What each member owes this week (check-ins due): one query for the whole batch. Key
    results under a private objective appear only to that objective's owner."""
    horizon = due_soon_until(today)
    rows = (
        KeyResult.objects.for_org(org)
        .filter(
            owner__in=[m.pk for m in members],
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__status=Objective.Status.PUBLISHED,
        )
        .filter(Q(next_check_in_due__isnull=True) | Q(next_check_in_due__lte=horizon))
        .filter(
            Q(objective__visibility=Objective.Visibility.PUBLIC)
            | Q(objective__owner_id=F("owner_id"))
        )
        .order_by("next_check_in_due", "pk")
        .values_list("owner_id", "title", "next_check_in_due")
    )
    url = reverse("okrs:my_okrs", kwargs={"org_slug": org.slug})
    owed: dict[int, list[DigestItem]] = defaultdict(list)
    for owner_id, title, due in rows:
        when = _("due %(d)s") % {"d": due.isoformat()} if due else _("no check-in yet")
        owed[owner_id].append(DigestItem(_("Check in: %(t)s") % {"t": title}, url, when))
    return owed


def register() -> None:
    register_digest_section("What you owe", owed_for_digest)
