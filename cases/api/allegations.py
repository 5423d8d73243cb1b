"""Allegations in the API: read (staff see the casework, oversight readers a minimised shape) and
recorded through the same service and checks as the browser's form (`allegation_record`)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from cases.api.permissions import StaffApiMixin

from .. import selectors, services
from ..models import Allegation
from ..permissions import CASE_READERS, is_oversight_only
from ..roles import Role, has_role
from . import filters as api_filters
from . import serializers
from .idempotency import HEADER, idempotency_token
from .reads import RecordedListMixin
from .views import FILTERS_REFUSED, FORBIDDEN, PAGE_NOT_FOUND, UNAUTHENTICATED, _by_audience

# Who records allegations (the service refuses anyone else too: services.allegation_record).
ALLEGATION_RECORDERS = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.HOTLINE_TRIAGE)
REFUSED = OpenApiResponse(serializers.FieldErrorsSerializer, description="The fields the rules refuse, with why.")


def refused(exc: services.DomainError) -> ValidationError:
    """A service's refusal as the API's one error body: {field: [message]} or {non_field_errors: [...]}."""
    return ValidationError({exc.field or "non_field_errors": [str(exc)]})


@extend_schema_view(
    get=extend_schema(
        responses={
            200: _by_audience(
                "Allegation",
                serializers.AllegationStaffSerializer,
                serializers.AllegationOversightSerializer,
                many=True,
            ),
            400: FILTERS_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: PAGE_NOT_FOUND,
        }
    ),
    post=extend_schema(
        request=serializers.AllegationCreateSerializer,
        parameters=[
            OpenApiParameter(
                HEADER,
                location=OpenApiParameter.HEADER,
                required=False,
                description="Your own unique string: a repeat with the same key returns the first result.",
            )
        ],
        responses={
            201: serializers.AllegationStaffSerializer,
            400: REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
)
class AllegationList(StaffApiMixin, RecordedListMixin, generics.ListCreateAPIView):
    access_roles = tuple(sorted(CASE_READERS | set(ALLEGATION_RECORDERS)))
    access_object_type = "allegation"
    queryset = Allegation.objects.none()  # for the schema generator only; get_queryset filters by user

    def get_queryset(self):
        return selectors.allegation_list(user=self.request.user).select_related("subject__command", "case")

    @property
    def filterset_class(self):
        # The allegation list page's filters; an oversight reader filters by nothing that identifies a person.
        user = getattr(self.request, "user", None)
        if user is not None and is_oversight_only(user):
            return api_filters.AllegationOversightApiFilter
        return api_filters.AllegationApiFilter

    def get_serializer_class(self):
        if self.request.method == "POST":
            return serializers.AllegationCreateSerializer
        if is_oversight_only(self.request.user):
            return serializers.AllegationOversightSerializer
        return serializers.AllegationStaffSerializer

    def create(self, request, *args, **kwargs):
        if not has_role(request.user, *ALLEGATION_RECORDERS):
            raise PermissionDenied("Only DPS staff and the hotline team record allegations.")
        incoming = serializers.AllegationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        # The subject must be someone this caller may see: the same answer for missing and forbidden.
        subject = selectors.officer_list(user=request.user).filter(public_id=data.pop("subject")).first()
        if subject is None:
            raise ValidationError({"subject": ["No such officer or member of staff."]})
        try:
            allegation = services.allegation_record(
                subject=subject, by=request.user, once_token=idempotency_token(request), **data
            )
        except services.DomainError as exc:
            raise refused(exc) from exc
        body = serializers.AllegationStaffSerializer(allegation, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
