"""Data: every HotlineEvidence row (files reporters sent before documents existed) becomes a document on
its report, so the triage team opens it through the one documents download view. Idempotent (a row
already copied is passed over) and database-neutral. Backwards leaves the documents: their custody
events are append-only (documents 0002), and running forwards again copies nothing twice."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hotline.evidence import evidence_into_documents

    evidence_into_documents(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0002_evidence_events_lookup_audit"),
        ("documents", "0002_custody_append_only"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
