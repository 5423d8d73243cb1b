"""Onyx re-reviews and case opening through the API: the reviewer's decision, the panel's verdict, a case
opened from a reassess review or from a person's allegations. Each goes through the same form, access
check (`selectors.access_*`, 404 alike for missing and forbidden) and service as the browser's view
(cases/views/reviews.py, cases/views/officers.py); the services refuse what the page would refuse."""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response

from cases.api.permissions import StaffApiMixin

from .. import selectors, services
from ..forms import OnyxDecisionForm, PanelVerdictForm
from ..models import REASSESS_ACTIONS, RISK_MEASURES, Case, OnyxDecision, OnyxReview, PanelVerdict
from ..permissions import CASE_WORKERS, PANEL_MEMBERS
from . import serializers
from .allegations import refused
from .idempotency import idempotency_token
from .write_support import IDEMPOTENCY_KEY, form_refused, write_responses


class OnyxDecisionRequestSerializer(drf_serializers.Serializer):
    """The review page's decision form (OnyxDecisionForm); which actions go with which decision is the service's."""

    decision = drf_serializers.ChoiceField(choices=OnyxDecision.choices)
    rationale = drf_serializers.CharField(max_length=10000)
    inquiries = drf_serializers.ListField(
        child=drf_serializers.ChoiceField(choices=[(k.value, k.label) for k in REASSESS_ACTIONS]), required=False
    )
    measures = drf_serializers.ListField(
        child=drf_serializers.ChoiceField(choices=[(k.value, k.label) for k in RISK_MEASURES]), required=False
    )
    action_notes = drf_serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PanelVerdictRequestSerializer(drf_serializers.Serializer):
    verdict = drf_serializers.ChoiceField(choices=PanelVerdict.choices)
    reasons = drf_serializers.CharField(max_length=10000, required=False, allow_blank=True)


class CaseOpenRequestSerializer(drf_serializers.Serializer):
    """The person page's "open a case" form: which of their open allegations the case investigates."""

    allegations = drf_serializers.ListField(child=drf_serializers.UUIDField(), max_length=500)
    restricted = drf_serializers.BooleanField(required=False, default=False)


def _once(request, purpose, write, reload):
    """Run `write()` once per Idempotency-Key: a repeat returns `reload(first result's id)`."""
    try:
        with transaction.atomic():
            claim = services.submission_claim(token=idempotency_token(request), by=request.user, purpose=purpose)
            if claim.replayed:
                return reload(claim.replayed_id)
            result = write()
            claim.done(result.pk)
            return result
    except services.DomainError as exc:
        raise refused(exc) from exc


def _review_body(request, review_id):
    review = OnyxReview.objects.select_related("subject__command").get(pk=review_id)
    return Response(serializers.OnyxReviewStaffSerializer(review, context={"request": request}).data)


def _case_body(request, case):
    case.refresh_from_db()
    body = serializers.CaseStaffSerializer(case, context={"request": request}).data
    return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(
    request=OnyxDecisionRequestSerializer,
    parameters=[IDEMPOTENCY_KEY],
    responses=write_responses(200, serializers.OnyxReviewStaffSerializer),
)
class ReviewDecision(StaffApiMixin, generics.GenericAPIView):
    """The allocated reviewer's one decision (services.onyx_review_decide)."""

    access_roles = tuple(sorted(CASE_WORKERS))
    queryset = OnyxReview.objects.none()  # for the schema generator only
    serializer_class = OnyxDecisionRequestSerializer

    def post(self, request, review_id):
        review = selectors.access_onyx_review(user=request.user, public_id=review_id)
        form = OnyxDecisionForm(request.data if hasattr(request.data, "get") else {})
        if not form.is_valid():
            raise form_refused(form)
        decided = _once(
            request,
            "api_onyx_decision",
            lambda: services.onyx_review_decide(
                review=review,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                actions=form.actions(),
                by=request.user,
            ),
            lambda pk: OnyxReview.objects.get(pk=pk),
        )
        return _review_body(request, decided.pk)


@extend_schema(
    request=PanelVerdictRequestSerializer,
    parameters=[IDEMPOTENCY_KEY],
    responses=write_responses(200, serializers.OnyxReviewStaffSerializer),
)
class ReviewVerdict(StaffApiMixin, generics.GenericAPIView):
    """The panel member's verdict on a review assigned to them (services.panel_verdict_record); a review
    not assigned to the caller is not found, as on the page."""

    access_roles = tuple(sorted(PANEL_MEMBERS))
    queryset = OnyxReview.objects.none()  # for the schema generator only
    serializer_class = PanelVerdictRequestSerializer

    def post(self, request, review_id):
        review = selectors.access_onyx_review(user=request.user, public_id=review_id)
        assignment = review.panel_assignments.filter(panel_member=request.user).order_by("-round").first()
        if assignment is None:
            raise Http404
        form = PanelVerdictForm(request.data if hasattr(request.data, "get") else {})
        if not form.is_valid():
            raise form_refused(form)
        _once(
            request,
            "api_panel_verdict",
            lambda: services.panel_verdict_record(
                assignment=assignment,
                verdict=form.cleaned_data["verdict"],
                reasons=form.cleaned_data["reasons"],
                by=request.user,
            ),
            lambda pk: assignment,
        )
        return _review_body(request, review.pk)


@extend_schema(
    request=None, parameters=[IDEMPOTENCY_KEY], responses=write_responses(201, serializers.CaseStaffSerializer)
)
class ReviewCaseOpen(StaffApiMixin, generics.GenericAPIView):
    """A decided reassess review opens a case about its subject (services.onyx_review_case_open: one
    review opens one case, so a repeat returns the same case even without a key)."""

    access_roles = tuple(sorted(CASE_WORKERS))
    queryset = OnyxReview.objects.none()  # for the schema generator only
    serializer_class = serializers.CaseStaffSerializer

    def post(self, request, review_id):
        review = selectors.access_onyx_review(user=request.user, public_id=review_id)
        case = _once(
            request,
            "api_review_case_open",
            lambda: services.onyx_review_case_open(review=review, by=request.user),
            lambda pk: selectors.case_list(user=request.user).get(pk=pk),
        )
        return _case_body(request, case)


@extend_schema(
    request=CaseOpenRequestSerializer,
    parameters=[IDEMPOTENCY_KEY],
    responses=write_responses(201, serializers.CaseStaffSerializer),
)
class OfficerCaseOpen(StaffApiMixin, generics.GenericAPIView):
    """Open a case about a person grouping some of their open allegations (services.case_open, which
    checks the opener's role and conflicts and takes the key as its one-time token)."""

    access_roles = tuple(sorted(CASE_WORKERS))
    queryset = Case.objects.none()  # for the schema generator only
    serializer_class = CaseOpenRequestSerializer

    def post(self, request, officer_id):
        officer = selectors.access_officer(user=request.user, public_id=officer_id)
        incoming = CaseOpenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        chosen = incoming.validated_data["allegations"]
        allegations = list(
            selectors.officer_allegations(user=request.user, officer=officer).filter(public_id__in=chosen)
        )
        try:
            case = services.case_open(
                subject=officer,
                allegations=allegations,
                by=request.user,
                restricted=incoming.validated_data["restricted"],
                once_token=idempotency_token(request),
            )
        except services.DomainError as exc:
            raise refused(exc) from exc
        return _case_body(request, case)
