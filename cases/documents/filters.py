"""The filters of the document lists (cases/filters.py `ListFilterSet`: an unknown parameter or a refused
value is an error and the list shows nothing but the error). Each FilterSet only narrows the queryset a
selector already limited to what the user may see."""

import django_filters

from cases.filters import ListFilterSet

from .models import Document, DocumentType
from .owners import document_owner_kinds

RETENTION_SORTS = {
    "due": ("retention_due_on", "id"),
    "due_desc": ("-retention_due_on", "-id"),
}


def owner_kind_choices():
    # Called when the form is built: the kinds are registered by each app's AppConfig.ready.
    return [(kind.slug, kind.label) for kind in document_owner_kinds()]


class RetentionDueFilter(ListFilterSet):
    """The documents due for a retention decision: by type, by the kind of record they are on, by when
    they fell due. The selector lists them soonest due first; `sort` may turn that round."""

    document_type = django_filters.ChoiceFilter(choices=DocumentType.choices, label="Document type")
    owner_kind = django_filters.ChoiceFilter(choices=owner_kind_choices, label="Record")
    due_after = django_filters.DateFilter(label="Due on or after", field_name="retention_due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(label="Due on or before", field_name="retention_due_on", lookup_expr="lte")
    sort = django_filters.ChoiceFilter(
        choices=[("due", "Due soonest first"), ("due_desc", "Due latest first")], label="Sort", method="filter_sort"
    )

    class Meta:
        model = Document
        fields = []

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*RETENTION_SORTS[value])
