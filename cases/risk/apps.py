from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cases.risk"
    label = "risk"
    verbose_name = "Early-intervention risk flags"

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from . import engine, models, rules  # noqa: F401  (rules registers the cases-app rules)

        # Parameter history: every supervisor change to a rule is a JSON diff (django-auditlog).
        auditlog.register(models.RiskRule)
        # vetting/risk_rules.py, hotline/risk_rules.py: the apps above register with the core,
        # as admin.py modules do with the admin.
        engine.autodiscover()
        engine.connect_watches()
        from . import tasks

        tasks.listen()
        post_migrate.connect(engine.sync_rule_rows, sender=self, dispatch_uid="risk.sync_rule_rows")

        from cases.nav import GROUP_PEOPLE, NavSection, nav_section_register

        nav_section_register(NavSection("risk", "Risk flags", "risk:risk_list", 100, group=GROUP_PEOPLE))
