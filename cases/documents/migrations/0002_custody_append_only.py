"""The chain of custody is evidence: on PostgreSQL a trigger refuses UPDATE and DELETE on custody
events, whatever door the change comes through (the app, the admin, the shell). The trigger function
is the one cases' 0002 migration created."""

from django.db import migrations

TABLE = "documents_custodyevent"

FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_change_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_versions_custody"), ("cases", "0002_append_only_audit")]
    operations = [migrations.RunPython(forwards, backwards)]
