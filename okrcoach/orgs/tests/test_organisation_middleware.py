"""What every page under /o/<slug>/ pays before its own work: one query for the member, the
organisation, the user and the two counts the layout reads; the session from the cache. And the
checks Django's own user lookup makes still hold when the user comes with the membership."""

from __future__ import annotations

import zoneinfo

import pytest
from django.db.models import Count, Model, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import member_for_request
from okrcoach.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def signed_in(m: Membership) -> Client:
    client = Client()
    client.force_login(m.user)
    session = client.session
    session["org_slug"] = m.organisation.slug
    session.save()
    return client


def teams(world: World) -> str:
    return reverse("orgs:team_list", args=[world.org.slug])


def test_a_page_pays_one_query_for_session_user_and_membership(
    world: World, assert_queries
) -> None:
    client = signed_in(world.member)
    # The membership with organisation, user, team and counts; the team list's own query. The
    # session comes from the cache, the user with the membership, and a member of a single
    # organisation gets no switcher query.
    with assert_queries(2) as ctx:
        response = client.get(teams(world))
    assert response.status_code == 200
    assert "orgs_membership" in ctx.captured_queries[0]["sql"]
    assert "accounts_user" in ctx.captured_queries[0]["sql"]
    assert response.wsgi_request.user == world.member.user
    assert response.wsgi_request.membership.active_report_count == 0
    assert 'aria-label="Switch organisation"' not in response.content.decode()


def test_the_manager_s_active_reports_are_counted_with_the_membership(world: World) -> None:
    response = signed_in(world.manager).get(teams(world))
    expected = Membership.all_orgs.filter(manager=world.manager, is_active=True).count()
    assert expected > 0
    assert response.wsgi_request.membership.active_report_count == expected


def test_a_member_of_two_organisations_gets_the_switcher_for_one_query_more(
    world: World, assert_queries
) -> None:
    other = OrganisationFactory(name="Zeta Labs")
    MembershipFactory(organisation=other, user=world.member.user)
    client = signed_in(world.member)
    with assert_queries(3):
        response = client.get(teams(world))
    html = response.content.decode()
    assert 'aria-label="Switch organisation"' in html
    assert "Zeta Labs" in html and world.org.name in html


def test_a_password_changed_elsewhere_ends_the_session_on_organisation_pages(
    world: World,
) -> None:
    client = signed_in(world.member)
    assert client.get(teams(world)).status_code == 200
    user = world.member.user
    user.set_password("a-new-password-123")
    user.save()
    response = client.get(teams(world))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    # Django's own check flushed the session: signed out for good.
    assert client.get(teams(world)).status_code == 302


def test_a_deactivated_user_is_signed_out_on_organisation_pages(world: World) -> None:
    client = signed_in(world.member)
    user = world.member.user
    user.is_active = False
    user.save()
    response = client.get(teams(world))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_outsider_gets_404_and_a_signed_out_visitor_the_sign_in_page(world: World) -> None:
    assert signed_in(world.outsider).get(teams(world)).status_code == 404
    response = Client().get(teams(world))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_inactive_membership_is_a_404(world: World) -> None:
    client = signed_in(world.member)
    Membership.all_orgs.filter(pk=world.member.pk).update(is_active=False)
    assert client.get(teams(world)).status_code == 404


def test_the_user_s_time_zone_applies_on_organisation_pages(world: World) -> None:
    user = world.member.user
    user.time_zone = "Asia/Tokyo"
    user.save()
    seen: list[str] = []

    def record(sender: object, **kwargs: object) -> None:
        seen.append(str(timezone.get_current_timezone()))

    from django.test.signals import template_rendered

    template_rendered.connect(record)
    try:
        assert signed_in(world.member).get(teams(world)).status_code == 200
    finally:
        template_rendered.disconnect(record)
    assert seen and set(seen) == {str(zoneinfo.ZoneInfo("Asia/Tokyo"))}
    # The next request of another user in the same worker starts from UTC again.
    Client().get(reverse("accounts:login"))
    assert timezone.get_current_timezone_name() == "UTC"


def _fields(obj: Model | None) -> dict[str, object] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_hand_written_read_matches_the_orm_field_by_field(world: World) -> None:
    no_team = MembershipFactory(organisation=world.org, team=None, manager=world.manager)
    for m in (world.admin, world.manager, world.member, no_team):
        expected = (
            Membership.all_orgs.select_related("organisation", "user", "team")
            .annotate(
                n_reports=Count("reports", filter=Q(reports__is_active=True), distinct=True),
                n_orgs=Count(
                    "user__memberships", filter=Q(user__memberships__is_active=True), distinct=True
                ),
            )
            .get(pk=m.pk)
        )
        got = member_for_request(world.org.slug, m.user_id)
        assert got is not None
        assert _fields(got) == _fields(expected)
        assert _fields(got.organisation) == _fields(expected.organisation)
        assert _fields(got.user) == _fields(expected.user)
        assert _fields(got.team) == _fields(expected.team)
        assert got.active_report_count == expected.n_reports
        assert got.active_membership_count == expected.n_orgs
        assert got._state.adding is False and got.user._state.db == expected.user._state.db
    assert member_for_request(world.org.slug, world.outsider.user_id) is None
    assert member_for_request("no-such-org", world.member.user_id) is None
