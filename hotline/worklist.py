"""The hotline's part of the staff worklist: reports waiting for their acknowledgement."""

from django.urls import reverse
from django.utils.formats import date_format

from cases.worklist import WorklistRow, section_from, worklist_source

from . import selectors
from .models import HotlineStatus
from .services import TRIAGE_ROLES


@worklist_source
def _reports_to_acknowledge(*, user, today):
    from cases.roles import has_role

    if not has_role(user, *TRIAGE_ROLES):
        return []

    def row(report):
        due = selectors.acknowledge_due(report.received_at)
        return WorklistRow(
            f"{report.reference}: {report.get_category_display()}",
            reverse("triage:report", args=[report.public_id]),
            f"Acknowledge by {date_format(due, 'j M Y')}",
            overdue=today > due,
        )

    return [
        section_from(
            selectors.reports_awaiting_acknowledgement(user=user),
            key="hotline",
            title="Hotline reports awaiting acknowledgement",
            url=f"{reverse('triage:queue')}?status={HotlineStatus.RECEIVED}",
            link_text="All reports awaiting acknowledgement",
            row=row,
            order=15,
        )
    ]
