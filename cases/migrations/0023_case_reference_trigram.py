"""The staff search box finds cases by any part of their reference (`reference__icontains`, which PostgreSQL runs as
`UPPER(reference::text) LIKE '%...%'`): a GIN trigram index on that expression, so a search reads the few matching
cases instead of walking all 141,000 newest first and filtering each (issue 18: 600 ms for a surname that matches no
reference). pg_trgm comes from migration 0018. Without the GIN pending list (fastupdate off): a case is written once
and its reference never changes, so each insert goes straight into the index and a search never scans a pending
list (which the planner prices in, and which made it prefer walking a btree after a bulk load). Nothing on SQLite,
which scans."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS case_reference_trgm ON cases_case"
    " USING gin (UPPER(reference::text) gin_trgm_ops) WITH (fastupdate = off)",
]
BACKWARD = ["DROP INDEX IF EXISTS case_reference_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_allegation_list_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
