"""The organisation's cache version within one transaction: bumps are coalesced (one at commit;
one more before the transaction's own read of the cache when it wrote since), yet a value cached
between two writes never outlives the second one."""

from __future__ import annotations

import pytest
from django.db import transaction

from okrcoach.core.cache import cached_for_org, org_version
from okrcoach.orgs.models import Organisation, Team
from okrcoach.orgs.tests.factories import OrganisationFactory, TeamFactory


def _names(org: Organisation) -> list[str]:
    return sorted(Team.objects.for_org(org).exclude(name=org.name).values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_many_writes_in_one_transaction_bump_once_at_commit() -> None:
    org = OrganisationFactory()
    start = org_version(org.pk)
    with transaction.atomic():
        for name in ("Alpha", "Beta", "Gamma"):
            TeamFactory(organisation=org, name=name)
        # Until the commit other processes read the committed rows: no bump needed yet.
        assert org_version(org.pk) == start
    assert org_version(org.pk) == start + 1


@pytest.mark.django_db(transaction=True)
def test_a_transaction_reading_the_cache_after_its_write_bumps_first() -> None:
    org = OrganisationFactory()
    TeamFactory(organisation=org, name="Alpha")
    assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Alpha"]
    start = org_version(org.pk)
    with transaction.atomic():
        TeamFactory(organisation=org, name="Beta")
        assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Alpha", "Beta"]
        assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Alpha", "Beta"]
        assert org_version(org.pk) == start + 1  # one bump for two reads with no write between
    assert org_version(org.pk) == start + 2


@pytest.mark.django_db(transaction=True)
def test_a_value_cached_between_two_writes_of_a_transaction_is_not_read_after_the_second() -> None:
    org = OrganisationFactory()
    with transaction.atomic():
        TeamFactory(organisation=org, name="Alpha")
        assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Alpha"]
        TeamFactory(organisation=org, name="Beta")
        assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Alpha", "Beta"]
    assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Alpha", "Beta"]


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_bumps_at_commit() -> None:
    org = OrganisationFactory()
    start = org_version(org.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                TeamFactory(organisation=org, name="Gone")
                raise RuntimeError
        except RuntimeError:
            pass
        TeamFactory(organisation=org, name="Kept")
    # The first write's on-commit bump went with its savepoint; the second write's at commit.
    assert org_version(org.pk) == start + 1
    assert cached_for_org(org.pk, "teams", lambda: _names(org)) == ["Kept"]


@pytest.mark.django_db(transaction=True)
def test_each_write_outside_a_transaction_bumps_once() -> None:
    org = OrganisationFactory()
    start = org_version(org.pk)
    TeamFactory(organisation=org, name="Alpha")
    TeamFactory(organisation=org, name="Beta")
    assert org_version(org.pk) == start + 2
