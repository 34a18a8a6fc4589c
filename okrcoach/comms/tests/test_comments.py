"""Comments: threads, mentions, edit history, deletion by the author, safe Markdown, and the
privacy of private objectives."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.comms import services
from okrcoach.comms.models import Comment, CommentRevision, FeedEntry, Notification
from okrcoach.orgs.tests.factories import MembershipFactory

from .helpers import comment_on, key_result, kr_target

pytestmark = pytest.mark.django_db


def _notified(world: World) -> dict[str, str]:
    return {
        n.recipient.user.full_name: n.kind
        for n in Notification.objects.for_org(world.org).select_related("recipient__user")
    }


def test_a_mention_notifies_the_person_and_the_owner_hears_of_the_comment(world: World) -> None:
    kr = key_result(world.member)
    comment_on(world.peer, kr, "Can @mia help with the numbers?")
    assert _notified(world) == {"Mia Manager": "mention", "Max Member": "comment"}
    comment = Comment.objects.for_org(world.org).get()
    assert list(comment.mentioned.all()) == [world.manager]
    assert FeedEntry.objects.for_org(world.org).filter(verb="commented").count() == 1


def test_nobody_is_notified_of_their_own_comment(world: World) -> None:
    kr = key_result(world.member)
    comment_on(world.member, kr, "Note to self, @max")
    assert _notified(world) == {}


def test_a_reply_notifies_the_author_of_the_comment_it_answers(world: World) -> None:
    kr = key_result(world.member)
    first = comment_on(world.member, kr, "Where are we, @mia?")
    services.post_comment(
        actor=world.manager, target=kr_target(world.manager, kr), body="On track.", parent=first
    )
    replies = Notification.objects.for_org(world.org).filter(kind="reply")
    assert [n.recipient for n in replies] == [world.member]


def test_markdown_is_rendered_and_anything_unsafe_is_removed(world: World) -> None:
    kr = key_result(world.member)
    c = comment_on(
        world.member,
        kr,
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>",
    )
    assert "<strong>bold</strong>" in c.body_html
    assert "<script" not in c.body_html and "javascript:" not in c.body_html
    assert "<img" not in c.body_html and "onerror" not in c.body_html


def test_editing_keeps_the_earlier_text(world: World) -> None:
    c = comment_on(world.member, key_result(world.member), "First take")
    services.edit_comment(actor=world.member, comment=c, body="Second take")
    assert c.body == "Second take" and c.edited_at is not None
    assert list(CommentRevision.objects.for_org(world.org).values_list("body", flat=True)) == [
        "First take"
    ]


def test_only_the_author_edits_or_deletes(world: World) -> None:
    c = comment_on(world.member, key_result(world.member), "Mine")
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=world.admin, comment=c, body="Hijacked")
    with pytest.raises(PermissionDenied):
        services.delete_comment(actor=world.manager, comment=c)
    services.delete_comment(actor=world.member, comment=c)
    c.refresh_from_db()
    assert c.is_deleted and c.body == ""


def test_an_empty_comment_is_refused_naming_the_field_and_nothing_is_written(
    world: World,
) -> None:
    kr = key_result(world.member)
    with pytest.raises(ValidationError) as exc:
        comment_on(world.member, kr, "   ")
    assert "body" in exc.value.message_dict
    assert not Comment.objects.for_org(world.org).exists()


# Private objectives ---------------------------------------------------------------------------


def test_a_private_objectives_thread_is_404_for_a_member_who_may_not_see_it(
    world: World,
) -> None:
    kr = key_result(world.member, private=True)
    url = reverse(
        "comms:thread",
        kwargs={"org_slug": "acme", "kind": "key_result", "target_id": kr.public_id},
    )
    for person, status in [
        (world.peer, 404),
        (world.member, 200),
        (world.manager, 200),
        (world.executive, 200),
        (world.admin, 200),
    ]:
        client = Client()
        client.force_login(person.user)
        assert client.get(url).status_code == status, person.user.full_name
        assert client.post(url, {"body": "hi"}).status_code in (status, 302)


def test_mentioning_someone_who_may_not_see_a_private_objective_notifies_nobody(
    world: World,
) -> None:
    kr = key_result(world.member, private=True)
    comment_on(world.member, kr, "@pat and @mia, thoughts?")
    assert _notified(world) == {"Mia Manager": "mention"}
    assert list(Comment.objects.for_org(world.org).get().mentioned.all()) == [world.manager]


def test_a_nul_byte_in_the_mention_autocomplete_is_dropped_not_a_server_error(
    world: World,
) -> None:
    kr = key_result(world.member)
    client = Client()
    client.force_login(world.member.user)
    url = reverse(
        "comms:mention_people",
        kwargs={"org_slug": "acme", "kind": "key_result", "target_id": kr.public_id},
    )
    response = client.get(f"{url}?q=M%00ia%07")
    assert response.status_code == 200
    assert {p["name"] for p in response.json()["people"]} == {"Mia Manager"}


def test_mention_autocomplete_offers_only_people_who_may_see_the_item(world: World) -> None:
    kr = key_result(world.member, private=True)
    client = Client()
    client.force_login(world.member.user)
    url = reverse(
        "comms:mention_people",
        kwargs={"org_slug": "acme", "kind": "key_result", "target_id": kr.public_id},
    )
    names = {p["name"] for p in client.get(url).json()["people"]}
    assert names == {"Ada Admin", "Eve Executive", "Mia Manager", "Max Member"}
    assert "Pat Peer" not in names
    public = key_result(world.member)
    url = url.replace(str(kr.public_id), str(public.public_id))
    assert "Pat Peer" in {p["name"] for p in client.get(url).json()["people"]}
    assert client.get(url + "?q=pa").json()["people"] == [{"handle": "pat", "name": "Pat Peer"}]


def test_the_form_says_who_will_be_notified_before_posting(world: World) -> None:
    kr = key_result(world.member, private=True)
    client = Client()
    client.force_login(world.peer.user)
    url = reverse(
        "comms:compose_preview",
        kwargs={"org_slug": "acme", "kind": "key_result", "target_id": kr.public_id},
    )
    assert client.post(url, {"body": "@mia"}).status_code == 404  # cannot see it at all
    client.force_login(world.member.user)
    text = client.post(url, {"body": "Hi @mia and @pat"}).content.decode()
    assert "Will notify:" in text and "Mia Manager" in text and "Pat Peer" not in text


def test_deactivated_people_are_not_notified(world: World) -> None:
    world.manager.is_active = False
    world.manager.save()
    comment_on(world.peer, key_result(world.member), "@mia please look")
    assert "Mia Manager" not in _notified(world)


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("followers", [2, 25])
def test_posting_a_comment_costs_the_same_queries_whatever_the_number_notified(
    world: World, followers: int, assert_queries: Callable[[int], object]
) -> None:
    people = [MembershipFactory(organisation=world.org) for _ in range(followers)]
    kr = key_result(world.member)
    body = "Heads up " + " ".join(f"@{p.user.email.split('@')[0]}" for p in people)
    target = kr_target(world.peer, kr)
    world.peer.user  # noqa: B018 (joined before counting, as the views' membership is)
    # savepoint, comment, mentioned people, who may see, mentions, notifications, feed, audit,
    # release: 9 whether 3 or 26 people are notified.
    with assert_queries(9):
        services.post_comment(actor=world.peer, target=target, body=body)
    assert Notification.objects.for_org(world.org).count() == followers + 1


@pytest.mark.parametrize("comments", [2, 20])
def test_the_thread_page_runs_a_fixed_number_of_queries(
    world: World, comments: int, assert_queries: Callable[[int], object]
) -> None:
    kr = key_result(world.member)
    for i in range(comments):
        comment_on(world.peer, kr, f"Comment {i}")
    client = Client()
    client.force_login(world.member.user)
    url = reverse(
        "comms:thread",
        kwargs={"org_slug": "acme", "kind": "key_result", "target_id": kr.public_id},
    )
    # membership with its user (the session from the cache; one organisation: no switcher), the
    # key result (visibility checked), the comments with their authors, then the session save:
    # 6 for 2 or 20 comments.
    with assert_queries(6):
        response = client.get(url)
    assert response.content.decode().count('class="comment"') == comments


def _mentions_of(world: World) -> list[str]:
    return sorted(
        Notification.objects.for_org(world.org)
        .filter(kind="mention")
        .values_list("recipient__user__full_name", flat=True)
    )


def test_an_edit_that_adds_a_mention_notifies_only_the_newly_mentioned(world: World) -> None:
    kr = key_result(world.member)
    comment = comment_on(world.member, kr, "@mia can you look?")
    assert _mentions_of(world) == ["Mia Manager"]
    services.edit_comment(
        actor=world.member, comment=comment, body="@mia can you look? And @pat, yours too."
    )
    assert _mentions_of(world) == ["Mia Manager", "Pat Peer"]
    added = Notification.objects.for_org(world.org).get(kind="mention", recipient=world.peer)
    assert added.comment == comment and f"#comment-{comment.public_id}" in added.url
    assert added.title.startswith("Max Member mentioned you on")
    # Editing again (same people, new words) and naming oneself notify nobody.
    services.edit_comment(
        actor=world.member, comment=comment, body="@mia and @pat: updated numbers. @max"
    )
    assert _mentions_of(world) == ["Mia Manager", "Pat Peer"]
    assert set(comment.mentioned.values_list("pk", flat=True)) == {world.manager.pk, world.peer.pk}


def test_an_edit_never_mentions_into_a_private_objective(world: World) -> None:
    kr = key_result(world.member, private=True)
    comment = comment_on(world.member, kr, "Draft numbers")
    services.edit_comment(actor=world.member, comment=comment, body="Draft numbers, @pat")
    assert _mentions_of(world) == []
    services.edit_comment(actor=world.member, comment=comment, body="Draft numbers, @mia")
    assert _mentions_of(world) == ["Mia Manager"]  # her manager may see it


def test_an_edit_through_the_page_notifies_the_new_mention(world: World) -> None:
    kr = key_result(world.member)
    comment = comment_on(world.member, kr, "First take")
    client = Client()
    client.force_login(world.member.user)
    response = client.post(
        reverse("comms:comment_edit", args=["acme", comment.public_id]),
        {"body": "First take, @pat please check"},
    )
    assert response.status_code in (200, 302)
    assert _mentions_of(world) == ["Pat Peer"]


def test_the_author_deletes_through_the_page(world: World) -> None:
    comment = comment_on(world.member, key_result(world.member), "Wrong thread, sorry")
    client = Client()
    client.force_login(world.member.user)
    response = client.post(reverse("comms:comment_delete", args=["acme", comment.public_id]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted
