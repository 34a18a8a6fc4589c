"""The 1:1 page's regions answer htmx with their own partial (talking points, action items,
shared notes, my private note), and plain posts with a redirect: the page works without JS and
both paths run the same service."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrcoach.growth import services
from okrcoach.growth.models import ActionItem, AgendaItem, PrivateNote

from .conftest import Cast, make_series
from .history import build_history

HX = {"HTTP_HX_REQUEST": "true"}


def _client(who: Any) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


def _url(cast: Cast, name: str, meeting: Any, *extra: Any) -> str:
    return reverse(f"growth:{name}", args=[cast.world.org.slug, meeting.public_id, *extra])


@pytest.mark.django_db
def test_adding_a_talking_point_returns_the_agenda_and_the_suggestions_out_of_band(
    cast: Cast,
) -> None:
    _series, meeting = make_series(cast)
    response = _client(cast.manager).post(
        _url(cast, "agenda_add", meeting), {"text": "Depot rota for December"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section class="card" id="agenda-card"')
    assert "<html" not in html and "Depot rota for December" in html
    assert 'id="suggestions-card"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    assert AgendaItem.objects.for_org(cast.world.org).get().text == "Depot rota for December"


@pytest.mark.django_db
def test_without_htmx_the_same_post_redirects_to_the_region(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    response = _client(cast.manager).post(_url(cast, "agenda_add", meeting), {"text": "Rota"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/meetings/{meeting.public_id}/#agenda-h")


@pytest.mark.django_db
def test_an_invalid_point_comes_back_in_the_partial_with_its_error_and_nothing_written(
    cast: Cast,
) -> None:
    _series, meeting = make_series(cast)
    response = _client(cast.manager).post(_url(cast, "agenda_add", meeting), {"text": ""}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<section class="card" id="agenda-card"')
    assert 'aria-invalid="true"' in html and 'id="agenda_text_error"' in html
    assert not AgendaItem.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
def test_action_items_are_added_and_completed_in_place(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    client = _client(cast.manager)
    added = client.post(
        _url(cast, "action_add", meeting), {"text": "Book the room", "owner": cast.person.pk}, **HX
    )
    assert added.content.decode().startswith('<section class="card" id="actions-card"')
    item = ActionItem.objects.for_org(cast.world.org).get()
    assert f'id="action-{item.public_id}"' in added.content.decode()
    done = client.post(_url(cast, "action_done", meeting, item.public_id), **HX)
    html = done.content.decode()
    assert done.status_code == 200 and "growth-action--done" in html
    again = client.post(_url(cast, "action_done", meeting, item.public_id), **HX)
    assert "already done" in again.content.decode() and 'role="alert"' in again.content.decode()


@pytest.mark.django_db
def test_notes_are_saved_in_place_and_the_private_one_says_who_reads_it(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    client = _client(cast.manager)
    shared = client.post(_url(cast, "shared_notes", meeting), {"shared_notes": "Agreed rota"}, **HX)
    assert "Shared notes saved." in shared.content.decode()
    assert "Agreed rota" in shared.content.decode()
    private = client.post(_url(cast, "private_note", meeting), {"body": "Seems tired"}, **HX)
    html = private.content.decode()
    assert html.startswith('<section class="card growth-private" id="private-card"')
    assert "Private note saved. Only you can read it." in html and "Seems tired" in html
    assert PrivateNote.objects.for_org(cast.world.org).get().author == cast.manager


@pytest.mark.django_db
def test_fragments_keep_the_pages_permissions(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    url = _url(cast, "agenda_add", meeting)
    assert _client(cast.peer).post(url, {"text": "x"}, **HX).status_code == 403
    assert _client(cast.admin).post(url, {"text": "x"}, **HX).status_code == 403
    assert _client(cast.outsider).post(url, {"text": "x"}, **HX).status_code == 404
    assert not AgendaItem.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 5])
def test_each_fragment_runs_a_fixed_number_of_queries(cast: Cast, size: int) -> None:
    history = build_history(cast, size)
    meeting = history["meeting"]
    open_item = services.add_action_item(
        actor=cast.manager, meeting=meeting, text="Close me", owner=cast.manager
    )
    client = _client(cast.manager)
    # Each: the write (with its audit row; an action item for the other person also notifies
    # them) and the meeting page's selector for the partial and the suggestions (whose
    # "new comments" source, comms' comments_since, costs 2 queries); before them the
    # membership with its user (the session from the cache).
    posts = [
        ("agenda_add", (), {"text": "A point"}, 18),
        ("action_add", (), {"text": "An item", "owner": cast.person.pk}, 22),
        ("action_done", (open_item.public_id,), {}, 20),
        ("shared_notes", (), {"shared_notes": "Notes"}, 18),
        ("private_note", (), {"body": "Mine"}, 21),
    ]
    client.get(reverse("growth:meeting", args=[cast.world.org.slug, meeting.public_id]))
    ran = {}
    for name, extra, data, _expected in posts:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(_url(cast, name, meeting, *extra), data, **HX)
        assert response.status_code == 200, name
        ran[name] = len(ctx.captured_queries)
    assert ran == {name: expected for name, _e, _d, expected in posts}
