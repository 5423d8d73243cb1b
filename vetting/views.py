from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.policy import staff_view
from cases.roles import Role

from . import selectors
from .models import VettingReviewStatus


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
@require_GET
def review_list(request):
    qs = selectors.vetting_review_list(user=request.user)
    status = request.GET.get("status", "")
    if status in VettingReviewStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "vetting/review_list.html", {"page": page, "status": status, "statuses": VettingReviewStatus.choices}
    )
