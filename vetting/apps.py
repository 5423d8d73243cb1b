from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Vetting"

    def ready(self):
        from cases.roles import role_permissions_grant

        from .roles import ROLE_PERMISSIONS

        role_permissions_grant(ROLE_PERMISSIONS)

        from cases.nav import NavSection, nav_section_register

        nav_section_register(NavSection("vetting", "Vetting reviews", "vetting:review_list", 120))

        from auditlog.registry import auditlog

        from . import models

        for model in (models.RenewalPeriod, models.VettingClearance, models.VettingReview, models.PNDCheck):
            auditlog.register(model)

        from cases import events

        from .services import on_onyx_risk_management_decided

        events.onyx_risk_management_decided.connect(
            _receiver(on_onyx_risk_management_decided), weak=False, dispatch_uid="vetting.onyx_risk_management"
        )


def _receiver(service):
    def receive(sender, **kwargs):
        service(**kwargs)

    return receive
