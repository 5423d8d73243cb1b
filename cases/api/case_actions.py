"""A casework step through the API: the same form, permission checks and transition service as the case
page's action forms (`case_transition`), so a client can do only what the browser would let its user
do. Risky steps need `"confirm": true`, as the page asks for a tick."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from cases.api.permissions import StaffApiMixin

from .. import selectors, services
from ..forms import CaseActionForm
from ..models import Case
from ..permissions import CASE_WORKERS
from . import serializers
from .allegations import REFUSED, refused
from .idempotency import HEADER, idempotency_token
from .views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED


class CaseActionRequestSerializer(drf_serializers.Serializer):
    """The action's name and the fields it needs (the case page's form lists them per action)."""

    action = drf_serializers.ChoiceField(choices=list(services.CASE_ACTIONS))


@extend_schema(
    request=CaseActionRequestSerializer,
    parameters=[
        OpenApiParameter(
            HEADER,
            location=OpenApiParameter.HEADER,
            required=False,
            description="Your own unique string: a repeat with the same key returns the case as the first left it.",
        )
    ],
    responses={
        200: serializers.CaseStaffSerializer,
        400: REFUSED,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
class CaseAction(StaffApiMixin, generics.GenericAPIView):
    access_roles = tuple(sorted(CASE_WORKERS))
    queryset = Case.objects.none()  # for the schema generator only
    serializer_class = CaseActionRequestSerializer

    def post(self, request, case_id):
        case = selectors.access_case(user=request.user, public_id=case_id)
        action = request.data.get("action") if hasattr(request.data, "get") else None
        if action in services.APPROPRIATE_AUTHORITY_ACTIONS and not (
            services.may_decide_for_the_appropriate_authority(request.user, case)
        ):
            raise PermissionDenied("That decision is the appropriate authority's.")
        form = CaseActionForm(request.data)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError({field: [e["message"] for e in messages] for field, messages in errors.items()})
        token = idempotency_token(request)
        try:
            with transaction.atomic():
                claim = services.submission_claim(token=token, by=request.user, purpose="api_case_action")
                if not claim.replayed:
                    case = services.case_transition(
                        case=case, action=form.cleaned_data["action"], by=request.user, **form.service_data()
                    )
                    claim.done(case.pk)
        except services.DomainError as exc:
            raise refused(exc) from exc
        case.refresh_from_db()
        return Response(serializers.CaseStaffSerializer(case, context={"request": request}).data)
