"""Factories for OKR rows. Each takes its organisation from its parent, so generated data never
straddles two organisations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from okrcoach.okrs.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okrcoach.orgs.tests.factories import MembershipFactory, OrganisationFactory


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Q{n % 4 + 1} {2020 + n}")
    kind = Cycle.Kind.QUARTER
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=8))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(weeks=13))
    state = Cycle.State.ACTIVE


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    cycle = factory.SubFactory(CycleFactory)
    organisation = factory.LazyAttribute(lambda o: o.cycle.organisation)
    owner = factory.SubFactory(
        MembershipFactory, organisation=factory.SelfAttribute("..organisation")
    )
    title = factory.Sequence(lambda n: f"Make deliveries reliable, part {n}")
    level = Objective.Level.PERSONAL
    status = Objective.Status.PUBLISHED


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    objective = factory.SubFactory(ObjectiveFactory)
    organisation = factory.LazyAttribute(lambda o: o.objective.organisation)
    owner = factory.LazyAttribute(lambda o: o.objective.owner)
    title = factory.Sequence(lambda n: f"On-time deliveries reach target {n}")
    kr_type = KeyResult.KRType.METRIC
    baseline = Decimal("0")
    target = Decimal("100")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    key_result = factory.SubFactory(KeyResultFactory)
    organisation = factory.LazyAttribute(lambda o: o.key_result.organisation)
    owner = factory.LazyAttribute(lambda o: o.key_result.owner)
    title = factory.Sequence(lambda n: f"Pilot route change {n}")


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    key_result = factory.SubFactory(KeyResultFactory)
    organisation = factory.LazyAttribute(lambda o: o.key_result.organisation)
    author = factory.LazyAttribute(lambda o: o.key_result.owner)
    value = Decimal("10")
    confidence = 7
