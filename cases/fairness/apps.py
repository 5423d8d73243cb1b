from django.apps import AppConfig


class FairnessConfig(AppConfig):
    name = "cases.fairness"
    label = "fairness"
    verbose_name = "Fairness monitoring and imported datasets"
