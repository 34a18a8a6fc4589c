"""Every growth page: a fixed number of queries whatever the history's length (pinned with 2 and
5 of everything), and what each page shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import Cast
from .history import build_history

# (who, url name, kwargs builder, exact queries). Each page's own share: the membership with its
# user (the session comes from the cache; a member of one organisation gets no switcher query).
PAGES: list[tuple[str, str, Callable[[Cast, dict[str, Any]], dict[str, Any]], int]] = [
    ("manager", "growth:home", lambda c, h: {}, 5),
    ("manager", "growth:series", lambda c, h: {"series_id": h["series"].public_id}, 4),
    ("manager", "growth:series_ics", lambda c, h: {"series_id": h["series"].public_id}, 2),
    # 15: +2 for the agenda's "new comments" source (agenda_comments.py, comms).
    ("manager", "growth:meeting", lambda c, h: {"meeting_id": h["meeting"].public_id}, 15),
    (
        "manager",
        "growth:development_list",
        lambda c, h: {"person_id": c.person.public_id},
        8,
    ),
    (
        "manager",
        "growth:development",
        lambda c, h: {"objective_id": h["development"].public_id},
        8,
    ),
    ("person", "growth:skills", lambda c, h: {}, 3),
    # +4 since evidence may be the person's records: one choice list each (KRs, check-ins,
    # feedback received, certificates) on the assessment form.
    ("manager", "growth:person_skills", lambda c, h: {"person_id": c.person.public_id}, 11),
    ("person", "growth:feedback", lambda c, h: {}, 6),
    ("person", "growth:feedback_give", lambda c, h: {}, 3),
    ("person", "growth:recognition", lambda c, h: {}, 2),
    ("manager", "growth:feedback_detail", lambda c, h: {"feedback_id": h["feedback"].public_id}, 2),
    ("admin", "growth:evidence_pack", lambda c, h: {"person_id": c.person.public_id}, 17),
    ("manager", "orgs:person_detail", lambda c, h: {"person_id": c.person.public_id}, 6),
]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 5])
def test_every_growth_page_runs_a_fixed_number_of_queries(
    cast: Cast, size: int, assert_queries: Any
) -> None:
    history = build_history(cast, size)
    for who, name, kwargs, expected in PAGES:
        client = Client()
        client.force_login(getattr(cast, who).user)
        url = reverse(name, kwargs={"org_slug": cast.world.org.slug, **kwargs(cast, history)})
        client.get(url)  # warm the session and per-process caches
        with assert_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, name
