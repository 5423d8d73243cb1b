"""Supervisors' risk pages. A flag informs a human decision; it never decides."""

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cases import selectors as case_selectors
from cases.filters import list_filter
from cases.permissions import RISK_READERS, SUPERVISORS, is_supervisor
from cases.policy import staff_view
from cases.rows import rows_only
from cases.services import DomainError, access_record_write
from cases.templatetags.list_rows import RISK_FLAG_ROW_FIELDS

from ..pagination import EstimatedCountPaginator
from . import engine, selectors, services
from .filters import RiskFlagFilter
from .models import FlagLevel, RiskLevel, RiskRule, TriageStatus


@staff_view(*RISK_READERS)
@require_GET
def risk_list(request):
    context = _risk_list_context(request)
    return render(request, "risk/risk_list.html", context, status=context["filters"].http_status)


def _risk_list_context(request, *, rule_errors: dict | None = None, rule_code: str = "", rule_input: str = ""):
    """The list page; after a refused tuning, the refused rule shows its errors and what was typed."""
    visible = selectors.risk_flag_list(user=request.user).select_related(
        "officer", "officer__command", "officer__risk_level"
    )
    filters = list_filter(RiskFlagFilter, request, visible)
    flags = filters.qs.order_by("-first_seen", "-id")
    stored = {r.code: r for r in RiskRule.objects.all()}
    stats = selectors.risk_rule_statistics()
    rules = []
    for code, definition in sorted(engine.registered_rules().items()):
        row = stored.get(code)
        params = {**definition.defaults, **(row.parameters if row else {})}
        refused = code == rule_code and rule_errors
        rules.append(
            {
                "code": code,
                "label": engine.rule_label(code),
                "description": definition.description,
                "severity": row.severity if row else definition.severity,
                "parameters": params,
                "parameters_json": rule_input if refused else json.dumps(params),
                "errors": list(rule_errors.values()) if refused else [],
                "enabled": row.enabled if row else True,
                **stats.get(code, {"active": 0, "false_positive": 0}),
            }
        )
    page = EstimatedCountPaginator(rows_only(flags, RISK_FLAG_ROW_FIELDS), 50).get_page(request.GET.get("page"))
    for flag in page:
        flag.rule_label = engine.rule_label(flag.rule_code)
    return {
        "filters": filters,
        "page": page,
        "may_tune": is_supervisor(request.user),
        "levels": FlagLevel.choices,
        "overall_levels": RiskLevel.choices,
        "triage_statuses": TriageStatus.choices,
        "rules": rules,
        "rule_errors": [(rule_code, message) for message in (rule_errors or {}).values()],
    }


def _record_links(user, officer, reasons_per_flag):
    """Each flag's reasons with their records, as links where the record has a page of its own. Only
    the records this reader may see: a reason whose records are all hidden keeps no words that describe
    them. The records of every flag on the page are read together, one query per kind of record."""
    wanted: dict[str, set[int]] = {}
    for reasons in reasons_per_flag:
        for reason in reasons:
            wanted.setdefault(reason["model"], set()).update(reason["ids"])
    from cases.records import record_kind

    profile = reverse("cases:officer_detail", args=[officer.public_id])
    labels = {}
    for label, ids in wanted.items():
        records = selectors.risk_reason_records(user=user, officer=officer, label=label, ids=ids)
        kind = record_kind(label)
        if kind is not None and kind.link_fields:
            related = {f.rsplit("__", 1)[0] for f in kind.link_fields if "__" in f}
            records = records.select_related(None).select_related(*related).only(*kind.link_fields)
        for obj in records:
            labels[(label, obj.pk)] = kind.link(obj) if kind is not None else (str(obj), profile)
    per_flag = []
    for reasons in reasons_per_flag:
        links = []
        for r in reasons:
            records = [labels[(r["model"], i)] for i in r["ids"] if (r["model"], i) in labels]
            text = r["text"] if records or not r["ids"] else "Based on records you are not cleared to see."
            links.append({"text": text, "records": records})
        per_flag.append(links)
    return per_flag


@staff_view(*RISK_READERS)
@require_GET
def officer_flags(request, officer_id):
    officer = case_selectors.access_officer(user=request.user, public_id=officer_id)
    access_record_write(request=request, obj=officer, object_type="officer", label=officer.staff_number)
    flags = list(selectors.risk_flags_for_officer(officer_id=officer.pk, include_cleared=True)[:100])
    level, contributing = selectors.risk_level_for_officer(officer_id=officer.pk)
    return render(
        request,
        "risk/officer_flags.html",
        {
            "officer": officer,
            "level": RiskLevel(level).label,
            "contributing": contributing,
            "flags": [
                {"flag": f, "rule_label": engine.rule_label(f.rule_code), "reasons": reasons}
                for f, reasons in zip(
                    flags, _record_links(request.user, officer, [f.reasons for f in flags]), strict=True
                )
            ],
            "triage_statuses": [c for c in TriageStatus.choices if c[0] != TriageStatus.UNTRIAGED],
            "may_triage": is_supervisor(request.user),
        },
    )


@staff_view(*SUPERVISORS)
@require_POST
def flag_triage(request, flag_id):
    flag = selectors.risk_flag_list(user=request.user).filter(pk=flag_id).select_related("officer").first()
    if flag is None:
        raise Http404
    review_on = None
    try:
        if request.POST.get("review_on"):
            review_on = dt.date.fromisoformat(request.POST["review_on"])
    except ValueError:
        messages.error(request, "The review date is not a date.")
        return redirect("risk:officer_flags", officer_id=flag.officer.public_id)
    try:
        services.risk_flag_triage(
            flag_id=flag.pk,
            actor=request.user,
            status=request.POST.get("status", ""),
            plan=request.POST.get("plan", "")[:5000],
            review_on=review_on,
            reason=request.POST.get("reason", "")[:5000],
        )
    except services.RiskTriageError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Triage recorded.")
    return redirect("risk:officer_flags", officer_id=flag.officer.public_id)


@staff_view(*SUPERVISORS)
@require_POST
def rule_update(request, code):
    """Supervisors tune a rule's parameters (JSON, of the rule's own keys, types and limits) or switch
    it off. A refusal shows the page again with the errors by the rule and what was typed; nothing
    is stored."""
    if code not in engine.registered_rules():
        raise Http404
    enabled = {"yes": True, "no": False}.get(request.POST.get("enabled", ""))
    typed = request.POST.get("parameters", "")[:5000]
    try:
        parameters = json.loads(typed or "null")
    except json.JSONDecodeError:
        errors = {"parameters": 'Parameters must be a JSON object, e.g. {"months": 12}.'}
    else:
        errors = {}
        if parameters is not None and not isinstance(parameters, dict):
            errors["parameters"] = 'Parameters must be a JSON object, e.g. {"months": 12}.'
    if enabled is None:
        errors["enabled"] = "Say whether the rule is on or off."
    if not errors:
        try:
            services.risk_rule_update(code=code, actor=request.user, parameters=parameters, enabled=enabled)
        except services.RiskRuleParameterError as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = {"rule": str(exc)}
    if errors:
        context = _risk_list_context(request, rule_errors=errors, rule_code=code, rule_input=typed)
        return render(request, "risk/risk_list.html", context, status=400)
    messages.success(request, f"{engine.rule_label(code)} updated; flags are being recomputed.")
    return redirect("risk:risk_list")
