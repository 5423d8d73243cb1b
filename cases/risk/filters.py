"""The risk-flag list's filters (cases/filters.py says how a list's FilterSet behaves)."""

import django_filters

from cases.filters import ListFilterSet

from . import engine
from .models import FlagLevel, RiskFlag, RiskLevel, TriageStatus


def _registered_rules():
    return [(code, code) for code in sorted(engine.registered_rules())]


class RiskFlagFilter(ListFilterSet):
    level = django_filters.ChoiceFilter(choices=FlagLevel.choices, label="Flag level")
    overall = django_filters.ChoiceFilter(
        choices=RiskLevel.choices, label="Officer's risk level", field_name="officer__risk_level__level"
    )
    rule = django_filters.ChoiceFilter(choices=_registered_rules, label="Rule", field_name="rule_code")
    command = django_filters.CharFilter(
        label="Command code", field_name="officer__command__code", lookup_expr="iexact", max_length=16
    )
    triage = django_filters.ChoiceFilter(choices=TriageStatus.choices, label="Triage", field_name="triage_status")

    class Meta:
        model = RiskFlag
        fields = []
