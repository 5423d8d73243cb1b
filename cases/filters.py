"""The filters of every list in cases, as django-filter FilterSets (HackSoft Django-Styleguide,
`filters.py` next to `selectors.py`). A FilterSet only narrows: it is given the queryset a selector
already limited to what the user may see, and every filter here is a `.filter()` on it.

The page and the API list for the same records share one FilterSet. A value a filter does not accept,
or a parameter no filter knows, is an error: the page shows it above the form (and lists nothing),
the API answers 400 with the field errors. Nothing is silently ignored."""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import (
    AccessRecord,
    Allegation,
    AllegationCategory,
    AllegationSource,
    AllegationStatus,
    Case,
    CaseStatus,
    Conviction,
    ConvictionKind,
    ConvictionReviewStatus,
    EmploymentStatus,
    Ethnicity,
    Officer,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
    PolicyAction,
    Severity,
    Sex,
)
from .search import officer_search
from .selectors_convictions import CONVICTION_GROUPS

# Parameters a list reads besides its filters: the page number, and DRF's format override.
LIST_PARAMETERS = frozenset({"page", "format"})


class _ListFilterForm(forms.Form):
    """The form behind a list's filters: refuses parameters no filter knows, and ids each input by its
    parameter name (the list pages' inputs are `id="status" name="status"`), so an error links to it."""

    extra_parameters: frozenset[str] = LIST_PARAMETERS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        unknown = sorted(set(self.data) - set(self.fields) - self.extra_parameters)
        if unknown:
            raise ValidationError(
                "Unknown filter: %(names)s. Filter by %(known)s.",
                code="unknown_filter",
                params={"names": ", ".join(unknown), "known": ", ".join(self.fields)},
            )
        return cleaned


class ListFilterSet(django_filters.FilterSet):
    """Base of every list's FilterSet: strict about what it is given, and empty when that is wrong."""

    def get_form_class(self):
        return type(f"{type(self).__name__}Form", (_ListFilterForm, super().get_form_class()), {})

    @property
    def qs(self):
        # An invalid filter lists nothing: a list narrowed by only the filters that happened to be valid
        # would look like an answer to the question that was asked.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    @property
    def http_status(self) -> int:
        """A list page answers 400 while its filters are refused, with the errors shown above the form."""
        return 400 if self.errors else 200


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of a calendar day, local time: a day filter on a moment column covers the whole day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class MomentOnOrAfterDayFilter(django_filters.DateFilter):
    """`<field> >= the start of the day` for a date-time column filtered by calendar day."""

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__gte": day_start(value)}) if value else qs


class MomentOnOrBeforeDayFilter(django_filters.DateFilter):
    """`<field> < the start of the next day` for a date-time column filtered by calendar day."""

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__lt": day_start(value + dt.timedelta(days=1))}) if value else qs


def list_filter(filterset_class, request, queryset):
    """The list's FilterSet bound to the request's query string, over the queryset a selector already
    limited to what this user may see."""
    return filterset_class(request.GET, queryset=queryset, request=request)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _choice(choices, label, **kwargs):
    return django_filters.ChoiceFilter(choices=choices, label=label, **kwargs)


# --- cases -----------------------------------------------------------------------------------------

CASE_SORTS = {
    "newest": "-opened_at",
    "oldest": "opened_at",
    "reference": "reference",
    "reference_desc": "-reference",
    "status": "status",
    "status_desc": "-status",
    "came_to_notice": "came_to_notice_on",
}


class CaseOversightFilter(ListFilterSet):
    """The case filters that identify nobody: what oversight bodies may filter by (they see cases with
    personal data minimised, so they may not search by name, number, command or investigator either)."""

    status = _choice(CaseStatus.choices, "Status")
    severity = _choice(Severity.choices, "Severity")
    category = _choice(AllegationCategory.choices, "Allegation category", method="filter_category")
    older_than_days = IntegerFilter(
        label="Came to notice over … days ago", method="filter_older_than", min_value=0, max_value=99_999
    )
    sort = _choice([(k, k.replace("_", " ")) for k in CASE_SORTS], "Sort", method="filter_sort")

    class Meta:
        model = Case
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.filter(Exists(Allegation.objects.filter(case=OuterRef("pk"), category=value)))

    def filter_older_than(self, queryset, name, value):
        return queryset.filter(came_to_notice_on__lte=timezone.localdate() - dt.timedelta(days=value))

    def filter_sort(self, queryset, name, value):
        # The tie-break runs the sort's way, so one index (field, id) serves both directions (cases.models.Case).
        field = CASE_SORTS[value]
        return queryset.order_by(field, "-id" if field.startswith("-") else "id")


class CaseFilter(CaseOversightFilter):
    """The case register's filters, for DPS staff: the page, its CSV export and the API list."""

    q = django_filters.CharFilter(
        label="Case reference, staff or collar number, or surname", method="filter_q", max_length=100
    )
    command = django_filters.CharFilter(
        label="Command code", field_name="subject__command__code", lookup_expr="iexact", max_length=16
    )
    investigator = django_filters.CharFilter(
        label="Investigator (username)", field_name="investigator__username", max_length=150
    )

    class Meta(CaseOversightFilter.Meta):
        pass

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(reference__iexact=value)
            | Q(subject__staff_number__iexact=value)
            | Q(subject__collar_number__iexact=value)
            | Q(subject__last_name__istartswith=value)
        )


