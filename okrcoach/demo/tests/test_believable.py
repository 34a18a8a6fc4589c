"""The demo reads like a real company's: whole numbers where things are counted, notes that
vary week to week, a manager with one late report, reflections that differ."""

from __future__ import annotations

import pytest
from django.utils import timezone

from okrcoach.academy.models import ActivityAttempt
from okrcoach.demo.academy import seed_academy
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import seed_people
from okrcoach.okrs.models import CheckIn, KeyResult
from okrcoach.okrs.selectors.accountability import late_check_ins
from okrcoach.orgs.models import Membership, Organisation


@pytest.fixture
def kestrel(db: None) -> Organisation:
    seed_people()
    seed_okrs()
    return Organisation.objects.get(slug="kestrel")


def test_counted_figures_are_whole_and_notes_vary(kestrel: Organisation) -> None:
    reviews = KeyResult.objects.for_org(kestrel).get(title__startswith="Health reviews run")
    values = [c.value for c in CheckIn.objects.for_org(kestrel).filter(key_result=reviews)]
    assert values and all(v == v.to_integral_value() for v in values), values
    otif = (
        KeyResult.objects.for_org(kestrel)
        .filter(title__startswith="On-time-in-full", objective__cycle__state="active")
        .get()
    )
    assert otif.current_value == otif.current_value.to_integral_value()
    notes = list(
        CheckIn.objects.for_org(kestrel)
        .filter(key_result=otif)
        .order_by("created_at")
        .values_list("progress_note", flat=True)
    )
    assert len(set(notes)) >= len(notes) // 2, notes


def test_the_manager_persona_has_exactly_one_late_report(kestrel: Organisation) -> None:
    maya = Membership.objects.for_org(kestrel).get(user__full_name="Maya Okafor")
    late_owners = {kr.owner.user.full_name for kr in late_check_ins(maya)}
    assert late_owners == {"Ana Souza"}
    today = timezone.localdate()
    assert all((kr.next_check_in_due or today) < today for kr in late_check_ins(maya))


def test_academy_reflections_differ(kestrel: Organisation) -> None:
    seed_academy()
    texts = [
        a.answers["text"]
        for a in ActivityAttempt.objects.for_org(kestrel).filter(activity__type="reflection")
    ]
    assert len(texts) >= 3 and len(set(texts)) >= 4  # not one text pasted everywhere
    assert len({len(t.split()) for t in texts}) > 1
