"""Fairness monitoring pages (supervisors and the commissioner) and dataset imports (supervisors)."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.demo.shape import ALLEGATION_RATE_BY_ETHNICITY
from cases.models import Ethnicity, Sex
from cases.nav import view_admits
from cases.policy import staff_view
from cases.roles import Role, has_role

from . import services
from .charts import monitoring_charts
from .csvout import SafeWriter
from .datasets import STAGE_LABELS, Scope, origin_choices
from .forms import MonitoringForm, UploadForm
from .importer import ImportFailed
from .mapping import MappingError
from .models import FORCE_SOURCE, DataSource, ImportRun
from .selectors import monitoring_figures

MONITORING_ROLES = (Role.SUPERVISOR, Role.COMMISSIONER)
SMALL_BELOW = 10


def _scope(request) -> tuple[MonitoringForm, Scope]:
    form = MonitoringForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    source = data.get("source") or FORCE_SOURCE
    date_from, date_to = data.get("date_from"), data.get("date_to")
    if source == FORCE_SOURCE and not (date_from or date_to):
        date_to = timezone.localdate()
        date_from = date_to - dt.timedelta(days=364)  # the last twelve months
    scope = Scope(
        source=source,
        date_from=date_from,
        date_to=date_to,
        command=data.get("command", ""),
        origin=data.get("origin", ""),
        category=data.get("category", ""),
        small_below=data.get("small_below") or SMALL_BELOW,
        reference={"ethnicity": data.get("reference", ""), "sex": data.get("reference_sex", "")},
    )
    return form, scope


def demo_built_with() -> str:
    """What the demo force was built to show, in a commissioner's words: its allegations fall on each group
    at the rates Casey (2023) found at the Met (cases/demo/shape.py), so the figures below should find them."""
    white = ALLEGATION_RATE_BY_ETHNICITY[Ethnicity.WHITE]
    parts = [
        f"{Ethnicity(e).label} officers and staff {(rate / white - 1) * 100:.0f}% more"
        for e, rate in ALLEGATION_RATE_BY_ETHNICITY.items()
        if rate > white
    ]
    return (
        "This is the demonstration force, not real people. It was built with the disproportionality the "
        "independent review of the Met (Casey, 2023) found: allegations were raised against "
        + ", ".join(parts)
        + " often than against White colleagues, for the same time served. A monitoring page that works "
        "should find about the same in the allegations per 100 people below, within the intervals."
    )


def _allegations_link(user, scope):
    """Each group's figure links to the allegation list narrowed the same way, on the force's own records
    and only for a reader whom that list admits; None when there is no such list to open."""
    if scope.source != FORCE_SOURCE or not view_admits(user, "cases:allegation_list"):
        return None
    base = {
        "received_from": scope.date_from,
        "received_to": scope.date_to,
        "category": scope.category,
        "source": scope.origin,
        "command": scope.command,
    }
    known = {"ethnicity": dict(Ethnicity.choices), "sex": dict(Sex.choices)}
    url = reverse("cases:allegation_list")

    def link_for(dimension, key):
        if key not in known[dimension]:
            return ""
        params = {k: v for k, v in base.items() if v} | {f"subject_{dimension}": key}
        return f"{url}?{urlencode(params)}"

    return link_for


def _figures(scope):
    try:
        return monitoring_figures(scope=scope)
    except DataSource.DoesNotExist as exc:
        raise Http404 from exc


@staff_view(*MONITORING_ROLES)
@require_GET
def monitoring(request):
    form, scope = _scope(request)
    figures = _figures(scope)
    return render(
        request,
        "fairness/monitoring.html",
        {
            "form": form,
            "figures": figures,
            "charts": dict(monitoring_charts(figures, link_for=_allegations_link(request.user, scope))),
            "demo_note": demo_built_with() if settings.DEMO_MODE and scope.source == FORCE_SOURCE else "",
            "scope": scope,
            "stage_labels": [(s, STAGE_LABELS[s]) for s in figures.stages_present],
            "origins": origin_choices(scope.source),
            "query": request.GET.urlencode(),
            "may_import": has_role(request.user, Role.SUPERVISOR),
        },
    )


def _cell(rate):
    if rate is None:
        return ["not in this source"] * 4
    if rate.value is None:
        return [rate.count, rate.denominator, "no data", ""]
    return [rate.count, rate.denominator, f"{rate.value:.4f}", f"{rate.low:.4f}-{rate.high:.4f}"]


@staff_view(*MONITORING_ROLES)
@require_GET
def monitoring_export(request):
    _, scope = _scope(request)
    figures = _figures(scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fairness-monitoring.csv"'
    writer = SafeWriter(response)
    writer.writerow(["data", figures.dataset, "from", scope.date_from or "", "to", scope.date_to or ""])
    writer.writerow(
        [
            "dimension",
            "group",
            "measure",
            "count",
            "denominator",
            "rate",
            "95% interval",
            "ratio to reference",
            "ratio 95% interval",
            "small group",
        ]
    )
    measures = [("involved", "people with an allegation"), ("allegations", "allegations per 100 people")]
    measures += [(s, STAGE_LABELS[s]) for s in ("case", "gross_misconduct", "case_to_answer", "upheld", "dismissal")]
    for dimension, groups in figures.by.items():
        for g in groups:
            for key, label in measures:
                rate = g.rates.get(key)
                ratio = g.ratios.get(key)
                ratio_cells = ["", ""]
                if ratio is not None and ratio.value is not None:
                    ratio_cells = [
                        f"{ratio.value:.4f}",
                        f"{ratio.low:.4f}-{ratio.high:.4f}" if ratio.low is not None else ratio.reason,
                    ]
                writer.writerow([dimension, g.label, label, *_cell(rate), *ratio_cells, "yes" if g.small else ""])
            days = (
                "not in this source"
                if not figures.has_outcome_dates
                else (g.median_days if g.median_days is not None else "no data")
            )
            writer.writerow([dimension, g.label, "median days to outcome", days])
    for c in figures.categories:
        writer.writerow(["category", c["label"], "upheld", *_cell(c["upheld"])])
        writer.writerow(["category", c["label"], "case to answer", *_cell(c["case_to_answer"])])
    return response


@staff_view(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def import_list(request):
    shipped = services.shipped_mappings()
    form = UploadForm(request.POST or None, request.FILES or None, shipped=list(shipped))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("mapping_file"):
            upload = form.cleaned_data["mapping_file"]
            mapping_text, origin = upload.read().decode("utf-8", errors="replace"), upload.name
        else:
            path = shipped.get(form.cleaned_data["mapping"])
            mapping_text, origin = path.read_text(encoding="utf-8"), path.name
        try:
            run = services.import_upload_accept(
                mapping_text=mapping_text,
                mapping_origin=origin,
                upload=form.cleaned_data["data_file"],
                source_name=form.cleaned_data["source_name"],
                by=request.user,
            )
        except (MappingError, ImportFailed, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The file is being imported: this page shows its progress.")
            return redirect("fairness:import_detail", run_id=run.public_id)
    runs = ImportRun.objects.select_related("source").order_by("-started_at")[:50]
    return render(
        request, "fairness/import_list.html", {"form": form, "runs": runs}, status=400 if form.errors else 200
    )


def _run(run_id):
    try:
        return ImportRun.objects.select_related("source").get(public_id=run_id)
    except ImportRun.DoesNotExist as exc:
        raise Http404 from exc


@staff_view(Role.SUPERVISOR)
@require_GET
def import_detail(request, run_id):
    return render(request, "fairness/import_detail.html", {"run": _run(run_id)})


@staff_view(Role.SUPERVISOR)
@require_GET
def import_issues(request, run_id):
    run = _run(run_id)
    response = HttpResponse(
        run.issues_csv or "line,outcome,field,value,reason\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.public_id}-issues.csv"'
    return response
