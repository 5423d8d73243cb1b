from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .roles import user_roles


@login_required
@require_GET
def home(request):
    return render(request, "home.html", {"roles": sorted(user_roles(request.user))})


@require_GET
def healthz(request):
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
