from __future__ import annotations

import pytest
from django.utils import timezone

from okrcoach.academy.models import AssignmentTarget, Certificate, Enrollment, ModuleCompletion
from okrcoach.demo.academy import seed_academy
from okrcoach.demo.people import seed_people
from okrcoach.orgs.models import Membership, Organisation


@pytest.mark.django_db
def test_the_demo_puts_kestrel_managers_at_different_stages() -> None:
    seed_people()
    seed_academy()
    org = Organisation.objects.get(slug="kestrel")

    def person(name: str) -> Membership:
        return Membership.objects.for_org(org).get(user__full_name=name)

    maya = Enrollment.objects.for_org(org).get(membership=person("Maya Okafor"))
    assert ModuleCompletion.objects.for_org(org).filter(enrollment=maya).count() == 6
    cert = Certificate.objects.for_org(org).get(membership=person("Samuel Osei"))
    assert cert.is_valid
    overdue = AssignmentTarget.objects.for_org(org).filter(
        membership=person("Daniel Abara"), assignment__due_on__lt=timezone.localdate()
    )
    assert overdue.exists()
    assert (
        AssignmentTarget.objects.for_org(org).filter(assignment__audience="managers").count() >= 10
    )
