from __future__ import annotations

import pytest
from django.test import Client

from conftest import World
from okrcoach.core.audit import audit
from okrcoach.core.models import AuditEvent


@pytest.mark.django_db
def test_the_audit_log_is_append_only(world: World) -> None:
    event = audit(world.admin, "test.thing.done", world.member)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.for_org(world.org).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.for_org(world.org).delete()


@pytest.mark.django_db
def test_permission_denials_are_recorded(world: World) -> None:
    client = Client()
    client.force_login(world.member.user)
    assert client.get("/o/acme/admin/audit/").status_code == 403
    denial = AuditEvent.objects.for_org(world.org).get(action="access.denied")
    assert denial.actor_user == world.member.user and denial.data["path"] == "/o/acme/admin/audit/"


@pytest.mark.django_db
def test_admins_filter_the_log_and_never_see_another_organisations_events(world: World) -> None:
    audit(world.admin, "orgs.member.updated", world.member)
    audit(world.outsider, "orgs.member.updated", world.outsider)
    client = Client()
    client.force_login(world.admin.user)
    content = client.get("/o/acme/admin/audit/?action=orgs").content.decode()
    assert "Max Member" in content and "Oscar" not in content
