from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .dashboard import bar_chart, dashboard_figures
from .forms import TokenForm
from .health import health_report
from .policy import ANY_ROLE, public_view, second_factor_ok, signed_in_view, staff_view
from .roles import Role, user_roles

login = public_view(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = public_view(auth_views.LogoutView.as_view())


@staff_view(ANY_ROLE)
@require_GET
def home(request):
    return render(request, "home.html", {"roles": sorted(user_roles(request.user))})


@signed_in_view
def two_factor(request):
    """Second factor: enter the code, or enrol an authenticator app on first sign-in."""
    user = request.user
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if second_factor_ok(user):
        return redirect(next_url or "home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Authenticator"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, "Two-factor authentication is set up.")
            otp_login(request, device)
            return redirect(next_url or "home")
        form.add_error("token", "That code is not right, or has expired. Try the current code.")
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "enrolling": enrolling,
            "secret": b32encode(device.bin_key).decode() if enrolling else "",
            "config_url": device.config_url if enrolling else "",
            "next": next_url,
        },
    )


@staff_view(Role.COMMISSIONER, Role.SUPERVISOR)
@require_GET
def dashboard(request):
    figures = dashboard_figures()
    onyx = figures["onyx"]
    decision_chart = bar_chart(
        [
            ("No further action", onyx["nfa"]),
            ("Reassess", onyx["reassess"]),
            ("Risk management", onyx["risk_management"]),
        ],
        width=420,
    )
    trend_chart = bar_chart([(row["month"], row["allegations"]) for row in figures["trend"]])
    return render(
        request,
        "dashboard.html",
        {"f": figures, "onyx": onyx, "decision_chart": decision_chart, "trend_chart": trend_chart},
    )


@public_view
@require_GET
@never_cache
def healthz(request):
    """Database, cache and broker status for the container health check: 503 only without the
    database (misconduct/health.py says why)."""
    status, report = health_report()
    return JsonResponse(report, status=status)
