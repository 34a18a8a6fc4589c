"""An unscoped query on an organisation-owned model must be visibly wrong. This test reads every
module of the product and fails on `<Model>.objects.<method>` where Model is organisation-owned
and the method is not `for_org` (or `create`, which takes the organisation explicitly).
`all_orgs` is allowed only in the places listed below, each for a stated reason."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from okrcoach.core.tenancy import OrgOwned

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_OBJECTS_METHODS = {"for_org", "create", "bulk_create", "get_or_create", "update_or_create"}

# Files allowed to use `all_orgs`: code that runs before an organisation is known or across all.
ALL_ORGS_ALLOWED = {
    "core/audit.py",  # writes to whichever organisation the event names
    "orgs/signals.py",  # a sign-in happens before any organisation is chosen
    "orgs/middleware.py",  # resolves the organisation itself
    "orgs/context_processors.py",  # the user's own memberships, for the switcher
    "orgs/views.py",  # root redirect: the user's own memberships
    "orgs/services.py",  # invitation tokens are global; the token is the proof
    "orgs/admin.py",  # the site operator's (staff only) list of every organisation
    "api/management/commands/create_api_token.py",  # finds the member by email and slug
    "api/services.py",  # a bearer token names its organisation; the token is the proof
    "academy/verification.py",  # a certificate code is global; the code itself is the proof
    "academy/tasks.py",  # the nightly evidence pass walks every organisation's learners
    "okrs/tasks.py",  # the worker re-fetches an export job by its id
    "okrs/services/exports.py",  # progress of one job by primary key, no cache version bump
}


def _org_owned_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, OrgOwned)}


def _product_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if (
            "/tests/" in f"/{rel}"
            or "/migrations/" in rel
            or rel.startswith(("settings/", "academy/content/"))
        ):
            continue
        if rel.startswith("demo/"):
            continue  # demo seeding creates rows for organisations it has just made
        files.append(path)
    return files


def test_product_code_never_queries_an_org_owned_model_without_its_organisation() -> None:
    names = _org_owned_model_names()
    assert "Membership" in names and "Team" in names
    offences = []
    for path in _product_files():
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(), filename=rel)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Attribute):
                continue
            manager = node.value
            if not isinstance(manager.value, ast.Name) or manager.value.id not in names:
                continue
            if manager.attr == "objects" and node.attr not in ALLOWED_OBJECTS_METHODS:
                offences.append(f"{rel}:{node.lineno} {manager.value.id}.objects.{node.attr}")
            if manager.attr == "all_orgs" and rel not in ALL_ORGS_ALLOWED:
                offences.append(
                    f"{rel}:{node.lineno} {manager.value.id}.all_orgs (not allowed here)"
                )
    assert not offences, "Unscoped queries:\n" + "\n".join(offences)


def test_every_org_owned_model_indexes_the_organisation_first() -> None:
    for model in apps.get_models():
        if not issubclass(model, OrgOwned):
            continue
        leading = [
            *(idx.fields[0] for idx in model._meta.indexes if idx.fields),
            *(c.fields[0] for c in model._meta.constraints if getattr(c, "fields", None)),
        ]
        assert "organisation" in leading, (
            f"{model.__name__} has no index starting with organisation"
        )
