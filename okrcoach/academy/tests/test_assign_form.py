"""The course-assignment form: one "assign to" choice that shows only its control (every control
shows without JavaScript), a checkbox list of people with a search box, and every error at once,
each naming its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import Assignment, Course
from okrcoach.orgs.models import Membership

Login = Callable[[Membership], Client]


def _url(world: World) -> str:
    return reverse("academy:assign", args=[world.org.slug])


def test_the_form_has_one_assign_to_choice_and_a_checkbox_list_of_people(
    world: World, course: Course, login: Login
) -> None:
    body = login(world.admin).get(_url(world)).content.decode()
    assert "<legend>Assign to</legend>" in body
    for value in ("people", "team", "managers"):
        assert f'type="radio" name="audience" value="{value}"' in body
    # Each control sits in a panel the script shows only for its choice; without JS all show.
    assert 'data-choice-for="audience" data-choice-value="people"' in body
    assert 'data-choice-for="audience" data-choice-value="team"' in body
    assert "<select" in body.split('data-choice-value="team"')[1].split("</div>")[0] or (
        'name="team"' in body
    )
    # People are checkboxes (no Ctrl-click), with a search box the script reveals.
    assert (
        '<select name="people"' not in body and "multiple" not in body.split("people-list")[1][:200]
    )
    assert (
        body.count('type="checkbox" name="people"')
        == Membership.objects.for_org(world.org).filter(is_active=True).count()
    )
    assert 'data-filter-list="#people-list"' in body and "hidden>" in body
    assert "<script>" not in body and " onclick=" not in body  # strict CSP: no inline script


def test_every_error_is_reported_at_once_and_names_its_field(
    world: World, course: Course, login: Login
) -> None:
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = login(world.admin).post(
        _url(world), {"course": course.slug, "audience": "people", "due_on": yesterday}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please correct 2 things:" in body
    summary = body.split('id="assign-errors"')[1].split("</div>")[0]
    assert '<a href="#id_people_0">People</a>: Choose at least one person.' in summary
    assert '<a href="#id_due_on">Due date</a>: The due date cannot be in the past.' in summary
    assert 'id="id_people_error"' in body and 'id="id_due_on_error"' in body
    assert not Assignment.objects.for_org(world.org).exists()


def test_missing_course_team_and_date_are_all_reported(
    world: World, course: Course, login: Login
) -> None:
    body = login(world.admin).post(_url(world), {"audience": "team"}).content.decode()
    assert "Please correct 3 things:" in body
    for label in ("Course", "Team", "Due date"):
        assert f">{label}</a>:" in body


def test_the_chosen_audience_is_kept_after_an_error(
    world: World, course: Course, login: Login
) -> None:
    body = (
        login(world.admin)
        .post(_url(world), {"course": course.slug, "audience": "team"})
        .content.decode()
    )
    assert (
        'type="radio" name="audience" value="team" required id="id_audience_1" checked' in body
        or ('value="team"' in body and "checked" in body.split('value="team"')[1][:80])
    )


def test_the_service_reports_every_error_at_once(world: World, course: Course) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assign_course(
            actor=world.admin,
            course=course,
            audience="people",
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"people", "due_on"}