# --- allegations -----------------------------------------------------------------------------------


class AllegationFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label="Staff or collar number, surname, or case reference", method="filter_q", max_length=100
    )
    category = _choice(AllegationCategory.choices, "Category")
    source = _choice(AllegationSource.choices, "Source")
    status = _choice(AllegationStatus.choices, "Status")
    received_from = django_filters.DateFilter(label="Received from", field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(label="Received to", field_name="received_on", lookup_expr="lte")
    # The fairness monitoring page links each group's figure to the allegations behind it.
    subject_ethnicity = _choice(Ethnicity.choices, "Subject's ethnicity", field_name="subject__ethnicity")
    subject_sex = _choice(Sex.choices, "Subject's sex", field_name="subject__sex")
    command = django_filters.CharFilter(
        label="Subject's command (code)", field_name="subject__command__code", lookup_expr="iexact", max_length=100
    )

    class Meta:
        model = Allegation
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(subject__staff_number__iexact=value)
            | Q(subject__collar_number__iexact=value)
            | Q(subject__last_name__istartswith=value)
            | Q(case__reference__iexact=value)
        )


class AllegationOversightFilter(AllegationFilter):
    """An oversight reader filters by nothing that identifies a person (no `q`)."""

    q = None


# --- officers --------------------------------------------------------------------------------------


class OfficerFilter(ListFilterSet):
    q = django_filters.CharFilter(label="Staff number, collar number or surname", method="filter_q", max_length=100)
    status = _choice(EmploymentStatus.choices, "Status")
    command = django_filters.CharFilter(
        label="Command code", field_name="command__code", lookup_expr="iexact", max_length=16
    )

    class Meta:
        model = Officer
        fields = []

    def filter_q(self, queryset, name, value):
        # Every word against part of the names, staff or collar number; accents and case ignored on PostgreSQL.
        # Matches in folded-name order: no btree walks that order, so PostgreSQL finds the few matches
        # through the trigram indexes (migration 0018) and sorts them, instead of walking officer_by_name
        # from "A" and filtering 40,000 names before the first "Smith" (it expects matches spread evenly).
        if not value.strip():
            return queryset
        return officer_search(queryset, value).order_by("_last_folded", "_first_folded", "id")


# --- Onyx reviews ----------------------------------------------------------------------------------


class OnyxReviewFilter(ListFilterSet):
    status = _choice(OnyxStatus.choices, "Status")
    decision = _choice(OnyxDecision.choices, "Decision")
    decided_from = MomentOnOrAfterDayFilter(label="Decided from", field_name="decided_at")
    decided_to = MomentOnOrBeforeDayFilter(label="Decided to", field_name="decided_at")
    mine = _choice([("1", "Only reviews allocated to me")], "Only reviews allocated to me", method="filter_mine")

    class Meta:
        model = OnyxReview
        fields = []

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(reviewer=user) if user is not None and user.is_authenticated else queryset.none()


# --- the access audit ------------------------------------------------------------------------------


class AccessRecordFilter(ListFilterSet):
    user = django_filters.CharFilter(
        label="What has this user looked at? (username)", field_name="user__username", max_length=150
    )

    class Meta:
        model = AccessRecord
        fields = []


class ConvictionFilter(ListFilterSet):
    """The convictions register: by published group, caution or conviction, as a minor or an adult, while
    serving or before joining, review status, and the review policy's recommended action."""

    group = django_filters.ChoiceFilter(
        label="Offence",
        empty_label="Any",
        method="filter_group",
        choices=[(k, label) for k, (label, _) in CONVICTION_GROUPS.items()],
    )
    serving = django_filters.ChoiceFilter(
        label="When",
        empty_label="Any",
        field_name="while_serving",
        choices=[("true", "While serving"), ("false", "Before joining")],
        method="filter_serving",
    )
    kind = django_filters.ChoiceFilter(label="Caution or conviction", empty_label="Any", choices=ConvictionKind.choices)
    minor = django_filters.ChoiceFilter(
        label="Age at offence",
        empty_label="Any",
        choices=[("true", "Under 18"), ("false", "18 or over")],
        method="filter_minor",
    )
    review_status = django_filters.ChoiceFilter(
        label="Review", empty_label="Any", choices=ConvictionReviewStatus.choices
    )
    action = django_filters.ChoiceFilter(
        label="Policy", empty_label="Any", field_name="policy_action", choices=PolicyAction.choices
    )

    class Meta:
        model = Conviction
        fields = []

    def filter_group(self, queryset, name, value):
        return queryset.filter(category__in=CONVICTION_GROUPS[value][1])

    def filter_serving(self, queryset, name, value):
        return queryset.filter(while_serving=value == "true")

    def filter_minor(self, queryset, name, value):
        return queryset.filter(as_minor=value == "true")
