"""A case's events in the API: GET /api/v1/cases/{case_id}/events/, the timeline the case page shows,
for whoever may open the case (selectors.access_case: 404 alike for missing and forbidden). DPS staff
see who acted and the note; oversight readers see what happened and when, never who or the words."""

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers

from cases.api.fast_read import FastReadMixin
from cases.api.permissions import StaffApiMixin

from .. import selectors, services
from ..filters import ListFilterSet, MomentOnOrAfterDayFilter, MomentOnOrBeforeDayFilter
from ..models import CaseEvent, CaseEventKind, CaseStatus
from ..permissions import CASE_READERS, is_oversight_only
from .views import FILTERS_REFUSED, FORBIDDEN, UNAUTHENTICATED, _by_audience


class CaseEventFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=CaseEventKind.choices, label="Kind of event")
    to_status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label="Status moved to")
    at_from = MomentOnOrAfterDayFilter(label="On or after (day)", field_name="at")
    at_to = MomentOnOrBeforeDayFilter(label="On or before (day)", field_name="at")
    ordering = django_filters.OrderingFilter(
        fields=(("at", "at"),), label="Order by (at, -at; oldest first unless asked)"
    )

    class Meta:
        model = CaseEvent
        fields = []


class CaseEventStaffSerializer(FastReadMixin, serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "from_status", "to_status", "actor", "note"]


class CaseEventOversightSerializer(FastReadMixin, serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "from_status", "to_status"]


NO_CASE = OpenApiResponse(
    description="No such case, one you may not see, or no such page: the same answer, so ids cannot be probed."
)


@extend_schema_view(
    get=extend_schema(
        responses={
            200: _by_audience("CaseEvent", CaseEventStaffSerializer, CaseEventOversightSerializer, many=True),
            400: FILTERS_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NO_CASE,
        }
    )
)
class CaseEventList(StaffApiMixin, generics.ListAPIView):
    """The case's timeline, oldest first, for whoever may open the case. Oversight readers see what
    happened and when; DPS staff also who acted and the note."""

    access_roles = tuple(sorted(CASE_READERS))
    filterset_class = CaseEventFilter
    queryset = CaseEvent.objects.none()  # for the schema generator only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CaseEvent.objects.none()
        case = selectors.access_case(user=self.request.user, public_id=self.kwargs["case_id"])
        if not hasattr(self, "_recorded"):
            # Reading a case's timeline is reading the case: one access record, as the case page writes.
            services.access_record_write(request=self.request, obj=case, object_type="case", label=case.reference)
            self._recorded = True
        return case.events.select_related("actor").order_by("at", "id")

    def get_serializer_class(self):
        if is_oversight_only(self.request.user):
            return CaseEventOversightSerializer
        return CaseEventStaffSerializer
