"""The public hotline: report, receipt, follow-up by receipt, transparency figures. No account, no
JavaScript needed, and nothing about the visitor (address, browser) stored with anything."""

import functools
import math
import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.policy import public_view
from cases.services import DomainError

from . import ratelimits, selectors, services
from .forms import HotlineReportForm, ReceiptLookupForm, ReporterReplyForm
from .models import HotlineStatus
from .receipts import receipt_generate, submission_token_new

SESSION_KEY = "hotline"  # {"report": id, "seen": unix time}: one report, nothing else
NOT_FOUND = "We could not find a report with that receipt code. Check the code and try again."


def _limited(request, kind: str) -> bool:
    return ratelimits.hotline_limited(request, kind=kind)


def _refused(request, retry_after: int = 600):
    response = render(request, "hotline/refused.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response


@public_view
@require_http_methods(["GET"])
def start(request):
    return render(request, "hotline/start.html")


@functools.cache
def _blank_report_fields() -> str:
    # The empty form is the same for everyone (the CSRF token sits outside it) and is the bulk of the
    # page's rendering time: render it once per process. Not under DEBUG, where templates change.
    return mark_safe(render_to_string("hotline/_report_fields.html", {"form": HotlineReportForm()}))  # noqa: S308


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    """The report in two pages on one URL, GOV.UK's question page then check-answers page. The answers
    travel between them as the check page's hidden inputs, so nothing about the reporter is kept on the
    server before they press Send (no draft, no session); the files are chosen on the check page, since
    a browser cannot carry them back. The form's one-time token goes along, so however often the
    reporter goes back and forth or presses Send, the report is filed once."""
    if request.method != "POST":
        blank = "" if settings.DEBUG else _blank_report_fields()
        context = {"form": HotlineReportForm(), "blank_fields": blank, "once_token": submission_token_new()}
        return render(request, "hotline/report_form.html", context)
    sending = "send" in request.POST
    # The question and check pages on their own counters: going back to change an answer does not
    # spend the budget for sending.
    if _limited(request, "submit" if sending else "check"):
        return _refused(request)
    form = HotlineReportForm(request.POST, request.FILES if sending else None)
    if form.is_bot():
        # Same page as a real report, with a code that opens nothing: the bot learns nothing.
        return render(request, "hotline/receipt.html", {"receipt": receipt_generate()})
    token = request.POST.get("once_token", "") or submission_token_new()
    context = {"form": form, "once_token": token}
    if form.focus(request.POST.get("change", "")):
        return render(request, "hotline/report_form.html", context, status=400 if form.errors else 200)
    if not form.is_valid():
        # A refused file is put right where files are chosen; anything else on the questions page.
        page = "report_check" if sending and set(form.errors) == {"evidence"} else "report_form"
        return render(request, f"hotline/{page}.html", context, status=400)
    if not sending:
        return render(request, "hotline/report_check.html", context)
    try:
        _, receipt = services.report_submit(
            data=form.report_data(),
            anonymous=form.cleaned_data["anonymous"] == "yes",
            contact=form.contact(),
            files=form.cleaned_data["evidence"],
            token=token,
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return render(request, "hotline/report_form.html", context, status=400)
    return render(request, "hotline/receipt.html", {"receipt": receipt})


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """Receipt look-up: always POST, so a code never lands in a URL, a log or the browser history."""
    form = ReceiptLookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        buckets = {"session": ratelimits.session_bucket(request), "address": ratelimits.address_bucket(request)}
        # Checked first, so a request refused for its back-off spends no rate-limit budget either.
        wait = services.receipt_lookup_retry_after(buckets=buckets)
        if wait > 0:
            return _refused(request, retry_after=math.ceil(wait))
        if _limited(request, "lookup"):
            return _refused(request)
        if form.is_valid():
            report_id = services.receipt_lookup(code=form.cleaned_data["receipt"], buckets=buckets)
            if report_id is not None:
                request.session.cycle_key()
                request.session[SESSION_KEY] = {"report": report_id, "seen": time.time()}
                return redirect("hotline:status")
            form.add_error(None, NOT_FOUND)
        return render(request, "hotline/lookup.html", {"form": form}, status=400)
    return render(request, "hotline/lookup.html", {"form": form})


def _session_report_id(request) -> int | None:
    """The report this session opened, if it has not been idle too long; refreshes the idle clock."""
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    if time.time() - held.get("seen", 0) > settings.HOTLINE_SESSION_IDLE_SECONDS:
        del request.session[SESSION_KEY]
        messages.info(
            request, "You were away for a while, so we closed your report to keep it safe. Enter your code again."
        )
        return None
    held["seen"] = time.time()
    request.session[SESSION_KEY] = held
    return held["report"]


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    report_id = _session_report_id(request)
    if report_id is None:
        return redirect("hotline:lookup")
    form = ReporterReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _limited(request, "reply"):
            return _refused(request)
        if form.is_valid():
            try:
                services.reporter_reply(report_id=report_id, body=form.cleaned_data["body"])
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your message has been sent to the hotline team.")
                return redirect(reverse("hotline:status") + "#messages")
    report = selectors.report_for_reporter(report_id=report_id)
    title, explanation = selectors.public_status(report)
    context = {
        "report": report,
        "status_title": title,
        "status_explanation": explanation,
        "form": form,
        "can_reply": report.status != HotlineStatus.CLOSED,
        "needs_answer": report.status == HotlineStatus.NEEDS_INFORMATION,
    }
    return render(request, "hotline/status.html", context, status=400 if form.errors else 200)


@public_view
@require_POST
def leave(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(request, "You have left your report. Use your receipt code to come back.")
    return redirect("hotline:start")


@public_view
@require_http_methods(["GET"])
def transparency(request):
    months = selectors.hotline_transparency_by_month()
    totals = {k: sum(m[k] for m in months) for k in ("received", "acknowledged_in_time", "allegations")}
    return render(request, "hotline/transparency.html", {"months": months, "totals": totals})
