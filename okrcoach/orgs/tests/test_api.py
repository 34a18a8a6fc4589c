from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from conftest import World
from okrcoach.api.services import create_api_token, revoke_api_token
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def member_token(world: World) -> str:
    return create_api_token(membership=world.member, name="tests")[1]


@pytest.mark.django_db
def test_me_names_the_person_and_organisation_behind_the_token(
    world: World, member_token: str
) -> None:
    body = Client().get("/api/v1/me", **bearer(member_token)).json()
    assert body["person"]["email"] == "max@acme.test"
    assert body["person"]["manager_id"] == str(world.manager.public_id)
    assert body["organisation"]["slug"] == "acme"


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 30])
def test_people_are_paginated_with_a_constant_query_count(
    world, member_token, assert_queries, extra
):
    for _ in range(extra):
        MembershipFactory(organisation=world.org, manager=world.manager)
    client = Client()
    client.get("/api/v1/me", **bearer(member_token))  # first use records last_used_at
    with assert_queries(3):  # token with its membership, count, page
        body = client.get("/api/v1/people?page_size=5&page=2", **bearer(member_token)).json()
    total = Membership.objects.for_org(world.org).filter(is_active=True).count()
    assert body["count"] == total and body["page"] == 2 and body["pages"] == -(-total // 5)
    assert all("@acme.test" in p["email"] or "@example.test" in p["email"] for p in body["items"])


@pytest.mark.django_db
def test_teams_come_in_tree_order_with_member_counts(world: World, member_token: str) -> None:
    items = Client().get("/api/v1/teams", **bearer(member_token)).json()["items"]
    assert items[0]["parent_id"] is None
    support = next(t for t in items if t["name"] == "Support")
    assert support["member_count"] == 3 and support["lead_id"] == str(world.manager.public_id)


@pytest.mark.django_db
def test_missing_revoked_and_malformed_tokens_get_401_json(world: World, member_token: str) -> None:
    client = Client()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", **bearer("okr_not-a-real-token")).status_code == 401
    token = world.member.user.api_tokens.get()
    revoke_api_token(membership=world.member, token=token)
    response = client.get("/api/v1/me", **bearer(member_token))
    assert response.status_code == 401 and "detail" in response.json()


@pytest.mark.django_db
def test_bad_query_parameters_get_422_naming_the_field(world: World, member_token: str) -> None:
    response = Client().get("/api/v1/people?page_size=1000", **bearer(member_token))
    assert response.status_code == 422
    assert response.json()["field"] == "page_size"


@pytest.mark.django_db
def test_a_malformed_id_in_the_path_is_404_as_on_the_pages(world: World, member_token: str) -> None:
    response = Client().get("/api/v1/people/not-a-uuid", **bearer(member_token))
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.django_db
def test_a_deactivated_member_token_stops_working(world: World, member_token: str) -> None:
    Membership.objects.for_org(world.org).filter(pk=world.member.pk).update(is_active=False)
    assert Client().get("/api/v1/me", **bearer(member_token)).status_code == 401


@pytest.mark.django_db
def test_openapi_and_docs_are_served_without_a_cdn() -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/people" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/ninja/" in docs
    # Screen readers need the page's language (axe: html-has-lang).
    assert '<html lang="en">' in docs


@pytest.mark.django_db
def test_the_command_prints_a_working_token(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("create_api_token", "mia@acme.test", "--org", "acme")
    raw = capsys.readouterr().out.strip()
    assert Client().get("/api/v1/me", **bearer(raw)).json()["person"]["email"] == "mia@acme.test"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/api/v1/nope", 404), ("post", "/api/v1/people", 405), ("delete", "/api/v1/me", 405)],
)
def test_unknown_paths_and_wrong_methods_answer_json(member_token, method, path, status):
    response = getattr(Client(), method)(path, **bearer(member_token))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people",
        "/api/v1/teams",
        "/api/v1/okrs/cycles",
        "/api/v1/okrs/objectives",
        "/api/v1/academy/courses",
    ],
)
def test_an_absurd_page_number_is_a_422_not_a_500(member_token, path):
    response = Client().get(f"{path}?page=5498215011286899712&page_size=50", **bearer(member_token))
    assert response.status_code == 422 and response.json()["field"] == "page"
    last = Client().get(f"{path}?page=1000000", **bearer(member_token))
    assert last.status_code == 200 and last.json()["items"] == []
