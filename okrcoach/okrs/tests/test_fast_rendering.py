"""The fast paths of issue 15 give the same output as the slow ones they replace."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from okrcoach.okrs.forms import CheckInForm
from okrcoach.okrs.models import CheckIn, KeyResult
from okrcoach.okrs.templatetags.okrs_tags import fresh_check_in_form

from .factories import KeyResultFactory, ObjectiveFactory

if TYPE_CHECKING:
    from conftest import World
    from okrcoach.okrs.models import Cycle

FIELDS = Template(
    "{% for field in form.primary_fields %}{{ field.label_tag }}{% if field.errors %}x"
    "{% else %}{{ field }}{% endif %}{% endfor %}|"
    "{% for field in form.note_fields %}{{ field.label_tag }}{{ field }}{% endfor %}"
    "{% if form.non_field_errors %}errors{% endif %}{% if form.errors %} open{% endif %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kr_type", "extra"),
    [
        (KeyResult.KRType.METRIC, {"unit_label": "<tickets> & co"}),
        (KeyResult.KRType.METRIC, {"unit_label": ""}),
        (KeyResult.KRType.MILESTONE, {}),
        (
            KeyResult.KRType.ORDINAL,
            {"commit_label": "Pilot", "target_label": "Two teams", "stretch_label": "All <b>"},
        ),
    ],
)
def test_fresh_check_in_form_renders_like_the_form(
    world: World, cycle: Cycle, kr_type: str, extra: dict[str, str]
) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    for kr in (
        KeyResultFactory(objective=objective, kr_type=kr_type, **extra),
        KeyResultFactory(objective=objective, kr_type=kr_type, **extra),  # from the cache
    ):
        slow = FIELDS.render(Context({"form": CheckInForm(key_result=kr)}))
        fast = FIELDS.render(Context({"form": fresh_check_in_form(kr)}))
        assert fast == slow
        assert str(kr.public_id) in fast


@pytest.mark.django_db
def test_objective_page_lists_the_latest_check_ins_and_shows_all_on_request(
    world: World, cycle: Cycle, client: Client
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from okrcoach.okrs.selectors.pages import CHART_POINTS, HISTORY_SHOWN

    from .factories import CheckInFactory

    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    kr = KeyResultFactory(objective=objective)
    now = timezone.now()
    for i in range(CHART_POINTS + 5):
        c = CheckInFactory(key_result=kr, author=world.member, value=i, progress_note=f"n{i}.")
        CheckIn.objects.filter(pk=c.pk).update(created_at=now - timedelta(hours=i))
    client.force_login(world.member.user)
    url = reverse("okrs:objective_detail", args=[world.org.slug, objective.public_id])
    html = client.get(url).content.decode()
    assert html.count('<td class="small"><p>n') == HISTORY_SHOWN
    assert "<p>n0.</p>" in html and f"<p>n{HISTORY_SHOWN}.</p>" not in html
    assert "Show all check-ins" in html
    assert f"{CHART_POINTS} check-ins; latest 0" in html
    html = client.get(url, {"history": "all"}).content.decode()
    assert html.count('<td class="small"><p>n') == CHART_POINTS + 5
    assert "Show all check-ins" not in html
