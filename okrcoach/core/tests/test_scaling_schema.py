"""docs/scaling.md's plan for a tenant-sharded PostgreSQL holds for the schema: every model that
references organisation-owned data carries `organisation_id` itself (the distribution column),
except the tables the plan lists with their reason."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.db import models

DOC = Path(__file__).resolve().parents[3] / "docs" / "scaling.md"

# Tables that are not distributed by organisation, each named in docs/scaling.md.
NOT_KEYED = {
    "accounts_user": "a person belongs to several organisations: a reference table",
    "orgs_organisation": "the distribution key itself",
    "academy_module": "course content: a reference table",
    "academy_activity": "course content: a reference table",
}


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("okrcoach.")]


def _keyed(model: type[models.Model]) -> bool:
    return any(
        f.name == "organisation" and f.column == "organisation_id"
        for f in model._meta.concrete_fields
    )


def test_every_table_that_holds_organisation_data_has_organisation_id() -> None:
    keyed = {m for m in _project_models() if _keyed(m)}
    missing = []
    for model in _project_models():
        if model in keyed or model._meta.db_table in NOT_KEYED:
            continue
        refers = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and (f.related_model in keyed or f.related_model is None)
        ]
        if refers or model._meta.db_table.startswith(("okrs_", "orgs_", "insights_", "growth_")):
            missing.append(f"{model._meta.label} ({model._meta.db_table}): refers via {refers}")
    assert not missing, (
        "Tables without organisation_id (add it, or argue it in docs/scaling.md):\n"
        + "\n".join(missing)
    )


def test_the_plan_names_every_table_it_leaves_unkeyed() -> None:
    text = DOC.read_text()
    for table in NOT_KEYED:
        assert f"`{table}`" in text, table
