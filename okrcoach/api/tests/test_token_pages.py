from __future__ import annotations

import pytest
from django.test import Client

from conftest import World
from okrcoach.api.models import ApiToken
from okrcoach.core.models import AuditEvent

PAGE = "/o/acme/api-tokens/"


def signed_in(world: World) -> Client:
    client = Client()
    client.force_login(world.member.user)
    return client


def _secret(content: str) -> str:
    return content.split('id="new-token">')[1].split("<")[0]


@pytest.mark.django_db
def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(world: World) -> None:
    response = signed_in(world).post(PAGE, {"name": "CI lint"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    token = ApiToken.objects.get(user=world.member.user)
    secret = _secret(content)
    assert (
        secret.startswith("okr_") and token.token_hash != secret and secret not in token.token_hash
    )
    assert "<html" not in content  # the htmx swap gets the fragment only
    again = signed_in(world).get(PAGE).content.decode()
    assert secret not in again and "CI lint" in again


@pytest.mark.django_db
def test_without_javascript_the_page_itself_shows_the_new_secret(world: World) -> None:
    response = signed_in(world).post(PAGE, {"name": "laptop"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" in content and _secret(content).startswith("okr_")
    assert (
        AuditEvent.objects.for_org(world.org).filter(action="accounts.api_token.created").count()
        == 1
    )


@pytest.mark.django_db
def test_a_token_name_is_required(world: World) -> None:
    response = signed_in(world).post(PAGE, {"name": ""}, HTTP_HX_REQUEST="true")
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.filter(user=world.member.user).exists()


@pytest.mark.django_db
def test_revoking_marks_the_token_and_keeps_it_listed(world: World) -> None:
    client = signed_in(world)
    client.post(PAGE, {"name": "mine"})
    token = ApiToken.objects.get(user=world.member.user)
    response = client.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_someone_else_cannot_revoke_my_token(world: World) -> None:
    signed_in(world).post(PAGE, {"name": "mine"})
    token = ApiToken.objects.get(user=world.member.user)
    other = Client()
    other.force_login(world.peer.user)
    assert other.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_the_page_lists_only_my_tokens_in_this_organisation(world: World) -> None:
    from okrcoach.api.services import create_api_token

    create_api_token(membership=world.peer, name="peer's token")
    create_api_token(membership=world.member, name="my token")
    content = signed_in(world).get(PAGE).content.decode()
    assert "my token" in content and "peer&#x27;s token" not in content
