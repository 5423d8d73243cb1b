"""The hotline in the API, registered into version 1 by the project's urls (misconduct/urls.py), so
cases never names this app.

- GET /api/v1/hotline-reports/ (and /{report_id}/): report metadata for the triage roles, through the
  triage queue's selector (a report about an officer the reader is conflicted on is left out) and its
  filters. Metadata only: never the reporter's words (what happened, when, where, the description of
  the officer, the name or number they gave), their relationship, identity or contact, nor the
  messages, evidence or a closing reason.
- GET /api/v1/statistics/hotline/: reports received, acknowledged within 2 working days and turned
  into allegations, by month (the transparency page's one aggregate query)."""

import django_filters
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.fast_read import FastReadMixin
from cases.api.permissions import StaffApiMixin
from cases.api.reads import RecordedListMixin, latest
from cases.api.serializers import OfficerStaffSerializer
from cases.api.statistics import STATISTICS_ROLES
from cases.api.views import FILTERS_REFUSED, FORBIDDEN, NOT_FOUND, PAGE_NOT_FOUND, UNAUTHENTICATED
from cases.selectors import allegation_list
from cases.services import access_record_write

from . import selectors
from .filters import HotlineReportFilter
from .models import HotlineReport
from .triage import TRIAGE_ROLES


class HotlineReportApiFilter(HotlineReportFilter):
    ordering = django_filters.OrderingFilter(
        fields=(("received_at", "received_at"), ("acknowledged_at", "acknowledged_at")),
        label="Order by (received_at, acknowledged_at; '-' for newest first; the queue's order unless asked)",
    )

    class Meta(HotlineReportFilter.Meta):
        pass


class HotlineReportMetadataSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    acknowledge_by = serializers.SerializerMethodField()
    officer = OfficerStaffSerializer(read_only=True, allow_null=True)
    allegation = serializers.SerializerMethodField(
        help_text="The allegation the report became, where the reader may see it (need-to-know, conflicts)."
    )
    duplicate_of = serializers.CharField(source="duplicate_of.reference", default=None, allow_null=True, read_only=True)

    class Meta:
        model = HotlineReport
        fields = [
            "id",
            "reference",
            "category",
            "status",
            "received_at",
            "acknowledge_by",
            "acknowledged_at",
            "officer",
            "linked_at",
            "allegation",
            "duplicate_of",
        ]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_allegation(self, report):
        if report.allegation_id is None:
            return None
        visible = self.context.get("visible_allegation_ids")
        if visible is None:  # once for the page: which of its reports' allegations the reader may see
            root = self.root.instance
            reports = [root] if isinstance(root, HotlineReport) else list(root)
            ids = {r.allegation_id for r in reports if r.allegation_id}
            readable = allegation_list(user=self.context["request"].user).filter(pk__in=ids)
            visible = self.context["visible_allegation_ids"] = set(readable.values_list("pk", flat=True))
        return report.allegation.public_id if report.allegation_id in visible else None

    @extend_schema_field(serializers.DateField())
    def get_acknowledge_by(self, report):
        return selectors.acknowledge_due(report.received_at)


class HotlineReads(StaffApiMixin):
    access_roles = TRIAGE_ROLES
    serializer_class = HotlineReportMetadataSerializer
    filterset_class = HotlineReportApiFilter
    access_object_type = "hotline_report"
    queryset = HotlineReport.objects.none()  # for the schema generator only

    def get_queryset(self):
        queue = selectors.with_reporter_waiting(selectors.triage_queue(user=self.request.user))
        return queue.select_related("officer__command", "allegation", "duplicate_of")


@extend_schema_view(
    get=extend_schema(
        responses={
            200: HotlineReportMetadataSerializer(many=True),
            400: FILTERS_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: PAGE_NOT_FOUND,
        }
    )
)
class HotlineReportList(HotlineReads, RecordedListMixin, generics.ListAPIView):
    """Hotline reports' metadata in the triage queue's order (open ones unless `status` says
    otherwise). Never the reporter's words, identity or contact."""


@extend_schema_view(
    get=extend_schema(
        responses={200: HotlineReportMetadataSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}
    )
)
class HotlineReportDetail(HotlineReads, generics.RetrieveAPIView):
    """One report's metadata: 404 alike for a report that does not exist and one you may not see."""

    def get_object(self):
        report = selectors.access_report(user=self.request.user, public_id=self.kwargs["report_id"])
        access_record_write(request=self.request, obj=report, object_type="hotline_report", label=report.reference)
        self.last_modified = latest(report, report.officer)
        return report


class HotlineMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM the reports came in (local time)")
    received = serializers.IntegerField()
    acknowledged_in_time = serializers.IntegerField(help_text="acknowledged within 2 working days of receipt")
    allegations = serializers.IntegerField(help_text="turned into an allegation")


class HotlineStatistics(StaffApiMixin, APIView):
    """Hotline volumes and the acknowledgement target (2 working days), by month, newest first."""

    access_roles = STATISTICS_ROLES

    @extend_schema(
        responses={200: HotlineMonthSerializer(many=True), 400: FILTERS_REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN}
    )
    def get(self, request):
        if request.query_params:
            raise ValidationError({"__all__": ["This figure takes no parameters."]})
        rows = [{**r, "month": r["month"].strftime("%Y-%m")} for r in selectors.hotline_transparency_by_month()]
        return Response(HotlineMonthSerializer(rows, many=True).data)


urlpatterns = [
    path("hotline-reports/", HotlineReportList.as_view(), name="hotline-report-list"),
    path("hotline-reports/<uuid:report_id>/", HotlineReportDetail.as_view(), name="hotline-report-detail"),
    path("statistics/hotline/", HotlineStatistics.as_view(), name="statistics-hotline"),
]
