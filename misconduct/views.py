from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.policy import ANY_ROLE, public_view, second_factor_ok, signed_in_view, staff_view
from cases.roles import Role, user_roles

from .dashboard import bar_chart, dashboard_figures
from .enrolment import enrolment_code_redeem
from .forms import EnrolmentCodeForm, LoginForm, TokenForm
from .health import health_report

login = public_view(auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm))
logout = public_view(auth_views.LogoutView.as_view())


@staff_view(ANY_ROLE)
@require_GET
def home(request):
    return render(request, "home.html", {"roles": sorted(user_roles(request.user))})


# Set in the session once this account's enrolment code has been spent: only then is a secret shown.
ENROLMENT_SESSION_KEY = "two_factor_enrolment_user"


@signed_in_view
def two_factor(request):
    """Second factor: enter the code; or, with an administrator's one-time enrolment code, enrol an
    authenticator app. A password alone never shows a secret."""
    user = request.user
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if second_factor_ok(user):
        return redirect(next_url or "home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        if request.session.get(ENROLMENT_SESSION_KEY) != user.pk:
            return _enrolment_code_step(request, next_url)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:  # the code was spent in this session but the device has gone: start again
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return _enrolment_code_step(request, next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, "Two-factor authentication is set up.")
            otp_login(request, device)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            # A new session key once fully signed in: a key seen before the second factor is worthless.
            request.session.cycle_key()
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


def _enrolment_code_step(request, next_url):
    user = request.user
    code_form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and code_form.is_valid():
        if enrolment_code_redeem(user=user, code=code_form.cleaned_data["enrolment_code"]):
            # A fresh secret, never one that an earlier visit may have displayed.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator")
            request.session[ENROLMENT_SESSION_KEY] = user.pk
            target = reverse("two_factor")
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        code_form.add_error(
            "enrolment_code", "That enrolment code is not right, has been used or has expired. Ask for a new one."
        )
    return render(
        request,
        "registration/two_factor.html",
        {"code_form": code_form, "needs_enrolment_code": True, "next": next_url},
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
            ("Formal risk management", onyx["risk_management"]),
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
