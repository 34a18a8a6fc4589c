"""Issue 10, problem 2: the job title moved from the user to each membership; migrating keeps
what every organisation showed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("orgs", "0001_initial")]
AFTER = [("orgs", "0002_membership_title")]


@pytest.mark.django_db(transaction=True)
def test_migrating_copies_the_users_title_to_each_of_their_memberships() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(
        email="kim@acme.test", full_name="Kim", title="Support Lead"
    )
    plain = old.get_model("accounts", "User").objects.create(email="lu@acme.test", full_name="Lu")
    membership = old.get_model("orgs", "Membership")
    for slug in ("acme", "other"):
        org = old.get_model("orgs", "Organisation").objects.create(name=slug, slug=slug)
        membership.objects.create(organisation=org, user=user, role="member")
        membership.objects.create(organisation=org, user=plain, role="member")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("orgs", "Membership")
    titles = sorted(new.objects.values_list("user__email", "title"))
    assert titles == [
        ("kim@acme.test", "Support Lead"),
        ("kim@acme.test", "Support Lead"),
        ("lu@acme.test", ""),
        ("lu@acme.test", ""),
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
