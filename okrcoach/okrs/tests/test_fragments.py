"""Cached objective cards (okrs/fragments.py): every write shows on the next read, whatever path
it took (a service, a form, a bare queryset update), and a card never crosses organisations or
readers with different rights."""

from __future__ import annotations

import re
from decimal import Decimal as D
from typing import cast
from uuid import uuid4

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.accounts.models import User
from okrcoach.core import code_version
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.orgs.models import Membership

from .factories import CycleFactory, InitiativeFactory, KeyResultFactory, ObjectiveFactory


def client_for(m: Membership) -> Client:
    c = Client()
    c.force_login(m.user)
    return c


def my_okrs(world: World) -> str:
    return reverse("okrs:my_okrs", args=[world.org.slug])


def team_okrs(world: World) -> str:
    return reverse("okrs:team_okrs", args=[world.org.slug, world.team.public_id])


def objective_of(member: Membership, cycle: Cycle, **kwargs: object) -> tuple[Objective, KeyResult]:
    o = ObjectiveFactory(cycle=cycle, owner=member, team=member.team, **kwargs)
    kr = KeyResultFactory(objective=o, title="Parcels arrive on the promised day")
    return cast(Objective, o), cast(KeyResult, kr)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_check_in_shows_on_the_next_read_and_other_cards_stay_cached(
    world: World, cycle: Cycle
) -> None:
    _o, kr = objective_of(world.member, cycle)
    other, _other_kr = objective_of(world.member, cycle, title="Returns handled within a day")
    client = client_for(world.member)
    assert "now —, target 100" in page(client, my_okrs(world))
    record_check_in(actor=world.member, key_result=kr, data=CheckInData(value=D(37), confidence=6))
    body = page(client, my_okrs(world))
    assert "now 37, target 100" in body
    assert "Confidence 6/10" in body
    assert other.title in body


def test_an_edit_made_by_a_bare_update_shows_on_the_next_read(world: World, cycle: Cycle) -> None:
    o, kr = objective_of(world.member, cycle)
    client = client_for(world.member)
    page(client, my_okrs(world))
    Objective.objects.filter(pk=o.pk).update(title="Customers trust our delivery dates")
    KeyResult.objects.filter(pk=kr.pk).update(title="Nine in ten parcels arrive on time")
    body = page(client, my_okrs(world))
    assert "Customers trust our delivery dates" in body
    assert "Nine in ten parcels arrive on time" in body


def test_renaming_an_owner_shows_on_the_next_read(world: World, cycle: Cycle) -> None:
    objective_of(world.member, cycle)
    client = client_for(world.manager)
    assert "Max Member" in page(client, team_okrs(world))
    User.objects.filter(pk=world.member.user_id).update(full_name="Maxine Member")
    body = page(client, team_okrs(world))
    assert "Maxine Member" in body
    assert "Max Member ·" not in body


def test_making_an_objective_private_shows_and_hides_it_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    o, _kr = objective_of(world.member, cycle)
    manager, peer = client_for(world.manager), client_for(world.peer)
    assert o.title in page(manager, team_okrs(world))
    assert o.title in page(peer, team_okrs(world))
    Objective.objects.filter(pk=o.pk).update(visibility=Objective.Visibility.PRIVATE)
    body = page(manager, team_okrs(world))
    assert o.title in body
    assert '<span class="badge">Private</span>' in body
    assert o.title not in page(peer, team_okrs(world))


def test_a_reader_without_rights_never_gets_a_card_cached_for_one_with_them(
    world: World, cycle: Cycle
) -> None:
    _o, kr = objective_of(world.member, cycle)
    check_in_url = reverse("okrs:check_in", args=[world.org.slug, kr.public_id])
    # The manager may check in on a report's key result; the peer may see it but not check in.
    assert check_in_url in page(client_for(world.manager), team_okrs(world))
    assert check_in_url not in page(client_for(world.peer), team_okrs(world))
    assert check_in_url in page(client_for(world.manager), team_okrs(world))


def test_a_change_of_manager_changes_the_rights_shown_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    _o, kr = objective_of(world.member, cycle)
    check_in_url = reverse("okrs:check_in", args=[world.org.slug, kr.public_id])
    peer = client_for(world.peer)
    assert check_in_url not in page(peer, team_okrs(world))
    Membership.objects.filter(pk=world.member.pk).update(manager=world.peer)
    assert check_in_url in page(peer, team_okrs(world))


def test_each_request_gets_its_own_csrf_token_and_return_path(world: World, cycle: Cycle) -> None:
    objective_of(world.member, cycle)
    first, second = client_for(world.member), client_for(world.member)
    a = page(first, my_okrs(world))
    b = page(second, my_okrs(world) + "?cycle=" + str(cycle.public_id))
    token_a = first.cookies["csrftoken"].value
    token_b = second.cookies["csrftoken"].value
    assert token_a != token_b
    assert "placeholder" not in a + b
    assert csrf_tokens(a) == {header_token(a)}
    assert csrf_tokens(b) == {header_token(b)}
    assert f'name="next" value="{my_okrs(world)}?cycle={cycle.public_id}"' in b
    assert f'name="next" value="{my_okrs(world)}"' in a


def test_a_card_never_crosses_organisations(world: World, cycle: Cycle) -> None:
    """Two organisations with the same objective: each page links into its own organisation."""
    o, _kr = objective_of(world.member, cycle, title="Same words in both places")
    other_cycle = CycleFactory(organisation=world.other_org)
    theirs = ObjectiveFactory(
        cycle=other_cycle, owner=world.outsider, title="Same words in both places"
    )
    KeyResultFactory(objective=theirs, title="Parcels arrive on the promised day")
    ours = page(client_for(world.member), my_okrs(world))
    other = page(client_for(world.outsider), reverse("okrs:my_okrs", args=[world.other_org.slug]))
    assert str(o.public_id) in ours
    assert str(theirs.public_id) in other
    assert str(o.public_id) not in other
    assert f"/o/{world.org.slug}/" not in other


