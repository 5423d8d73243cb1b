"""The monitoring figures in the API: GET /api/v1/fairness/figures/ with the page's filters
(source, date_from, date_to, command, origin, category, reference, reference_sex, small_below)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.permissions import StaffApiMixin
from cases.roles import Role

from .models import DataSource
from .selectors import monitoring_figures
from .views import MONITORING_ROLES, _scope


class RateSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="null: no data (an empty group)")
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    per = serializers.IntegerField(help_text="1 for a proportion, 100 for allegations per 100 people")
    small = serializers.BooleanField()
    one_sided = serializers.BooleanField()


class RatioSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(help_text="why there is no ratio or no interval")


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    people = serializers.IntegerField()
    people_with_allegation = serializers.IntegerField()
    allegations = serializers.IntegerField()
    stages = serializers.DictField(child=serializers.IntegerField(), help_text="only the stages in this source")
    median_days = serializers.FloatField(allow_null=True)
    small = serializers.BooleanField()
    is_reference = serializers.BooleanField()
    rates = serializers.DictField(child=RateSerializer(allow_null=True))
    ratios = serializers.DictField(child=RatioSerializer())


class CategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    allegations = serializers.IntegerField()
    upheld = RateSerializer(allow_null=True)
    case_to_answer = RateSerializer(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    dataset = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    stages_present = serializers.ListField(child=serializers.CharField())
    has_outcome_dates = serializers.BooleanField()
    total = GroupSerializer()
    by = serializers.DictField(child=GroupSerializer(many=True))
    reference = serializers.DictField(child=serializers.CharField(allow_null=True))
    categories = CategorySerializer(many=True)
    summary = serializers.ListField(child=serializers.CharField())


class FairnessFigures(StaffApiMixin, APIView):
    # Oversight bodies read the disproportionality figures too (issue 15 item 3): they are aggregates by
    # group, naming no one, with small groups marked as on the page.
    access_roles = (*MONITORING_ROLES, Role.OVERSIGHT)

    @extend_schema(
        responses={
            200: FiguresSerializer,
            403: OpenApiResponse(
                description="Not signed in with a second factor, or not a supervisor or commissioner."
            ),
            404: OpenApiResponse(description="No such data source."),
        }
    )
    def get(self, request):
        _, scope = _scope(request)
        try:
            figures = monitoring_figures(scope=scope)
        except DataSource.DoesNotExist as exc:
            raise Http404 from exc
        data = FiguresSerializer(figures).data
        data["reference"] = {d: (g.key if g else None) for d, g in figures.reference.items()}
        return Response(data)
