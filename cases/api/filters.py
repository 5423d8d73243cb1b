"""The API lists' FilterSets: the pages' own (cases/filters.py), plus `ordering`, declared in the schema
(the case register orders by its `sort` filter, as its page does)."""

import django_filters

from .. import filters


def _ordering(*fields: str, default: str):
    return django_filters.OrderingFilter(
        fields=tuple((f, f) for f in fields),
        label=f"Order by ({', '.join(fields)}; '-' for descending; {default} unless asked)",
    )


class OfficerApiFilter(filters.OfficerFilter):
    ordering = _ordering("last_name", "staff_number", "joined_on", default="by surname")

    class Meta(filters.OfficerFilter.Meta):
        pass


class OnyxReviewApiFilter(filters.OnyxReviewFilter):
    ordering = _ordering("reference", "decided_at", "status", default="by reference")

    class Meta(filters.OnyxReviewFilter.Meta):
        pass


class AllegationApiFilter(filters.AllegationFilter):
    ordering = _ordering("received_on", "category", "status", default="newest first")

    class Meta(filters.AllegationFilter.Meta):
        pass


class AllegationOversightApiFilter(filters.AllegationOversightFilter):
    ordering = _ordering("received_on", "category", "status", default="newest first")

    class Meta(filters.AllegationOversightFilter.Meta):
        pass
