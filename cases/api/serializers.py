"""Serializers per audience: DPS staff see the casework; oversight bodies see it with personal data
minimised (no names, no staff or collar numbers, no narratives)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..calendar import today
from ..models import Allegation, AllegationCategory, AllegationSource, Case, Officer, OnyxReview
from .fast_read import FastReadMixin
from .pseudonyms import audience_of, officer_pseudonym, service_band


class OfficerStaffSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    command = serializers.CharField(source="command.name", read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "staff_number", "collar_number", "first_name", "last_name", "rank", "command", "status"]


class CaseStaffSerializer(FastReadMixin, serializers.ModelSerializer):
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


class SubjectOversightSerializer(FastReadMixin, serializers.Serializer):
    """A subject as an oversight reader sees them: a stable pseudonym (cases/api/pseudonyms.py) and
    bands, never a name, a staff or collar number."""

    pseudonym = serializers.SerializerMethodField()
    rank = serializers.CharField(read_only=True)
    command = serializers.CharField(source="command.name", read_only=True)
    ethnicity = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    length_of_service = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_pseudonym(self, officer) -> str:
        request = self.context.get("request")
        return officer_pseudonym(officer_public_id=officer.public_id, audience=audience_of(request and request.user))

    @extend_schema_field(serializers.CharField())
    def get_length_of_service(self, officer) -> str:
        return service_band(joined_on=officer.joined_on, on=officer.left_on or today())


class CaseOversightSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = SubjectOversightSerializer(read_only=True)

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
            "subject",
        ]


class OnyxReviewStaffSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = OfficerStaffSerializer(read_only=True)

    class Meta:
        model = OnyxReview
        fields = ["id", "reference", "subject", "status", "decision", "rationale", "decided_at"]


class OnyxReviewOversightSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = SubjectOversightSerializer(read_only=True)

    class Meta:
        model = OnyxReview
        fields = ["id", "reference", "subject", "status", "decision", "decided_at"]


class ApiErrorSerializer(serializers.Serializer):
    """The body DRF sends with a refusal (403) or a miss (404); used for the schema only."""

    detail = serializers.CharField()


class AllegationStaffSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = OfficerStaffSerializer(read_only=True)
    case = serializers.CharField(source="case.reference", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Allegation
        fields = [
            "id",
            "subject",
            "case",
            "category",
            "source",
            "received_on",
            "incident_on",
            "status",
            "narrative",
            "death_or_serious_injury",
        ]


class AllegationOversightSerializer(FastReadMixin, serializers.ModelSerializer):
    """No narrative, no complainant, no name: the subject only under its pseudonym."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = SubjectOversightSerializer(read_only=True)

    class Meta:
        model = Allegation
        fields = ["id", "subject", "category", "source", "received_on", "incident_on", "status"]


class AllegationCreateSerializer(serializers.Serializer):
    """What a client sends to record an allegation; the service (allegation_record) decides the rest."""

    subject = serializers.UUIDField(help_text="The officer's or staff member's id, as the officers list gives it.")
    category = serializers.ChoiceField(choices=AllegationCategory.choices)
    source = serializers.ChoiceField(choices=AllegationSource.choices)
    received_on = serializers.DateField(help_text="The day it came to the appropriate authority's notice.")
    incident_on = serializers.DateField(required=False, allow_null=True)
    narrative = serializers.CharField(max_length=20000)
    complainant_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)
    death_or_serious_injury = serializers.BooleanField(required=False, default=False)


class FieldErrorsSerializer(serializers.Serializer):
    """A refused write: each field's messages; `non_field_errors` for the request as a whole (schema only)."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
