"""academy's door into comms (comms sits below academy in the import order, so academy calls
it, never the reverse): assignment notifications (a new assignment, due soon, overdue) in the
inbox and by email under the person's "academy" switch, and the digest's "Academy items due"
section."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from okrcoach.comms import services as comms
from okrcoach.comms.digest import DigestItem, register_digest_section
from okrcoach.comms.models import Kind
from okrcoach.orgs.models import Membership, Organisation

from . import selectors
from .models import Assignment, AssignmentTarget, Course, ReminderSent

# The digest lists what is due within this many days (and everything overdue).
DIGEST_HORIZON_DAYS = 7


def _course_url(org: Organisation, course: Course) -> str:
    return reverse("academy:course", args=[org.slug, course.slug])


def _due(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def assignment_created(
    *, org: Organisation, assignment: Assignment, course: Course, people: list[int]
) -> int:
    """Each person assigned hears of it once: fixed queries whatever their number."""
    title = _("Course assigned: %(c)s (due %(d)s)") % {
        "c": course.title,
        "d": _due(assignment.due_on),
    }
    excerpt = assignment.note or _("%(o)s has assigned you the course “%(c)s”.") % {
        "o": org.name,
        "c": course.title,
    }
    url = _course_url(org, course)
    rows = comms.notify_people(
        organisation_id=org.pk,
        messages=[(pid, str(Kind.ACADEMY), title, excerpt, url) for pid in people],
        target_kind="academy_assignment",
        target_id=assignment.public_id,
    )
    return len(rows)


def reminder(*, target: AssignmentTarget, kind: str, today: dt.date) -> int:
    """A due-soon or overdue reminder for one learner (academy keeps the once-a-day rows)."""
    assignment = target.assignment
    course = assignment.course
    org = target.organisation
    if kind == ReminderSent.Kind.DUE_SOON:
        title = _("Reminder: %(c)s is due soon") % {"c": course.title}
        days = (assignment.due_on - today).days
        excerpt = _("“%(c)s” is due on %(d)s, in %(n)d day(s).") % {
            "c": course.title,
            "d": _due(assignment.due_on),
            "n": days,
        }
    else:
        title = _("Overdue: %(c)s") % {"c": course.title}
        excerpt = _("“%(c)s” was due on %(d)s and is not finished yet.") % {
            "c": course.title,
            "d": _due(assignment.due_on),
        }
    rows = comms.notify_people(
        organisation_id=org.pk,
        messages=[
            (target.membership_id, str(Kind.ACADEMY), title, excerpt, _course_url(org, course))
        ],
        target_kind="academy_assignment",
        target_id=assignment.public_id,
    )
    return len(rows)


def due_for_digest(
    org: Organisation, members: list[Membership], today: dt.date
) -> dict[int, list[DigestItem]]:
    """Each member's unfinished assignments due within a week or overdue: one query for the
    whole batch."""
    horizon = today + dt.timedelta(days=DIGEST_HORIZON_DAYS)
    rows = (
        selectors.targets_with_completion(org)
        .filter(Q(is_done=False))  # annotated by the selector
        .filter(membership_id__in=[m.pk for m in members], assignment__due_on__lte=horizon)
        .select_related("assignment__course")
        .order_by("assignment__due_on", "pk")
    )
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for t in rows:
        due_on = t.assignment.due_on
        course = t.assignment.course
        detail = (
            _("overdue since %(d)s") % {"d": _due(due_on)}
            if due_on < today
            else _("due %(d)s") % {"d": _due(due_on)}
        )
        found[t.membership_id].append(
            DigestItem(_("Finish “%(c)s”") % {"c": course.title}, _course_url(org, course), detail)
        )
    return found


def register() -> None:
    register_digest_section("Academy items due", due_for_digest)
