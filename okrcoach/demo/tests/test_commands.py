from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from okrcoach.academy.models import Certificate, Enrollment
from okrcoach.okrs.models import Cycle, Objective
from okrcoach.orgs.models import Membership, Organisation

ACCOUNTS = """\
Demo accounts (password: okrcoach-demo):
  member                 jordan.ellis@kestrel.example         Jordan Ellis (Customer Success)
  manager                maya.okafor@kestrel.example          Maya Okafor (Customer Success Lead, 5 reports)
  admin / OKR champion   nora.quinn@kestrel.example           Nora Quinn (also in Riverside Library Co-op)
  executive              helena.marsh@kestrel.example         Helena Marsh (CEO)
"""  # noqa: E501


def _run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_loads_people_okrs_and_academy_and_prints_the_accounts() -> None:
    assert _run("seed_demo") == "Demo organisations loaded.\n" + ACCOUNTS
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["kestrel", "riverside"]
    kestrel = Organisation.objects.get(slug="kestrel")
    assert Membership.objects.for_org(kestrel).count() == 61
    assert Cycle.objects.for_org(kestrel).count() == 5  # four quarters and the insights history
    assert Enrollment.objects.for_org(kestrel).count() == 3
    assert Certificate.objects.for_org(kestrel).count() == 10  # insights history certifies more
    objectives = Objective.objects.for_org(kestrel).count()

    # A database that already holds organisations is left alone.
    assert _run("seed_demo") == "The database already holds organisations: demo data not loaded.\n"
    assert Organisation.objects.count() == 2
    assert Objective.objects.for_org(kestrel).count() == objectives


def test_demo_accounts_prints_the_accounts_without_touching_the_database() -> None:
    assert _run("demo_accounts") == ACCOUNTS
