from django.apps import AppConfig


class HotlineConfig(AppConfig):
    """Hotline models are deliberately not registered with django-auditlog: its middleware stamps
    each change with the request's address, which for a public report is the reporter's. The
    workflow keeps its own event rows (HotlineReportEvent) instead."""

    name = "hotline"
    verbose_name = "Hotline"
