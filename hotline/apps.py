from django.apps import AppConfig


class HotlineConfig(AppConfig):
    """Hotline models are deliberately not registered with django-auditlog: its middleware stamps
    each change with the request's address, which for a public report is the reporter's. The
    workflow keeps its own event rows (HotlineReportEvent) instead."""

    name = "hotline"
    verbose_name = "Hotline"

    def ready(self):
        from cases.roles import role_permissions_grant

        from .roles import ROLE_PERMISSIONS

        role_permissions_grant(ROLE_PERMISSIONS)

        from cases.nav import GROUP_CASES, NavSection, nav_section_register

        nav_section_register(NavSection("triage", "Hotline triage", "triage:queue", 130, group=GROUP_CASES))

        from cases.records import RecordKind, record_kind_register

        record_kind_register(
            RecordKind(
                "hotline.hotlinereport",
                _reports_readable,
                _report_link,
                audit_type="hotline_report",
                reasons_by_officer=True,
            )
        )
        # Documents on a report (cases/documents): the triage team opens them through the one
        # download view, with the same fetch-and-check as the report itself.
        _documents_owner_register()


def _documents_owner_register():
    from cases.documents.owners import DocumentOwnerKind, document_owner_register
    from cases.roles import has_role

    from .models import HotlineReport
    from .services import TRIAGE_ROLES

    document_owner_register(
        DocumentOwnerKind(
            "hotline_report",
            HotlineReport,
            _reports_readable,
            lambda user, report: has_role(user, *TRIAGE_ROLES),
            _report_link,
        )
    )


def _reports_readable(user):
    from .selectors import triage_queue

    return triage_queue(user=user).order_by()


def _report_link(report):
    from django.urls import reverse

    return (report.reference, reverse("triage:report", args=[report.public_id]))
