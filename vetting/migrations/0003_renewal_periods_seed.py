from django.db import migrations

# The renewal table's starting values (configuration: the vetting unit changes them in the admin). RV 10 and
# MV 7 years as the force has used them; SC 10 and DV 7 as the Cabinet Office's review periods; DV with an
# annual appraisal. ⚠ Not verified against the APP's own renewal table: see docs/vetting-rules.md.
PERIODS = {
    "rv": (10, False),
    "mv": (7, False),
    "nppv1": (3, False),
    "nppv2a": (3, False),
    "nppv2f": (5, False),
    "nppv3": (5, False),
    "ctc": (10, False),
    "sc": (10, False),
    "dv": (7, True),
}


def seed(apps, schema_editor):
    RenewalPeriod = apps.get_model("vetting", "RenewalPeriod")
    for level, (years, appraisal) in PERIODS.items():
        RenewalPeriod.objects.get_or_create(level=level, defaults={"years": years, "annual_appraisal": appraisal})


class Migration(migrations.Migration):
    dependencies = [("vetting", "0002_review_workflow_notices_draws_self_reports")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
