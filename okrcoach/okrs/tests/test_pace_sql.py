"""The SQL annotation of pace-aware status agrees with the pure rules of okrs/pace.py, and the
status shows on the objective page with its reason and the forecast on the chart."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from okrcoach.okrs.models import KeyResult
from okrcoach.okrs.selectors.pace import with_pace
from okrcoach.okrs.selectors.pages import kr_pace

from .factories import CheckInFactory, KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def test_sql_and_python_agree_on_every_case(world, cycle):
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    now = timezone.now()
    cases = [
        (progress, confidence, last)
        for progress in ("0", "0.3", "0.5", "0.6", "0.9")
        for confidence in (None, 2, 5, 8)
        for last in (None, 1, 20)
    ]
    for progress, confidence, last in cases:
        KeyResultFactory(
            objective=objective,
            progress=Decimal(progress),
            confidence=confidence,
            last_check_in_at=now - timedelta(days=last) if last is not None else None,
        )
    today = timezone.localdate()
    rows = list(with_pace(KeyResult.objects.for_org(world.org), cycle, today))
    assert len(rows) == len(cases)
    seen = set()
    for kr in rows:
        expected = kr_pace(kr, cycle, today)
        assert expected is not None
        assert kr.pace == expected.status, (kr.progress, kr.confidence, kr.last_check_in_at)
        seen.add(kr.pace)
    assert seen == {"on_track", "at_risk", "off_track"}


def test_the_objective_page_shows_status_reason_and_forecast(world, cycle):
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    kr = KeyResultFactory(
        objective=objective,
        progress=Decimal("0.3"),
        confidence=4,
        last_check_in_at=timezone.now(),
    )
    for week, value in enumerate((10, 20, 30)):
        CheckInFactory(
            key_result=kr,
            value=Decimal(value),
            confidence=4,
            created_at=timezone.now() - timedelta(days=21 - 7 * week),
        )
    client = Client()
    client.force_login(world.member.user)
    body = client.get(f"/o/acme/okrs/objectives/{objective.public_id}/").content.decode()
    assert "Off track" in body
    assert "30% at week 9 of 13, expected 62%; confidence 4/10" in body
    assert "kr-chart__forecast" in body and "Forecast " in body
