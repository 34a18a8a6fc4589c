"""The header every page shows comes from a per-process cache (core/templatetags/layout.py): it
must be exactly what rendering its template with the real request gives, for every reader."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def header_of(html: str) -> str:
    start = html.index('<header class="site-header">')
    return CSRF.sub("csrf", html[start : html.index("</header>", start) + len("</header>")])


def check(m: Membership, name: str, **kwargs: object) -> str:
    client = Client()
    client.force_login(m.user)
    url = reverse(name, kwargs={"org_slug": m.organisation.slug, **kwargs})
    for _ in range(2):  # rendered, then from the cache
        response = client.get(url)
        assert response.status_code == 200
        expected = render_to_string("includes/site_header.html", request=response.wsgi_request)
        assert header_of(response.content.decode()) == header_of(expected.strip())
    return header_of(response.content.decode())


def test_each_reader_gets_the_header_their_template_renders(world: World) -> None:
    for m in (world.admin, world.manager, world.member, world.executive):
        for name in ("orgs:team_list", "okrs:my_okrs", "academy:home"):
            check(m, name)


def test_the_admin_link_and_the_current_section_follow_the_reader_and_the_page(
    world: World,
) -> None:
    admin = check(world.admin, "orgs:team_list")
    member = check(world.member, "orgs:team_list")
    assert reverse("orgs:manage_people", args=[world.org.slug]) in admin
    assert reverse("orgs:manage_people", args=[world.org.slug]) not in member
    assert 'href="/o/acme/teams/" aria-current="page"' in member.replace(
        reverse("orgs:team_list", args=[world.org.slug]), "/o/acme/teams/"
    )
    assert 'aria-current="page"' not in check(world.member, "okrs:my_okrs").split("Teams")[-1]


def test_names_are_escaped_and_never_shared_between_people(world: World) -> None:
    user = world.member.user
    user.full_name = "Ana <b>Ruiz</b> & Co"
    user.save()
    header = check(world.member, "orgs:team_list")
    assert "Ana &lt;b&gt;Ruiz&lt;/b&gt; &amp; Co" in header and "<b>Ruiz" not in header
    assert "Ana" not in check(world.peer, "orgs:team_list")


def test_the_switcher_lists_the_reader_s_own_organisations(world: World) -> None:
    MembershipFactory(organisation=OrganisationFactory(name="Zeta Labs"), user=world.member.user)
    assert "Zeta Labs" in check(world.member, "orgs:team_list")
    assert "Zeta Labs" not in check(world.peer, "orgs:team_list")
