from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from okrcoach.demo.growth import seed_growth
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import seed_people
from okrcoach.growth.models import (
    ActionItem,
    DevelopmentObjective,
    Feedback,
    Meeting,
    OneOnOneSeries,
    SkillAssessment,
)
from okrcoach.growth.selectors import meeting_page
from okrcoach.orgs.models import Membership


@pytest.mark.django_db
def test_maya_has_months_of_one_on_ones_with_carried_items_feedback_and_assessments() -> None:
    org = seed_people()
    seed_okrs()
    seed_growth()
    seed_growth()  # a second run adds nothing
    maya = Membership.objects.for_org(org).get(user__full_name="Maya Okafor")
    series = OneOnOneSeries.objects.for_org(org).filter(manager=maya)
    assert series.count() == 5
    today = timezone.localdate()
    meetings = Meeting.objects.for_org(org).filter(series__in=series)
    assert meetings.filter(held_on__lt=today).count() >= 30
    assert meetings.filter(held_on__gte=today).count() == 5  # the next 1:1 with each
    assert ActionItem.objects.for_org(org).filter(done_at__isnull=True).count() >= 5
    assert Feedback.objects.for_org(org).filter(visibility="public").exists()
    assert SkillAssessment.objects.for_org(org).count() >= 100
    development = DevelopmentObjective.objects.for_org(org)
    assert development.count() == 3
    # One of Jordan's is finished: done, with the day and a note.
    done = development.get(status=DevelopmentObjective.Status.DONE)
    assert done.status_changed_on is not None and done.status_note
    # The coming 1:1 has carried-over items and suggestions from real OKR movement.
    upcoming = meetings.filter(held_on__gte=today).select_related(
        "series__manager__user", "series__report__user", "series__report__organisation"
    )[0]
    page = meeting_page(maya, upcoming)
    assert any(row.carried for row in page.action_items)
    assert page.suggestions
    client = Client()
    client.force_login(maya.user)
    url = reverse("growth:meeting", args=[org.slug, upcoming.public_id])
    assert client.get(url).status_code == 200
