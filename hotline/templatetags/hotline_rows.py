"""The rows of the triage queue, built in Python as the case lists' are (cases/rows.py says why): each
row is the markup the template's loop gave, byte for byte, whitespace included."""

from django import template
from django.utils.safestring import mark_safe

from cases.rows import UrlPattern, day_month, day_month_year, day_month_year_time, esc, esc_value, label, labels

from ..models import HotlineReport

register = template.Library()

_TRIAGE_ROW = (
    '\n    <tr class="govuk-table__row"><td class="govuk-table__cell">'
    '<a class="govuk-link" href="{url}">{reference}</a>{waiting}</td>'
    '<td class="govuk-table__cell">{received}</td>\n'
    '      <td class="govuk-table__cell">{category}</td><td class="govuk-table__cell">{status}</td>\n'
    '      <td class="govuk-table__cell">{acknowledge}</td>\n'
    '      <td class="govuk-table__cell">{officer}</td></tr>\n  '
)
_WAITING = (
    ' <strong class="govuk-tag govuk-tag--blue new-message" data-reporter-waiting>'
    "New message from the reporter</strong>"
)
_OVERDUE = ' <span class="govuk-tag govuk-tag--red">Overdue</span>'


@register.simple_tag
def triage_rows(rows):
    """templates/hotline/triage_queue.html's rows: `rows` as the view gives them (report, due, overdue)."""
    url = UrlPattern("triage:report")
    categories, statuses = labels(HotlineReport, "category"), labels(HotlineReport, "status")
    out = []
    for row in rows:
        report = row["report"]
        if report.acknowledged_at:
            acknowledge = f"Done {day_month(report.acknowledged_at)}"
        else:
            acknowledge = day_month_year(row["due"]) + (_OVERDUE if row["overdue"] else "")
        officer = report.officer
        out.append(
            _TRIAGE_ROW.format(
                url=url(report.public_id),
                reference=esc(report.reference),
                waiting=_WAITING if getattr(report, "reporter_waiting", None) else "",
                received=day_month_year_time(report.received_at),
                category=esc_value(label(categories, report.category)),
                status=esc_value(label(statuses, report.status)),
                acknowledge=acknowledge,
                officer=f"{esc(officer.full_name)} ({esc_value(officer.staff_number)})" if officer else "—",
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
