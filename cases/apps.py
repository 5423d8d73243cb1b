from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, nav, record_kinds

        record_kinds.record_kinds_register()
        nav.cases_nav_register()

        # Who changed what, when: one JSON diff per change (django-auditlog).
        for model in (
            models.Command,
            models.Officer,
            models.Allegation,
            models.Case,
            models.Conviction,
            models.CollegeReport,
            models.ReviewBatch,
            models.OnyxReview,
            models.PanelAssignment,
            models.ConflictOfInterest,
            models.Suspension,
        ):
            auditlog.register(model)
