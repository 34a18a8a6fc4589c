"""The weekly digest for an organisation of N people: time and SQL queries, per batch and in all.

    .venv/bin/python perf/digest_bench.py --people 10000

Builds a throw-away SQLite database under var/bench/digest.sqlite3 (people in teams of 8, one
objective with one key result each, a few comments with mentions, a status line per team, an
academy course assigned to one person in four), then runs the digest with
Django's in-memory mail backend (rendering and sending cost is real, the network is not). Prints
the queries per batch, which must not grow with the batch: the digest reads each section for a
whole batch at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10000)
    args = parser.parse_args()
    db = REPO / "var" / "bench" / "digest.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    if db.exists():
        db.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.dev")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from okrcoach.academy.models import Assignment, AssignmentTarget, Course
    from okrcoach.accounts.models import User
    from okrcoach.comms import digest
    from okrcoach.comms.models import FeedEntry, Notification
    from okrcoach.okrs.models import Cycle, KeyResult, Objective
    from okrcoach.orgs.models import Membership, Organisation, Team

    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench Co", slug="bench")
    n = args.people
    teams = Team.objects.for_org(org).bulk_create(
        [Team(organisation=org, name=f"Team {i}", slug=f"team-{i}") for i in range(n // 8 + 1)]
    )
    users = User.objects.bulk_create(
        [User(email=f"person{i}@bench.test", full_name=f"Person {i}") for i in range(n)],
        batch_size=2000,
    )
    people = Membership.objects.for_org(org).bulk_create(
        [Membership(organisation=org, user=u, team=teams[i // 8]) for i, u in enumerate(users)],
        batch_size=2000,
    )
    today = timezone.localdate()
    cycle = Cycle.objects.for_org(org).create(
        organisation=org,
        name="Now",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        state=Cycle.State.ACTIVE,
    )
    objectives = Objective.objects.for_org(org).bulk_create(
        [
            Objective(
                organisation=org,
                cycle=cycle,
                owner=m,
                team_id=m.team_id,
                title=f"Goal {i}",
                status=Objective.Status.PUBLISHED,
            )
            for i, m in enumerate(people)
        ],
        batch_size=2000,
    )
    KeyResult.objects.for_org(org).bulk_create(
        [
            KeyResult(organisation=org, objective=o, owner_id=o.owner_id, title=f"Measure {i}")
            for i, o in enumerate(objectives)
        ],
        batch_size=2000,
    )
    Notification.objects.for_org(org).bulk_create(
        [
            Notification(
                organisation=org,
                recipient=m,
                kind="mention",
                title="Someone mentioned you",
                url="/",
                target_kind="objective",
                target_id=objectives[i].public_id,
                gate_id=objectives[i].public_id,
            )
            for i, m in enumerate(people[::10])
        ],
        batch_size=2000,
    )
    FeedEntry.objects.for_org(org).bulk_create(
        [
            FeedEntry(
                organisation=org,
                verb=FeedEntry.Verb.STATUS,
                title=o.title,
                detail="On track → At risk",
                url="/",
                team_id=o.team_id,
                target_kind="objective",
                target_id=o.public_id,
                gate_id=o.public_id,
            )
            for o in objectives[::8]
        ],
        batch_size=2000,
    )
    course = Course.objects.create(slug="bench-course", title="Bench course", organisation=org)
    assignment = Assignment.objects.for_org(org).create(
        organisation=org,
        course=course,
        audience=Assignment.Audience.PEOPLE,
        due_on=today + dt.timedelta(days=3),
    )
    AssignmentTarget.objects.for_org(org).bulk_create(
        [
            AssignmentTarget(organisation=org, assignment=assignment, membership=m)
            for m in people[::4]
        ],
        batch_size=2000,
    )
    print(f"seeded {n} people in {time.perf_counter() - started:.1f} s")

    from django.core import mail

    mail.outbox = []
    members = list(
        Membership.objects.for_org(org).filter(is_active=True).select_related("user").order_by("pk")
    )
    per_batch = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as all_queries:
        for i in range(0, len(members), digest.BATCH_SIZE):
            batch = members[i : i + digest.BATCH_SIZE]
            with CaptureQueriesContext(connection) as ctx:
                digest.send_batch(org, batch, today)
            per_batch.append(len(ctx.captured_queries))
    elapsed = time.perf_counter() - started
    print(
        f"digest: {len(mail.outbox)} emails for {len(members)} people in {elapsed:.1f} s "
        f"({elapsed / max(1, len(members)) * 1000:.2f} ms per person)"
    )
    print(
        f"batches of {digest.BATCH_SIZE}: {len(per_batch)}, queries per batch: "
        f"min {min(per_batch)} max {max(per_batch)}, total {len(all_queries.captured_queries)}"
    )
    again = time.perf_counter()
    sent_again = digest.send_weekly_digests(organisation_id=org.pk, today=today)
    print(f"second run the same week: {sent_again} emails ({time.perf_counter() - again:.1f} s)")


if __name__ == "__main__":
    main()
