from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Vetting"

    def ready(self):
        _documents_owner_register()

        from cases.roles import role_permissions_grant

        from .roles import ROLE_PERMISSIONS

        role_permissions_grant(ROLE_PERMISSIONS)

        from cases.nav import GROUP_PEOPLE, NavSection, nav_section_register

        nav_section_register(NavSection("vetting", "Vetting reviews", "vetting:review_list", 120, group=GROUP_PEOPLE))
        nav_section_register(
            NavSection("vetting_expiry", "Clearances expiring", "vetting:clearance_expiry", 121, group=GROUP_PEOPLE)
        )
        nav_section_register(
            NavSection("vetting_withdrawals", "Vetting withdrawals", "vetting:withdrawal_list", 122, group=GROUP_PEOPLE)
        )
        nav_section_register(NavSection("vetting_pnd", "PND screening", "vetting:pnd_summary", 123, group=GROUP_PEOPLE))
        # Every member of the force must report a change in their circumstances (Police (Vetting) Regulations 2025).
        nav_section_register(
            NavSection(
                "circumstance_change",
                "Report a change in my circumstances",
                "vetting:circumstance_change",
                190,
                group=GROUP_PEOPLE,
            )
        )

        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.RenewalPeriod,
            models.VettingClearance,
            models.VettingReview,
            models.PNDCheck,
            models.CircumstanceChange,
            models.RevettingDraw,
            models.VettingWithdrawal,
        ):
            auditlog.register(model)

        from cases import events
        from cases.services import barred_list_dismissal_source

        # A dismissal on the withdrawal of vetting is a dismissal: the barred-list checks in cases must know it.
        barred_list_dismissal_source(_dismissed_on_withdrawal)

        from . import services

        # Every trigger from the ground floor opens a review through vetting's own service (exactly once each).
        for signal, service, uid in (
            (events.onyx_risk_management_decided, services.on_onyx_risk_management_decided, "onyx_risk_management"),
            (events.case_moved, services.on_case_moved, "case_moved"),
            (events.conviction_recorded, services.on_conviction_recorded, "conviction_recorded"),
            (events.report_linked_to_officer, services.on_report_linked_to_officer, "report_linked"),
        ):
            signal.connect(_receiver(service), weak=False, dispatch_uid=f"vetting.{uid}")


def _receiver(service):
    def receive(sender, **kwargs):
        service(**kwargs)

    return receive


def _dismissed_on_withdrawal():
    from .models import DISMISSED_STATUSES, VettingWithdrawal

    return VettingWithdrawal.objects.filter(status__in=DISMISSED_STATUSES).values("officer_id")


def _documents_owner_register():
    """Documents on a vetting review (cases/documents): readable exactly when the review is."""
    from django.urls import reverse

    from cases.documents.owners import DocumentOwnerKind, document_owner_register
    from cases.roles import Role, has_role

    from .models import VettingReview

    def readable(user):
        from .selectors import vetting_review_list

        return vetting_review_list(user=user)

    document_owner_register(
        DocumentOwnerKind(
            "vetting_review",
            VettingReview,
            readable,
            lambda user, review: has_role(user, Role.VETTING_OFFICER),
            lambda obj: (str(obj), reverse("vetting:review_detail", args=[obj.public_id])),
        )
    )
