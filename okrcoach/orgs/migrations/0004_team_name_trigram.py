"""The teams directory's search (`name__icontains`, which Django writes as
`UPPER(name::text) LIKE UPPER('%…%')`) served on PostgreSQL by a trigram index on the upper-cased
name, instead of a scan of every team of the organisation (14,000 at 100,000 people). The index
repeats Django's expression exactly so the planner can match it; the organisation is filtered on
the few rows it finds (or ANDed with the organisation's own index when many organisations share
the table). It cannot hold the organisation itself: btree_gin would, but psycopg sends a small
organisation id as smallint, which its bigint operator class does not match.

pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
Where that is refused, the
migration leaves the search as it was (a scan, correct, slower at size) rather than failing the
deployment; SQLite has no such index and runs the same query as a scan."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

INDEX = "team_org_name_trgm"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON orgs_team USING gin ((UPPER(name::text)) gin_trgm_ops)",
]


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for sql in CREATE:
                cursor.execute(sql)
    except DatabaseError as exc:  # no right to create the extension: keep the scan
        log.warning("orgs 0004: no trigram index for the team search (%s)", exc)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_domain_join")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
