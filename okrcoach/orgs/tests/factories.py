"""Factories for organisations and people. A factory takes its organisation from its parent, so
generated data never straddles two organisations."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from okrcoach.accounts.models import User
from okrcoach.orgs.models import Membership, Organisation, Role, Team

TEST_PASSWORD = "correct-horse-battery"
_HASH = make_password(TEST_PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")

    @factory.post_generation
    def company(obj: Organisation, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Team.objects.create(
                organisation=obj, name=obj.name, slug="company", kind=Team.Kind.COMPANY
            )


def company_team(org: Organisation) -> Team:
    return Team.objects.for_org(org).get(parent__isnull=True)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    title = "Analyst"
    password = _HASH


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    parent = factory.LazyAttribute(lambda o: company_team(o.organisation))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER
    team = factory.LazyAttribute(lambda o: company_team(o.organisation))
