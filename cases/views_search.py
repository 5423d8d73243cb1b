"""The staff search box's results page: whatever the user may open that matches, by kind."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.policy import ANY_ROLE, staff_view

from .search import MAX_QUERY, search_everything


@staff_view(ANY_ROLE)
@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    groups = search_everything(user=request.user, q=q)
    return render(request, "search.html", {"q": q, "groups": groups, "total": sum(len(g.hits) for g in groups)})
