from django.urls import path

from cases.fairness.api import FairnessFigures
from cases.risk.api import RiskFlagList

from . import views
from .allegations import AllegationList
from .case_actions import CaseAction
from .events import CaseEventList
from .onyx_actions import OfficerCaseOpen, ReviewCaseOpen, ReviewDecision, ReviewVerdict
from .statistics import OnyxBreakdown, OutcomesByCategory, OutcomesByMonth, Reg19Overdue, TimeToOutcome

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/actions/", CaseAction.as_view(), name="case-action"),
    path("allegations/", AllegationList.as_view(), name="allegation-list"),
    path("officers/", views.OfficerList.as_view(), name="officer-list"),
    path("officers/<uuid:officer_id>/", views.OfficerDetail.as_view(), name="officer-detail"),
    path("officers/<uuid:officer_id>/cases/", OfficerCaseOpen.as_view(), name="officer-case-open"),
    path("reviews/", views.ReviewList.as_view(), name="review-list"),
    path("reviews/<uuid:review_id>/decision/", ReviewDecision.as_view(), name="review-decision"),
    path("reviews/<uuid:review_id>/verdict/", ReviewVerdict.as_view(), name="review-verdict"),
    path("reviews/<uuid:review_id>/open-case/", ReviewCaseOpen.as_view(), name="review-case-open"),
    path("reviews/<uuid:review_id>/", views.ReviewDetail.as_view(), name="review-detail"),
    path("cases/<uuid:case_id>/events/", CaseEventList.as_view(), name="case-event-list"),
    path("risk-flags/", RiskFlagList.as_view(), name="risk-flag-list"),
    path("statistics/onyx/", OnyxBreakdown.as_view(), name="statistics-onyx"),
    path("statistics/outcomes-by-category/", OutcomesByCategory.as_view(), name="statistics-outcomes-by-category"),
    path("statistics/outcomes-by-month/", OutcomesByMonth.as_view(), name="statistics-outcomes-by-month"),
    path("statistics/time-to-outcome/", TimeToOutcome.as_view(), name="statistics-time-to-outcome"),
    path("statistics/reg19-overdue/", Reg19Overdue.as_view(), name="statistics-reg19-overdue"),
    path("fairness/figures/", FairnessFigures.as_view(), name="fairness-figures"),
]
