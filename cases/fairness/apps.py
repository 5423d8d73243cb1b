from django.apps import AppConfig


class FairnessConfig(AppConfig):
    name = "cases.fairness"
    label = "fairness"
    verbose_name = "Fairness monitoring and imported datasets"

    def ready(self):
        from . import stale

        stale.listen()  # changed allegations, cases and subjects mark their months of the summary stale
        from cases.nav import GROUP_REPORTS, NavSection, nav_section_register

        nav_section_register(
            NavSection("fairness", "Fairness monitoring", "fairness:monitoring", 105, group=GROUP_REPORTS)
        )
