"""The rows of the vetting review list and the clearance expiry list, built in Python as the case lists'
are (cases/rows.py says why): each row is the markup the template's loop gave, byte for byte."""

from django import template
from django.utils.safestring import mark_safe

from cases.rows import UrlPattern, day_month_year, esc, esc_value, label, labels, unix

from ..models import VettingClearance, VettingReview

register = template.Library()

# What review_rows reads (cases.rows.rows_only): any other field would cost a query per row.
REVIEW_ROW_FIELDS = (
    "public_id", "trigger", "opened_at", "status", "outcome",
    "officer__first_name", "officer__last_name", "officer__staff_number", "assigned_to__username",
)  # fmt: skip
_REVIEW_ROW = (
    '\n    <tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="{url}">{officer}</a>'
    '</td><td class="govuk-table__cell">{staff_number}</td>\n'
    '      <td class="govuk-table__cell">{trigger}</td>'
    '<td class="govuk-table__cell" data-sort-value="{opened_unix}">{opened}</td>'
    '<td class="govuk-table__cell">{status}{assigned}</td><td class="govuk-table__cell">{outcome}</td></tr>\n  '
)


@register.simple_tag
def vetting_review_rows(page):
    """templates/vetting/review_list.html's rows."""
    url = UrlPattern("vetting:review_detail")
    triggers, statuses = labels(VettingReview, "trigger"), labels(VettingReview, "status")
    outcomes = labels(VettingReview, "outcome")
    rows = []
    for review in page:
        officer, assigned = review.officer, review.assigned_to
        rows.append(
            _REVIEW_ROW.format(
                url=url(review.public_id),
                officer=esc(officer.full_name),
                staff_number=esc_value(officer.staff_number),
                trigger=esc_value(label(triggers, review.trigger)),
                opened_unix=unix(review.opened_at),
                opened=day_month_year(review.opened_at),
                status=esc_value(label(statuses, review.status)),
                assigned=f" ({esc(assigned.username)})" if assigned else "",
                outcome=esc(label(outcomes, review.outcome) or "—"),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


CLEARANCE_ROW_FIELDS = (
    "level", "granted_on", "expires_on",
    "officer__public_id", "officer__first_name", "officer__last_name", "officer__staff_number",
    "officer__command__name",
)  # fmt: skip
_CLEARANCE_ROW = (
    '\n    <tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="{url}">{officer}</a>'
    '</td><td class="govuk-table__cell">{staff_number}</td><td class="govuk-table__cell">{command}</td>\n'
    '      <td class="govuk-table__cell">{level}</td>'
    '<td class="govuk-table__cell" data-sort-value="{granted_unix}">{granted}</td>'
    '<td class="govuk-table__cell" data-sort-value="{expires_unix}">{expires}</td>\n'
    '      <td class="govuk-table__cell" data-testid="band">{band}</td></tr>\n  '
)
_BADGES = {
    "expired": '<strong class="moj-badge moj-badge--red">Expired</strong>',
    "today": '<strong class="moj-badge moj-badge--red">Expires today</strong>',
    "due_30": '<strong class="moj-badge moj-badge--orange">Due within 30 days</strong>',
    "due_60": '<strong class="moj-badge moj-badge--blue">Due in 31 to 60 days</strong>',
    "": '<strong class="moj-badge moj-badge--grey">Due in 61 to 90 days</strong>',
}


@register.simple_tag
def clearance_expiry_rows(page, today):
    """templates/vetting/clearance_expiry.html's rows; the band as the selector annotated it on `today`."""
    url = UrlPattern("vetting:officer_clearances")
    levels = labels(VettingClearance, "level")
    rows = []
    for clearance in page:
        officer, command = clearance.officer, clearance.officer.command
        band = clearance.band
        if band != "expired":
            band = "today" if clearance.expires_on == today else band if band in ("due_30", "due_60") else ""
        rows.append(
            _CLEARANCE_ROW.format(
                url=url(officer.public_id),
                officer=esc(officer.full_name),
                staff_number=esc_value(officer.staff_number),
                command=esc(command.name) if command else "",
                level=esc_value(label(levels, clearance.level)),
                granted_unix=unix(clearance.granted_on),
                granted=day_month_year(clearance.granted_on),
                expires_unix=unix(clearance.expires_on),
                expires=day_month_year(clearance.expires_on),
                band=_BADGES[band],
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
