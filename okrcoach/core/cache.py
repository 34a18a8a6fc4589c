"""Caching per organisation, versioned on write.

Every cached value of an organisation is stored under its organisation's version number; any
save or delete of an organisation-owned row raises the version, so the next read builds the
value again and stale entries simply expire. The version is raised twice: at once (the writer's
own next read, inside its transaction, is fresh) and again once the transaction commits
(another process that read and cached the old rows between the write and the commit loses that
entry). Bulk writes through `for_org(...)` querysets (update, bulk_create, bulk_update) raise it
through core/tenancy.py; raw SQL must call `bump_org_version` itself: cache only what every
writer of its rows bumps for.

Within one transaction the bumps are coalesced: one on-commit bump per organisation however many
rows it writes (a check-in writes five or six rows; each bump is a locked read-modify-write of a
file without Redis, about 15% of the request's time before they were coalesced). The immediate
bump is deferred to the transaction's own next read of the organisation's cache (`cached_for_org`
bumps first when the transaction wrote since its last bump): other processes never needed it
(until the commit they read the committed rows, which the cache still holds), and most writing
transactions (a check-in) never read the cache again, so they pay for the on-commit bump only."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import code_version, tenancy
from .tenancy import OrgOwned

T = TypeVar("T")


def _version_key(org_id: int) -> str:
    return f"org:{org_id}:version"


def org_version(org_id: int) -> int:
    version = cache.get(_version_key(org_id))
    if version is None:
        # A fresh start (or an evicted key) never reuses an old number.
        version = time.time_ns()
        cache.add(_version_key(org_id), version, None)
        version = cache.get(_version_key(org_id), version)
    return int(version)


def bump_org_version(org_id: int) -> None:
    try:
        cache.incr(_version_key(org_id))
    except ValueError:  # not set yet: every later read starts from a new number
        cache.set(_version_key(org_id), time.time_ns(), None)


def cached_for_org(org_id: int, name: str, build: Callable[[], T], timeout: int | None = 300) -> T:
    if transaction.get_connection().in_atomic_block:
        pending = _pending_bumps().get(org_id)
        if pending is not None and pending.written:
            # This transaction wrote rows of the organisation: its own read must not find a
            # value cached before them (the deferred immediate bump, see the module's note).
            bump_org_version(org_id)
            pending.written = False
    # The code version: a deploy that changes how a value is built must not read the old one.
    key = f"org:{org_id}:v{org_version(org_id)}:{code_version.code_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value  # type: ignore[no-any-return]


class _BumpOnCommit:
    """The on-commit bump of one organisation's version, registered once per transaction.
    `written`: the transaction wrote rows of the organisation since its last immediate bump
    (so its next `cached_for_org` bumps first)."""

    def __init__(self, org_id: int) -> None:
        self.org_id = org_id
        self.written = True

    def __call__(self) -> None:
        bump_org_version(self.org_id)


def _pending_bumps() -> dict[int, _BumpOnCommit]:
    # Django drops the callbacks of a rolled-back savepoint from this list: a write after it
    # registers (and bumps) afresh.
    conn = transaction.get_connection()
    return {
        func.org_id: func
        for _sids, func, _robust in conn.run_on_commit
        if isinstance(func, _BumpOnCommit)
    }


def _orgs_changed(org_ids: set[int]) -> None:
    if not transaction.get_connection().in_atomic_block:
        # Autocommit: the write is committed already, one bump covers it.
        for org_id in org_ids:
            bump_org_version(org_id)
        return
    pending = _pending_bumps()
    for org_id in org_ids:
        earlier = pending.get(org_id)
        if earlier is not None:
            earlier.written = True
        else:
            transaction.on_commit(_BumpOnCommit(org_id))


def _changed(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, OrgOwned) and instance.organisation_id is not None:
        _orgs_changed({instance.organisation_id})


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="okrcoach.core.cache.saved")
    post_delete.connect(_changed, dispatch_uid="okrcoach.core.cache.deleted")
    if _orgs_changed not in tenancy.bulk_write_listeners:
        tenancy.bulk_write_listeners.append(_orgs_changed)
