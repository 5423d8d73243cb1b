"""The risk engine's part of the staff worklist: flags waiting for a supervisor's triage."""

from django.urls import reverse
from django.utils.formats import date_format

from cases.worklist import WorklistRow, section_from, worklist_source

from . import selectors
from .models import TriageStatus


@worklist_source
def _flags_to_triage(*, user, today):
    from cases.roles import Role, has_role

    from .engine import registered_rules

    if not has_role(user, Role.SUPERVISOR):
        return []
    rules = registered_rules()

    def row(flag):
        rule = rules.get(flag.rule_code)
        return WorklistRow(
            f"{flag.officer.full_name} ({flag.officer.staff_number}): {rule.description if rule else flag.rule_code}",
            reverse("risk:officer_flags", args=[flag.officer.public_id]),
            f"Raised {date_format(flag.first_seen, 'j M Y')}",
        )

    return [
        section_from(
            selectors.risk_flags_to_triage(user=user),
            key="flags",
            title="Risk flags to triage",
            url=f"{reverse('risk:risk_list')}?triage={TriageStatus.UNTRIAGED}",
            link_text="All risk flags not yet triaged",
            row=row,
            order=40,
        )
    ]
