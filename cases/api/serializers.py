"""Serializers per audience: DPS staff see the casework; oversight bodies see it with personal data
minimised (no names, no staff or collar numbers, no narratives)."""

from rest_framework import serializers

from ..models import Case, Officer, OnyxReview


class OfficerStaffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    command = serializers.CharField(source="command.name", read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "staff_number", "collar_number", "first_name", "last_name", "rank", "command", "status"]


class CaseStaffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = OfficerStaffSerializer(read_only=True)
    # A case waiting for allocation has no investigator: null, and the schema says so.
    investigator = serializers.CharField(source="investigator.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "subject",
            "investigator",
            "status",
            "came_to_notice_on",
            "severity",
            "standards_breached",
            "finding",
            "route",
            "outcome",
            "opened_at",
            "closed_at",
            "restricted",
        ]


class CaseOversightSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject_rank = serializers.CharField(source="subject.rank", read_only=True)
    subject_ethnicity = serializers.CharField(source="subject.ethnicity", read_only=True)
    subject_sex = serializers.CharField(source="subject.sex", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "came_to_notice_on",
            "severity",
            "finding",
            "route",
            "outcome",
            "opened_at",
            "closed_at",
            "subject_rank",
            "subject_ethnicity",
            "subject_sex",
        ]


class OnyxReviewStaffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = OfficerStaffSerializer(read_only=True)

    class Meta:
        model = OnyxReview
        fields = ["id", "reference", "subject", "status", "decision", "rationale", "decided_at"]


class OnyxReviewOversightSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = OnyxReview
        fields = ["id", "reference", "status", "decision", "decided_at"]


class ApiErrorSerializer(serializers.Serializer):
    """The body DRF sends with a refusal (403) or a miss (404); used for the schema only."""

    detail = serializers.CharField()
