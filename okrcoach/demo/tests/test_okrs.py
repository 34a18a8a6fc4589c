from __future__ import annotations

import pytest
from django.utils import timezone

from okrcoach.demo.insights import seed_insights
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import seed_people
from okrcoach.okrs.coaching import review_row
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective, Retrospective
from okrcoach.okrs.rollup import recompute_organisation


@pytest.mark.django_db
def test_demo_has_graded_past_quarters_and_a_current_quarter_eight_weeks_in() -> None:
    org = seed_people()
    seed_okrs()
    seed_okrs()  # a second run adds nothing
    cycles = list(Cycle.objects.for_org(org).order_by("starts_on"))
    assert [c.state for c in cycles] == ["closed", "closed", "active", "planning"]
    current = cycles[2]
    today = timezone.localdate()
    assert (today - current.starts_on).days == 56
    graded = Objective.objects.for_org(org).filter(cycle__in=cycles[:2])
    assert graded.exists() and not graded.filter(score__isnull=True).exists()
    assert Retrospective.objects.for_org(org).filter(cycle__in=cycles[:2]).count() >= 6
    krs = KeyResult.objects.for_org(org).filter(objective__cycle=current)
    assert krs.filter(next_check_in_due__lt=today).exists()  # some teams are late
    assert krs.filter(next_check_in_due__gte=today).exists()  # others are diligent
    assert krs.filter(progress__lt=0.3).exists()  # some key results at risk
    assert krs.filter(kr_type="metric", baseline__isnull=True).exists()  # a weak one
    assert CheckIn.objects.for_org(org).filter(key_result__in=krs).count() > 100
    assert CheckIn.objects.for_org(org).filter(created_at__gt=timezone.now()).count() == 0
    # The cached progress is consistent with a full recompute.
    assert recompute_organisation(org) == (0, 0)


@pytest.mark.django_db
def test_demo_okrs_carry_coach_verdicts_including_the_deliberately_weak_ones() -> None:
    org = seed_people()
    seed_okrs()
    krs = KeyResult.objects.for_org(org)
    assert not krs.filter(coach_verdict={}).exists()
    verdicts = {kr.coach_verdict["verdict"] for kr in krs}
    assert {"good", "bad"} <= verdicts  # task-like key results were planted on purpose


@pytest.mark.django_db
def test_every_objective_and_key_result_carries_the_coachs_real_verdict() -> None:
    # What the coach report and the badges show is what the editor says when the item opens.
    org = seed_people()
    seed_okrs()
    seed_insights()
    objectives = Objective.objects.for_org(org)
    assert objectives.filter(cycle__state=Cycle.State.ACTIVE).count() > 20
    shown = {"good": 0, "weak": 0, "bad": 0}
    for objective in objectives.select_related("parent", "cycle", "team"):
        assert objective.coach_state in shown, objective.title
        assert objective.coach_verdict["verdict"] == review_row(objective).verdict.value
        shown[objective.coach_state] += 1
    assert shown["good"] > 20 and shown["weak"] > 0  # some align to nothing (OBJ-07)
    krs = KeyResult.objects.for_org(org).select_related("objective__cycle")
    verdicts = {"good": 0, "weak": 0, "bad": 0}
    for kr in krs:
        review = review_row(kr)
        assert (kr.coach_verdict["verdict"], kr.coach_rules) == (
            review.verdict.value,
            sorted(set(review.rules())),
        ), kr.title
        verdicts[review.verdict.value] += 1
    # teams differ: some record where their numbers come from, some do not
    assert verdicts["good"] > 50 and verdicts["weak"] > 50
