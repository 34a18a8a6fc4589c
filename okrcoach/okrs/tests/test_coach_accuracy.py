"""The published accuracy: the page (members only, isolated), the CLI and the per-finding figure."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coach import accuracy
from coach.cli import main
from conftest import World
from okrcoach.okrs.coach_panel import FindingView

from .factories import ObjectiveFactory
from .test_pages import client_for


def _url(world: World) -> str:
    return reverse("okrs:coach_accuracy", args=[world.org.slug])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "admin"])
def test_any_member_sees_each_rule_with_set_sizes_and_date(world: World, role: str) -> None:
    response = client_for(getattr(world, role)).get(_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert accuracy.load()["measured"] in body and "realistic-heldback" in body
    assert "KR-04-OUTCOME" in body and "159" in body


@pytest.mark.django_db
def test_another_organisations_member_gets_404(world: World) -> None:
    assert client_for(world.outsider).get(_url(world)).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(world: World, client: Client) -> None:
    response = client.get(_url(world))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 15])
def test_the_page_runs_a_constant_number_of_queries(world: World, assert_queries, n: int) -> None:
    for _ in range(n):
        ObjectiveFactory(cycle__organisation=world.org, owner=world.member)
    client = client_for(world.member)
    # the membership with its user (session from the cache, no switcher for one organisation);
    # the figures come from the file
    with assert_queries(1):
        assert client.get(_url(world)).status_code == 200


def test_the_cli_prints_the_shipped_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["accuracy"]) == 0
    out = capsys.readouterr().out
    assert "realistic-heldback" in out and "KR-04-OUTCOME" in out and "measured" in out


def test_a_finding_says_how_often_its_rule_is_right() -> None:
    finding = FindingView("KR-04-OUTCOME", "blocking", "m", "q", "s", None)
    precision, fired = accuracy.how_often_right("KR-04-OUTCOME") or (0.0, 0)
    assert f"{round(precision * 100)}%" in finding.how_often_right and str(fired) in (
        finding.how_often_right
    )
    assert FindingView("OBJ-08-WHY", "info", "m", "q", "s", None).how_often_right == ""
