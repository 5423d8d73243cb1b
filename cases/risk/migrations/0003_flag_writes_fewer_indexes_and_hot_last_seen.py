"""The recompute's reads and writes made cheaper (issue 18; figures in bench/README.md, "Risk engine recompute").

- Drop the single-column indexes on risk_riskflag.officer_id and .rule_code (and rule_code's LIKE index):
  the unique (officer_id, rule_code) and the (rule_code, active) index lead with the same columns, so no
  read loses an index, and each flag a recompute raises or rewrites updates 6 indexes instead of 9.
- PostgreSQL only: leave half of each page of risk_riskflag free (fillfactor 50). Every recompute stamps
  last_seen on every active flag; last_seen is in no index, so with room on the page PostgreSQL writes the
  new row version in place (a HOT update) instead of a new row plus an entry in each index. Pages written
  before keep their rows until those move.
- PostgreSQL only, on tables of the cases app the rules read (named risk_*, so it is clear who needs them):
  cases_allegation (received_on) INCLUDE (subject_id, id), from which the whole-force window rules read each
  window's (officer, allegation) pairs without visiting the table; and cases_officer (command_id) INCLUDE
  (status, id), from which the one-officer recompute reads the officer's command (the peer group) likewise.
"""

from django.db import migrations, models

_POSTGRESQL = [
    ("ALTER TABLE risk_riskflag SET (fillfactor = 50)", "ALTER TABLE risk_riskflag RESET (fillfactor)"),
    (
        "CREATE INDEX IF NOT EXISTS risk_allegation_window ON cases_allegation (received_on) INCLUDE (subject_id, id)",
        "DROP INDEX IF EXISTS risk_allegation_window",
    ),
    (
        "CREATE INDEX IF NOT EXISTS risk_officer_peers_by_command ON cases_officer (command_id) INCLUDE (status, id)",
        "DROP INDEX IF EXISTS risk_officer_peers_by_command",
    ),
]


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql, _ in _POSTGRESQL:
            schema_editor.execute(sql)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _, sql in reversed(_POSTGRESQL):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0002_flag_digest"),
    ]

    operations = [
        migrations.AlterField(
            model_name="riskflag",
            name="officer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="risk_flags",
                to="cases.officer",
            ),
        ),
        migrations.AlterField(
            model_name="riskflag",
            name="rule_code",
            field=models.SlugField(db_index=False, max_length=64),
        ),
        migrations.RunPython(_forward, _backward),
    ]
