from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.filters import list_filter
from cases.policy import staff_view

from . import selectors
from .filters import VettingReviewFilter
from .models import VettingReviewStatus


@staff_view(*sorted(selectors.VETTING_READERS))
@require_GET
def review_list(request):
    filters = list_filter(VettingReviewFilter, request, selectors.vetting_review_list(user=request.user))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "vetting/review_list.html",
        {
            "filters": filters,
            "page": page,
            "status": request.GET.get("status", ""),
            "statuses": VettingReviewStatus.choices,
        },
        status=filters.http_status,
    )
