"""Officer search by partial name, staff or collar number, accent- and case-insensitive: on PostgreSQL the
pg_trgm and unaccent extensions, an IMMUTABLE wrapper of unaccent (unaccent itself is only STABLE, so it
cannot appear in an index) and GIN trigram indexes that `LIKE '%...%'` can use. Nothing on SQLite, where
cases.search falls back to a plain icontains."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION dps_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    "CREATE INDEX IF NOT EXISTS officer_first_name_trgm ON cases_officer"
    " USING gin (UPPER(dps_unaccent(first_name)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS officer_last_name_trgm ON cases_officer"
    " USING gin (UPPER(dps_unaccent(last_name)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS officer_staff_number_trgm ON cases_officer USING gin (UPPER(staff_number) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS officer_collar_number_trgm ON cases_officer"
    " USING gin (UPPER(collar_number) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS officer_collar_number_trgm",
    "DROP INDEX IF EXISTS officer_staff_number_trgm",
    "DROP INDEX IF EXISTS officer_last_name_trgm",
    "DROP INDEX IF EXISTS officer_first_name_trgm",
    "DROP FUNCTION IF EXISTS dps_unaccent(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_api_client_role_vetting_officer")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
