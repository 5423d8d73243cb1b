"""The default review policy for cautions and convictions (docs/vetting-rules.md, "Convictions and cautions: the
review policy"), then the policy applied to the convictions already held, set-based as
cases.services.conviction_policy.conviction_policy_apply does: one UPDATE per rule, lowest priority first.

Sources (⚠ where only a summary was read):
- Vetting Code of Practice 2023: clearance is rejected for cautions and convictions, particularly for dishonesty,
  violence or targeting a vulnerable person, unless the person shows otherwise (College of Policing article
  "Vetting Code of Practice updated", 2023 ⚠ the Code's paragraph not read);
- Vetting APP (2017 edition, recruitment vetting), as summarised by Lancashire Constabulary's vetting page ⚠: a
  rebuttable presumption of rejection for every conviction or caution other than those always rejected; offences
  targeting vulnerable people, motivated by hate, or of domestic abuse should lead to rejection; particular care
  with dishonesty, corrupt practice or violence; each case on its merits, where rejection may be disproportionate.
"""

from django.db import migrations

TRAFFIC, DISHONESTY, VIOLENCE, SEXUAL = "serious_traffic", "dishonesty", "violence", "sexual"
NOT_SERIOUS = ["serious_traffic", "drugs", "criminal_damage", "public_order"]

DEFAULT_RULES = [
    # (order, name, conditions, action, citation)
    (
        10,
        "Offence committed as a minor, not of dishonesty, violence or sexual",
        {"categories": NOT_SERIOUS, "as_minor": True},
        "record_only",
        "APP (recruitment vetting): each case on its merits, rejection may be disproportionate ⚠ (summary); "
        "no text on offences as a minor was read ⚠: the force's choice",
    ),
    (
        20,
        "Dishonesty, violence or sexual offence",
        {"categories": [DISHONESTY, VIOLENCE, SEXUAL]},
        "review_and_misconduct",
        "CoP 2023: rejection particularly for dishonesty, violence or targeting a vulnerable person ⚠ (College "
        "summary); APP: particular care with dishonesty, corrupt practice or violence ⚠ (force summary); sexual "
        "offences stand in for offences against vulnerable people ⚠",
    ),
    (
        30,
        "Serious traffic offence",
        {"categories": [TRAFFIC]},
        "review",
        "CoP 2023 / APP: rebuttable presumption of rejection for other cautions and convictions ⚠ (summaries)",
    ),
    (
        40,
        "Any other caution or conviction",
        {},
        "review",
        "CoP 2023 / APP: rebuttable presumption of rejection for other cautions and convictions ⚠ (summaries)",
    ),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("cases", "ConvictionPolicyRule")
    Conviction = apps.get_model("cases", "Conviction")
    for order, name, conditions, action, citation in DEFAULT_RULES:
        Rule.objects.get_or_create(
            order=order, defaults={"name": name, "action": action, "citation": citation, **conditions}
        )
    for rule in Rule.objects.filter(active=True).order_by("-order"):
        q = Conviction.objects.all()
        if rule.categories:
            q = q.filter(category__in=rule.categories)
        if rule.kind:
            q = q.filter(kind=rule.kind)
        if rule.as_minor is not None:
            q = q.filter(as_minor=rule.as_minor)
        if rule.while_serving is not None:
            q = q.filter(while_serving=rule.while_serving)
        q.update(policy_rule=rule, policy_action=rule.action)


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_conviction_kind_minor_policy_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
