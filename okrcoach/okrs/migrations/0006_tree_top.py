# The company tree's top level (objectives with no parent, or a parent the reader may not see)
# scanned every objective of the cycle and looked up each one's parent: 416,000 buffers and
# ~150-250 ms at 100,000 people, for three rows. Only a private parent can be hidden, so each
# objective now carries `tree_top_cycle` (its cycle when it has no parent or a private one),
# kept by triggers on every write path (save, update(), bulk_create, raw SQL), and a partial
# index holds just those rows. A column, not a condition on parent_id: past cycles are often
# full of objectives without a parent, and the planner, taking the cycle and "no parent" as
# independent, guessed 80,000 such rows in the active cycle and scanned it; the column's own
# statistics tell it the active cycle has a handful.

from typing import Any

from django.db import migrations, models

_TOP = "CASE WHEN {row}.parent_id IS NULL OR {private} THEN {row}.cycle_id END"
_PARENT_PRIVATE = (
    "COALESCE((SELECT p.visibility = 'private' FROM okrs_objective p"
    " WHERE p.id = {row}.parent_id), false)"
)

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION okrs_objective_set_tree_top() RETURNS trigger AS $$
    BEGIN
        NEW.tree_top_cycle := {_TOP.format(row="NEW", private=_PARENT_PRIVATE.format(row="NEW"))};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER okrs_objective_tree_top
    BEFORE INSERT OR UPDATE OF parent_id, cycle_id, tree_top_cycle ON okrs_objective
    FOR EACH ROW EXECUTE FUNCTION okrs_objective_set_tree_top()
    """,
    """
    CREATE OR REPLACE FUNCTION okrs_objective_tell_children() RETURNS trigger AS $$
    BEGIN
        -- Each child's own trigger recomputes its column from this (updated) row.
        UPDATE okrs_objective SET tree_top_cycle = NULL WHERE parent_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER okrs_objective_tree_top_children
    AFTER UPDATE OF visibility ON okrs_objective
    FOR EACH ROW WHEN (OLD.visibility IS DISTINCT FROM NEW.visibility)
    EXECUTE FUNCTION okrs_objective_tell_children()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS okrs_objective_tree_top_children ON okrs_objective",
    "DROP FUNCTION IF EXISTS okrs_objective_tell_children()",
    "DROP TRIGGER IF EXISTS okrs_objective_tree_top ON okrs_objective",
    "DROP FUNCTION IF EXISTS okrs_objective_set_tree_top()",
]

_SQLITE_SET = (
    "UPDATE okrs_objective SET tree_top_cycle = "
    + _TOP.format(row="NEW", private=_PARENT_PRIVATE.format(row="NEW").replace("false", "0"))
    + " WHERE id = NEW.id;"
)
SQLITE = [
    f"""
    CREATE TRIGGER okrs_objective_tree_top_insert AFTER INSERT ON okrs_objective
    BEGIN {_SQLITE_SET} END
    """,
    # Django's save() writes every column, tree_top_cycle included (the instance's value):
    # recompute whenever one of these is written. (SQLite fires no trigger from within itself.)
    f"""
    CREATE TRIGGER okrs_objective_tree_top_update
    AFTER UPDATE OF parent_id, cycle_id, tree_top_cycle ON okrs_objective
    BEGIN {_SQLITE_SET} END
    """,
    f"""
    CREATE TRIGGER okrs_objective_tree_top_children
    AFTER UPDATE OF visibility ON okrs_objective
    WHEN OLD.visibility IS NOT NEW.visibility
    BEGIN
        UPDATE okrs_objective SET tree_top_cycle = CASE WHEN NEW.visibility = 'private'
            THEN cycle_id END
        WHERE parent_id = NEW.id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS okrs_objective_tree_top_children",
    "DROP TRIGGER IF EXISTS okrs_objective_tree_top_update",
    "DROP TRIGGER IF EXISTS okrs_objective_tree_top_insert",
]

BACKFILL = "UPDATE okrs_objective SET tree_top_cycle = " + _TOP.format(
    row="okrs_objective",
    private="okrs_objective.parent_id IN"
    " (SELECT p.id FROM okrs_objective p WHERE p.visibility = 'private')",
)


def _run(statements: dict[str, list[str]], backfill: bool) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"okrs 0006: no tree_top_cycle triggers for {vendor}")
        for sql in statements[vendor]:
            schema_editor.execute(sql)
        if backfill:
            schema_editor.execute(BACKFILL)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("okrs", "0005_keyset_indexes"),
        ("orgs", "0003_domain_join"),
    ]

    operations = [
        migrations.AddField(
            model_name="objective",
            name="tree_top_cycle",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}, backfill=True),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}, backfill=False),
        ),
        migrations.AddIndex(
            model_name="objective",
            index=models.Index(
                condition=models.Q(("tree_top_cycle__isnull", False)),
                fields=["organisation", "tree_top_cycle"],
                name="objective_tree_top",
            ),
        ),
    ]
