"""The convictions and cautions register: every officer's conviction the reader may see, with the
published breakdown (traffic, dishonesty or violence, sexual, drugs, other; while serving or before)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..filters import ConvictionFilter, list_filter
from ..permissions import OFFICER_READERS
from ..policy import staff_view
from ..roles import user_roles
from ..rows import rows_only
from ..selectors_convictions import CONVICTION_READERS, conviction_breakdown, conviction_register
from ..templatetags.list_rows import CONVICTION_ROW_FIELDS


@staff_view(*sorted(CONVICTION_READERS))
@require_GET
def conviction_list(request):
    filters = list_filter(ConvictionFilter, request, conviction_register(user=request.user))
    context = {
        "filters": filters,
        "page": Paginator(rows_only(filters.qs, CONVICTION_ROW_FIELDS), 50).get_page(request.GET.get("page")),
        # The breakdown of the whole register the reader may see (not of the filtered page).
        "breakdown": conviction_breakdown(conviction_register(user=request.user)),
        # A link to the officer's profile only for those who may open it (the vetting unit may not).
        "may_open_officer": bool(user_roles(request.user) & OFFICER_READERS),
    }
    return render(request, "cases/conviction_list.html", context, status=filters.http_status)
