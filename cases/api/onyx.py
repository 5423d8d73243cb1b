"""Onyx reviews in the API with their panel verdicts nested: DPS staff and panel members see who
checked the decision and why they disagreed; oversight readers see each round's verdict and when,
never a name or the reasons' words."""

from django.db.models import Prefetch, prefetch_related_objects
from rest_framework import serializers

from ..models import OnyxReview, PanelAssignment
from .serializers import OfficerStaffSerializer, SubjectOversightSerializer


def _panel_rounds():
    return Prefetch(
        "panel_assignments", queryset=PanelAssignment.objects.select_related("panel_member").order_by("round", "id")
    )


def with_panel(reviews):
    """The reviews with their panel rounds: one more query for the whole page, not one per review."""
    return reviews.prefetch_related(_panel_rounds())


def with_panel_of(review) -> None:
    """The same for one review already fetched (a detail)."""
    prefetch_related_objects([review], _panel_rounds())


class PanelVerdictStaffSerializer(serializers.ModelSerializer):
    panel_member = serializers.CharField(source="panel_member.username", read_only=True)

    class Meta:
        model = PanelAssignment
        fields = ["round", "panel_member", "verdict", "reasons", "verdict_at"]


class PanelVerdictOversightSerializer(serializers.ModelSerializer):
    class Meta:
        model = PanelAssignment
        fields = ["round", "verdict", "verdict_at"]


class OnyxReviewStaffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = OfficerStaffSerializer(read_only=True)
    panel = PanelVerdictStaffSerializer(source="panel_assignments", many=True, read_only=True)

    class Meta:
        model = OnyxReview
        fields = ["id", "reference", "subject", "status", "decision", "rationale", "decided_at", "panel"]


class OnyxReviewOversightSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = SubjectOversightSerializer(read_only=True)
    panel = PanelVerdictOversightSerializer(source="panel_assignments", many=True, read_only=True)

    class Meta:
        model = OnyxReview
        fields = ["id", "reference", "subject", "status", "decision", "decided_at", "panel"]
