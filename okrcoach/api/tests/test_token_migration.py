"""ApiToken moved from accounts to api without touching its table: a database migrated before
the move keeps its tokens, and they still authenticate afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from okrcoach.core.tokens import hash_token

BEFORE_MOVE = [("accounts", "0002_initial"), ("api", None)]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_keeps_the_tokens_made_before_the_move() -> None:
    executor = _migrate(BEFORE_MOVE)
    old = executor.loader.project_state([("accounts", "0002_initial")]).apps
    user = old.get_model("accounts", "User").objects.create(email="kim@acme.test", full_name="Kim")
    org = old.get_model("orgs", "Organisation").objects.create(name="Acme", slug="acme")
    old.get_model("orgs", "Membership").objects.create(organisation=org, user=user, role="member")
    raw = "okr_made-before-the-move"
    old.get_model("accounts", "ApiToken").objects.create(
        user=user, organisation=org, name="old", token_prefix=raw[:10], token_hash=hash_token(raw)
    )

    _migrate(executor.loader.graph.leaf_nodes())

    from okrcoach.api.models import ApiToken

    token = ApiToken.objects.get()
    assert (token.name, token.user.email, token.organisation.slug) == (
        "old",
        "kim@acme.test",
        "acme",
    )
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["person"]["email"] == "kim@acme.test"
