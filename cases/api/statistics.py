"""Statistics in the API: aggregate figures only, for the roles that read the dashboard and the
oversight bodies (no row, name or text in any of them). Each endpoint takes the same narrowing as the
monitoring figures (the force's records received from/to a day, a command, a source, a category),
refuses an unknown parameter with 400, and is computed by cases/statistics.py, which the dashboard
uses too. The hotline's figures are the hotline app's (hotline/api.py)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.permissions import StaffApiMixin

from .. import statistics
from ..calendar import today
from ..fairness.datasets import Scope
from ..filters import ListFilterSet
from ..models import Allegation, AllegationCategory, AllegationSource
from ..roles import Role
from .views import FORBIDDEN, UNAUTHENTICATED

# The dashboard's readers, and the oversight bodies the figures are published to.
STATISTICS_ROLES = (Role.COMMISSIONER, Role.OVERSIGHT, Role.SUPERVISOR)


class StatisticsScopeFilter(ListFilterSet):
    """What the figures may be narrowed to; validated like every list's filters."""

    date_from = django_filters.DateFilter(label="Allegations received on or after (YYYY-MM-DD)")
    date_to = django_filters.DateFilter(label="Allegations received on or before (YYYY-MM-DD)")
    command = django_filters.CharFilter(label="Command code of the subject", max_length=16)
    origin = django_filters.ChoiceFilter(choices=AllegationSource.choices, label="Source of the allegation")
    category = django_filters.ChoiceFilter(choices=AllegationCategory.choices, label="Allegation category")

    class Meta:
        model = Allegation
        fields = []


def _parameters(filterset_class) -> list[OpenApiParameter]:
    params = []
    for name, f in filterset_class.base_filters.items():
        kind = OpenApiTypes.DATE if isinstance(f, django_filters.DateFilter) else OpenApiTypes.STR
        choices = [c for c, _ in f.extra.get("choices", [])] or None
        params.append(OpenApiParameter(name, kind, description=str(f.label), enum=choices))
    return params


SCOPE_REFUSED = OpenApiResponse(description="A parameter no filter knows, or a value it does not accept.")


def scope_of(request) -> Scope:
    filters = StatisticsScopeFilter(request.query_params, queryset=Allegation.objects.none())
    if not filters.is_valid():
        raise ValidationError(filters.errors)
    data = filters.form.cleaned_data
    if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
        raise ValidationError({"date_to": ["Give a last day on or after the first day."]})
    return Scope(
        date_from=data["date_from"],
        date_to=data["date_to"],
        command=data["command"] or "",
        origin=data["origin"] or "",
        category=data["category"] or "",
    )


class OnyxBreakdownSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    decided = serializers.IntegerField()
    nfa = serializers.IntegerField(help_text="decided: no further action")
    reassess = serializers.IntegerField()
    risk_management = serializers.IntegerField()
    panel_checked = serializers.IntegerField()
    agreed = serializers.IntegerField(help_text="concluded: the panel agreed")
    disagreed = serializers.IntegerField()
    with_panel = serializers.IntegerField()
    returned = serializers.IntegerField()
    outstanding = serializers.IntegerField()


class OutcomeByCategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    finding = serializers.CharField(help_text="the case's finding; empty while there is none")
    outcome = serializers.CharField(help_text="the case's outcome; empty while there is none")
    allegations = serializers.IntegerField()


class OutcomeByMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM of the outcome")
    outcome = serializers.CharField()
    allegations = serializers.IntegerField()


class TimeToOutcomeSerializer(serializers.Serializer):
    category = serializers.CharField()
    allegations = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    mean_days = serializers.FloatField(allow_null=True)
    shortest_days = serializers.IntegerField(allow_null=True)
    longest_days = serializers.IntegerField(allow_null=True)


class CommandCountSerializer(serializers.Serializer):
    command = serializers.CharField()
    name = serializers.CharField()
    cases = serializers.IntegerField()


class Reg19OverdueSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    cases = serializers.IntegerField()
    by_command = CommandCountSerializer(many=True)


def _responses(serializer):
    return {200: serializer, 400: SCOPE_REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN}


class StatisticsView(StaffApiMixin, APIView):
    access_roles = STATISTICS_ROLES


class OnyxBreakdown(StatisticsView):
    """Onyx reviews by decision and by the panel's check (the dashboard's figures)."""

    @extend_schema(responses=_responses(OnyxBreakdownSerializer))
    def get(self, request):
        if request.query_params:
            raise ValidationError({"__all__": ["This figure takes no parameters."]})
        return Response(OnyxBreakdownSerializer(statistics.onyx_breakdown()).data)


class ScopedStatisticsView(StatisticsView):
    """A figure narrowed by the statistics scope (StatisticsScopeFilter): `figures` is the function of
    cases/statistics.py that computes its rows for a scope, `serializer_class` what each row shows. A subclass
    names the two and takes its schema from `scoped_schema`."""

    figures = None
    serializer_class = None

    def get(self, request):
        rows = self.figures(scope=scope_of(request))
        return Response(self.serializer_class(rows, many=True).data)


def scoped_schema(serializer):
    return extend_schema(parameters=_parameters(StatisticsScopeFilter), responses=_responses(serializer(many=True)))


@scoped_schema(OutcomeByCategorySerializer)
class OutcomesByCategory(ScopedStatisticsView):
    """Allegations by category and by their case's finding and outcome."""

    figures = staticmethod(statistics.outcomes_by_category)
    serializer_class = OutcomeByCategorySerializer


@scoped_schema(OutcomeByMonthSerializer)
class OutcomesByMonth(ScopedStatisticsView):
    """Allegations whose case reached an outcome, by month of the outcome."""

    figures = staticmethod(statistics.outcomes_by_month)
    serializer_class = OutcomeByMonthSerializer


@scoped_schema(TimeToOutcomeSerializer)
class TimeToOutcome(ScopedStatisticsView):
    """Days from receipt of an allegation to its case's outcome, by category."""

    figures = staticmethod(statistics.time_to_outcome)
    serializer_class = TimeToOutcomeSerializer


class Reg19Overdue(StatisticsView):
    """Open cases whose regulation 19 report is due and not made, in all and by command."""

    @extend_schema(responses=_responses(Reg19OverdueSerializer))
    def get(self, request):
        if request.query_params:
            raise ValidationError({"__all__": ["This figure takes no parameters."]})
        return Response(Reg19OverdueSerializer(statistics.reg19_overdue(today=today())).data)
