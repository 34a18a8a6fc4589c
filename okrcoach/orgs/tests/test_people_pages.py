from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory, TeamFactory


def client_for(m: Membership) -> Client:
    client = Client()
    client.force_login(m.user)
    # Remember the organisation in the session now, so measured requests are steady-state ones.
    session = client.session
    session["org_slug"] = m.organisation.slug
    session.save()
    return client


def grow(world: World, n: int) -> None:
    """Add n people (with teams and reports) so query counts are measured at two sizes."""
    for i in range(n):
        team = TeamFactory(
            organisation=world.org, parent=world.team, name=f"Squad {i}", slug=f"squad-{i}"
        )
        MembershipFactory(organisation=world.org, team=team, manager=world.manager)


def url(world: World, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})


# The membership with its user (middleware; the session comes from the cache and a member of
# one organisation needs no switcher query), then the page's own queries.
@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 20])
@pytest.mark.parametrize(
    ("name", "queries"),
    # Home 16: 11 of its own and the okrs panel, 5 of the insights dashboard (no cycle yet: the
    # executive part reads a cycle snapshot, so without a cycle it no longer counts departments,
    # past cycles and managers it would not show). The head counts are counted here on a cold
    # cache (two queries, none once cached: test_organisation_stats.py); the team card's
    # ancestors take none for the admin's root team (selectors.team_ancestors).
    [("orgs:home", 16), ("orgs:people", 4), ("orgs:team_list", 2), ("orgs:manage_people", 6)],
)
def test_pages_run_a_constant_number_of_queries(world, assert_queries, extra, name, queries):
    grow(world, extra)
    client = client_for(world.admin)
    with assert_queries(queries):
        response = client.get(url(world, name))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 20])
def test_person_and_team_pages_are_flat_too(world, assert_queries, extra):
    grow(world, extra)
    client = client_for(world.member)
    with assert_queries(7):  # two more than the team page: the person's OKRs (okrs' panel)
        assert (
            client.get(
                url(world, "orgs:person_detail", person_id=world.manager.public_id)
            ).status_code
            == 200
        )
    with assert_queries(5):  # 6 → 5: the breadcrumb's ancestors in one query, not two
        assert (
            client.get(url(world, "orgs:team_detail", team_id=world.team.public_id)).status_code
            == 200
        )


@pytest.mark.django_db
def test_a_manager_sees_their_reports_tab(world: World) -> None:
    response = client_for(world.manager).get(url(world, "orgs:people") + "?tab=reports")
    content = response.content.decode()
    assert "Max Member" in content and "Pat Peer" in content and "Ada Admin" not in content


@pytest.mark.django_db
def test_people_search_answers_htmx_with_the_table_fragment_only(world: World) -> None:
    response = client_for(world.member).get(
        url(world, "orgs:people") + "?q=pat", HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="people-table"') and "Pat Peer" in content
    assert "Max Member" not in content
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("orgs:manage_people", "get"),
        ("orgs:import", "get"),
        ("orgs:settings", "get"),
        ("orgs:audit_log", "get"),
        ("orgs:create_team", "get"),
    ],
)
def test_members_and_executives_get_403_on_admin_pages(world, name, method):
    for persona in (world.member, world.executive, world.manager):
        assert getattr(client_for(persona), method)(url(world, name)).status_code == 403


@pytest.mark.django_db
def test_member_cannot_deactivate_anyone(world: World) -> None:
    response = client_for(world.member).post(
        url(world, "orgs:deactivate_member", person_id=world.peer.public_id)
    )
    assert response.status_code == 403
    world.peer.refresh_from_db()
    assert world.peer.is_active


@pytest.mark.django_db
def test_invite_form_names_the_bad_field_and_sends_nothing(world: World) -> None:
    from django.core import mail

    response = client_for(world.admin).post(
        url(world, "orgs:manage_people"), {"email": "nope", "role": "member"}
    )
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_team_form_refuses_a_loop_beside_the_parent_field(world: World) -> None:
    child = TeamFactory(organisation=world.org, parent=world.team, name="Tier 2", slug="tier-2")
    response = client_for(world.admin).post(
        url(world, "orgs:edit_team", team_id=world.team.public_id),
        {"name": "Support", "kind": "team", "parent": child.pk, "lead": ""},
    )
    assert response.status_code == 200
    assert "cannot sit below itself" in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.parent_id != child.pk


@pytest.mark.django_db
def test_csv_import_page_lists_every_problem_and_imports_nothing(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Membership.objects.for_org(world.org).count()
    upload = SimpleUploadedFile("people.csv", b"email,full_name\nbad,\n", content_type="text/csv")
    response = client_for(world.admin).post(
        url(world, "orgs:import"), {"kind": "people", "file": upload}
    )
    content = response.content.decode()
    assert (
        "Nothing was imported" in content
        and "<code>email</code>" in content
        and "<code>full_name</code>" in content
    )
    assert Membership.objects.for_org(world.org).count() == before


@pytest.mark.django_db
def test_an_executive_sees_everything_but_changes_nothing_extra(world: World) -> None:
    client = client_for(world.executive)
    assert client.get(url(world, "orgs:people")).status_code == 200
    assert (
        client.post(
            url(world, "orgs:deactivate_member", person_id=world.member.public_id)
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_field_error_is_announced_through_aria_describedby(world: World) -> None:
    response = client_for(world.admin).post(
        url(world, "orgs:manage_people"), {"email": "nope", "role": "member"}
    )
    body = response.content.decode()
    assert 'aria-describedby="id_email_error"' in body and 'id="id_email_error"' in body


@pytest.mark.django_db
def test_team_okrs_are_one_click_from_teams_a_team_page_a_person_page_and_home(
    world: World,
) -> None:
    client = client_for(world.manager)
    team_okrs = reverse("okrs:team_okrs", args=[world.org.slug, world.team.public_id])
    pages = [
        url(world, "orgs:team_list"),
        url(world, "orgs:team_detail", team_id=world.team.public_id),
        url(world, "orgs:person_detail", person_id=world.member.public_id),
        url(world, "orgs:home"),
    ]
    for page in pages:
        assert f'href="{team_okrs}"' in client.get(page).content.decode(), page


@pytest.mark.django_db
def test_home_does_not_list_a_leads_reports_twice(world: World) -> None:
    body = client_for(world.manager).get(url(world, "orgs:home")).content.decode()
    # The directory part of Home (reports, team) links each person's page once; the insights
    # dashboard may name them again for another purpose (their academy progress).
    person_page = url(world, "orgs:person_detail", person_id=world.member.public_id)
    assert body.count(f'href="{person_page}">Max Member<') == 1


@pytest.mark.django_db
def test_a_nul_byte_in_the_people_search_is_dropped_not_a_server_error(world: World) -> None:
    response = client_for(world.member).get(f"{url(world, 'orgs:people')}?q=Mi%00a")
    assert response.status_code == 200
