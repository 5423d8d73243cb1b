"""The hotline's part of the staff search box: reports by their reference, for the triage team."""

from urllib.parse import urlencode

from django.urls import reverse

from cases.search import PER_SOURCE, SearchGroup, SearchHit, search_source

from . import selectors


@search_source
def _reports(*, user, q):
    reports = selectors.triage_queue(user=user).filter(reference__icontains=q).order_by("-received_at", "-id")
    hits = [
        SearchHit(
            "Hotline report",
            f"{r.reference}: {r.get_category_display()} — {r.get_status_display()}",
            reverse("triage:report", args=[r.public_id]),
        )
        for r in reports[:PER_SOURCE]
    ]
    return [SearchGroup("Hotline reports", hits, f"{reverse('triage:queue')}?{urlencode({'status': 'all'})}")]
