from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Vetting"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.RenewalPeriod, models.VettingClearance, models.VettingReview, models.PNDCheck):
            auditlog.register(model)