def test_the_owner_of_one_key_result_gets_its_form_and_a_teammate_does_not(
    world: World, cycle: Cycle
) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.manager, team=world.team)
    kr = KeyResultFactory(objective=o, owner=world.member)
    check_in_url = reverse("okrs:check_in", args=[world.org.slug, kr.public_id])
    assert check_in_url in page(client_for(world.member), team_okrs(world))
    assert check_in_url not in page(client_for(world.peer), team_okrs(world))


def csrf_tokens(body: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))


def header_token(body: str) -> str:
    found = re.search(r'"X-CSRFToken": "([^"]+)"', body)
    assert found is not None
    return found.group(1)


def objective_url(world: World, o: Objective) -> str:
    return reverse("okrs:objective_detail", args=[world.org.slug, o.public_id])


def test_the_objective_page_shows_a_check_in_and_an_initiative_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    o, kr = objective_of(world.member, cycle)
    client = client_for(world.manager)
    assert "Check-in history" not in page(client, objective_url(world, o))
    record_check_in(
        actor=world.member,
        key_result=kr,
        data=CheckInData(value=D(42), confidence=4, progress_note="Two carriers signed"),
    )
    body = page(client, objective_url(world, o))
    assert "Two carriers signed" in body
    assert "Confidence 4/10" in body
    KeyResult.objects.filter(pk=kr.pk).update(data_source="Carrier dashboard")
    InitiativeFactory(key_result=kr, title="Weekly call with each carrier")
    body = page(client, objective_url(world, o))
    assert "Source: Carrier dashboard" in body
    assert "Weekly call with each carrier" in body


def test_only_the_author_of_the_newest_check_in_is_offered_to_correct_it(
    world: World, cycle: Cycle
) -> None:
    o, kr = objective_of(world.member, cycle)
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(5), confidence=5)
    )
    correct = reverse("okrs:check_in_correct", args=[world.org.slug, check_in.public_id])
    assert correct in page(client_for(world.member), objective_url(world, o))
    assert correct not in page(client_for(world.manager), objective_url(world, o))
    assert correct in page(client_for(world.member), objective_url(world, o))


def test_the_objective_page_gives_each_reader_their_rights_and_their_own_csrf_token(
    world: World, cycle: Cycle
) -> None:
    o, kr = objective_of(world.member, cycle)
    add_initiative = reverse("okrs:initiative_create", args=[world.org.slug, kr.public_id])
    manager = client_for(world.manager)
    body = page(manager, objective_url(world, o))
    assert add_initiative in body
    assert csrf_tokens(body) == {header_token(body)}  # this request's token, not a cached one
    assert "placeholder" not in body.replace('placeholder="New initiative"', "")
    assert add_initiative not in page(client_for(world.peer), objective_url(world, o))


def test_fragments_are_kept_apart_from_the_default_cache(world: World, cycle: Cycle) -> None:
    """Many fragments must never crowd rate-limit counters out of the default cache."""
    from django.core.cache import caches

    objective_of(world.member, cycle)
    page(client_for(world.member), my_okrs(world))
    fragments = list(caches["fragments"]._cache)
    default = list(caches["default"]._cache)
    assert any("okrs:card" in k for k in fragments)
    assert not any("okrs:card" in k for k in default)


def test_a_check_in_shows_on_the_next_read_with_fragments_in_redis(
    world: World, cycle: Cycle
) -> None:
    """As deployed with Redis (shared by every app server): the key changes with the write."""
    import socket

    from django.test import override_settings

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379 (apt-get install redis-server)")
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": f"okrcoach-test-fragments-{uuid4().hex}",
    }
    default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    _o, kr = objective_of(world.member, cycle)
    with override_settings(CACHES={"default": default, "fragments": redis}):
        client = client_for(world.member)
        assert "now —, target 100" in page(client, my_okrs(world))
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(61), confidence=8)
        )
        assert "now 61, target 100" in page(client, my_okrs(world))
    # No clear(): it would empty the whole Redis database; this test's entries, under a prefix
    # of its own, expire within the hour.


def _stale(key_part: str) -> int:
    """Replaces every cached fragment whose key contains `key_part` with a marker."""
    fragments = caches["fragments"]
    keys = [k.split(":", 2)[2] for k in list(fragments._cache) if key_part in k]
    for key in keys:
        fragments.set(key, "<p>markup of the old code</p>")
    return len(keys)


@pytest.mark.parametrize("kind", ["card", "objective-page"])
def test_a_new_code_version_never_reads_markup_cached_by_the_old_code(
    world: World, cycle: Cycle, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fragment keys name the version of the code that makes the markup (charts, the coach's
    set review, template tags: core/code_version.py), not only the templates' text."""
    caches["fragments"].clear()
    o, _kr = objective_of(world.member, cycle)
    client = client_for(world.member)
    url = (
        my_okrs(world)
        if kind == "card"
        else reverse("okrs:objective_detail", args=[world.org.slug, o.public_id])
    )
    page(client, url)
    assert _stale(f"okrs:{kind}:") == 1
    assert "markup of the old code" in page(client, url)  # the cache is read
    monkeypatch.setattr(code_version, "code_version", lambda: "a-new-deploy")
    body = page(client, url)
    assert "markup of the old code" not in body
    assert o.title in body
