"""Hotline triage through the API: acknowledging a report, through the same access check
(`selectors.access_report`) and service (`report_acknowledge`) as the triage workbench. The answer carries
the report's workflow metadata only, never the reporter's words or identity. The project's urls put this
under /api/v1/ (misconduct/urls.py), so the ground floor never names the hotline."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response

from cases.api.allegations import refused
from cases.api.idempotency import idempotency_token
from cases.api.permissions import StaffApiMixin
from cases.api.write_support import IDEMPOTENCY_KEY, write_responses
from cases.services import DomainError, submission_claim

from . import selectors, services
from .models import HotlineReport
from .services import TRIAGE_ROLES


class HotlineReportStateSerializer(drf_serializers.ModelSerializer):
    id = drf_serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = HotlineReport
        fields = ["id", "reference", "status", "received_at", "acknowledged_at"]


@extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses=write_responses(200, HotlineReportStateSerializer))
class ReportAcknowledge(StaffApiMixin, generics.GenericAPIView):
    access_roles = tuple(sorted(TRIAGE_ROLES))
    queryset = HotlineReport.objects.none()  # for the schema generator only
    serializer_class = HotlineReportStateSerializer

    def post(self, request, report_id):
        report = selectors.access_report(user=request.user, public_id=report_id)
        try:
            with transaction.atomic():
                claim = submission_claim(token=idempotency_token(request), by=request.user, purpose="api_acknowledge")
                if not claim.replayed:
                    report = services.report_acknowledge(report=report, by=request.user)
                    claim.done(report.pk)
        except DomainError as exc:
            raise refused(exc) from exc
        report.refresh_from_db()
        return Response(HotlineReportStateSerializer(report).data)
