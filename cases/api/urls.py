from django.urls import path

from cases.fairness.api import FairnessFigures

from . import views
from .allegations import AllegationList
from .case_actions import CaseAction

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/actions/", CaseAction.as_view(), name="case-action"),
    path("allegations/", AllegationList.as_view(), name="allegation-list"),
    path("officers/", views.OfficerList.as_view(), name="officer-list"),
    path("officers/<uuid:officer_id>/", views.OfficerDetail.as_view(), name="officer-detail"),
    path("reviews/", views.ReviewList.as_view(), name="review-list"),
    path("reviews/<uuid:review_id>/", views.ReviewDetail.as_view(), name="review-detail"),
    path("fairness/figures/", FairnessFigures.as_view(), name="fairness-figures"),
]
