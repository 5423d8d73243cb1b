"""Risk flags in the API: GET /api/v1/risk-flags/, the risk list page's flags (selectors.risk_flag_list:
the roles that read flags, less officers the reader is conflicted on) with the page's filters. Each
reason is given in words, as the page gives it, and like the page a reason whose records the reader
may not see keeps no words that describe them. Which records are visible is decided for the whole
page at once: one query per kind of record, not one per flag."""

import django_filters
from django.apps import apps
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from cases.api.fast_read import FastReadMixin
from cases.api.permissions import StaffApiMixin
from cases.api.reads import RecordedListMixin
from cases.api.serializers import OfficerStaffSerializer
from cases.api.views import FILTERS_REFUSED, FORBIDDEN, PAGE_NOT_FOUND, UNAUTHENTICATED
from cases.permissions import RISK_READERS
from cases.records import record_kind

from . import engine, selectors
from .filters import RiskFlagFilter
from .models import RiskFlag

HIDDEN_REASON = "Based on records you are not cleared to see."


class RiskFlagApiFilter(RiskFlagFilter):
    ordering = django_filters.OrderingFilter(
        fields=(("first_seen", "first_seen"), ("last_seen", "last_seen"), ("level", "level")),
        label="Order by (first_seen, last_seen, level; '-' for descending; newest first unless asked)",
    )

    class Meta(RiskFlagFilter.Meta):
        pass


def visible_reason_records(*, user, flags) -> set[tuple[str, int]]:
    """The (model label, id) of every record behind these flags' reasons that this reader may see
    (the rule of selectors.risk_reason_records, for a page of flags at once)."""
    wanted: dict[str, set[int]] = {}
    officers: dict[str, set[int]] = {}
    for flag in flags:
        for reason in flag.reasons:
            wanted.setdefault(reason["model"], set()).update(reason["ids"])
            officers.setdefault(reason["model"], set()).add(flag.officer_id)
    visible = set()
    for label, ids in wanted.items():
        kind = record_kind(label)
        if kind is not None and not kind.reasons_by_officer:
            visible |= {(label, pk) for pk in kind.readable(user).filter(pk__in=ids).values_list("pk", flat=True)}
            continue
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        names = {f.name for f in model._meta.get_fields()}
        field = next((f for f in ("officer", "subject") if f in names), None)
        if field is None:
            continue
        rows = model.objects.filter(pk__in=ids, **{f"{field}_id__in": officers[label]}).values_list("pk", f"{field}_id")
        visible |= {(label, pk, officer_id) for pk, officer_id in rows}
    return visible


class RiskReasonSerializer(FastReadMixin, serializers.Serializer):
    text = serializers.CharField()
    records = serializers.IntegerField(help_text="how many records behind the reason you may see")


class RiskFlagSerializer(FastReadMixin, serializers.ModelSerializer):
    officer = OfficerStaffSerializer(read_only=True)
    rule = serializers.CharField(source="rule_code", read_only=True)
    rule_label = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = RiskFlag
        fields = ["id", "officer", "rule", "rule_label", "level", "reasons", "triage_status", "first_seen", "last_seen"]

    @extend_schema_field(serializers.CharField())
    def get_rule_label(self, flag) -> str:
        return engine.rule_label(flag.rule_code)

    @extend_schema_field(RiskReasonSerializer(many=True))
    def get_reasons(self, flag) -> list[dict]:
        visible = self.context.get("visible_records", set())
        out = []
        for r in flag.reasons:
            shown = sum(
                1 for i in r["ids"] if (r["model"], i) in visible or (r["model"], i, flag.officer_id) in visible
            )
            out.append({"text": r["text"] if shown or not r["ids"] else HIDDEN_REASON, "records": shown})
        return out


@extend_schema_view(
    get=extend_schema(
        responses={
            200: RiskFlagSerializer(many=True),
            400: FILTERS_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: PAGE_NOT_FOUND,
        }
    )
)
class RiskFlagList(StaffApiMixin, RecordedListMixin, generics.ListAPIView):
    """Active early-intervention flags, newest first, each reason in words."""

    access_roles = RISK_READERS
    serializer_class = RiskFlagSerializer
    filterset_class = RiskFlagApiFilter
    queryset = RiskFlag.objects.none()  # for the schema generator only
    # A flag says something about its officer: the read is recorded against the officer.
    access_object_type = "officer"

    def get_queryset(self):
        return (
            selectors.risk_flag_list(user=self.request.user)
            .select_related("officer", "officer__command")
            .order_by("-first_seen", "-id")
        )

    def access_rows(self, flags):
        return [(flag.officer_id, flag.officer.staff_number) for flag in flags]

    def get_serializer(self, *args, **kwargs):
        if args and kwargs.get("many"):
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["visible_records"] = visible_reason_records(user=self.request.user, flags=args[0])
        return super().get_serializer(*args, **kwargs)
