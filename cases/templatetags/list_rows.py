"""The rows of the case and allegation lists, built in Python (cases/rows.py says why). Each row is the
markup the template's loop body gave, byte for byte, whitespace included: a change to a row's markup is
made here. The template keeps the table, its headers and the "no rows" line."""

from django import template
from django.utils.safestring import mark_safe

from ..models import Allegation, Case, Conviction, OnyxReview
from ..rows import UrlPattern, day_month_year, esc, esc_value, label, labels, unix

register = template.Library()

_CASE_ROW = (
    '\n    <tr class="govuk-table__row"><td class="govuk-table__cell">'
    '<a class="govuk-link" href="{url}">{reference}</a>{restricted}</td>\n'
    '      <td class="govuk-table__cell">{subject} ({staff_number})</td>\n'
    '      <td class="govuk-table__cell">{status}</td><td class="govuk-table__cell">{severity}</td>\n'
    '      <td class="govuk-table__cell">{investigator}</td><td class="govuk-table__cell">{opened}</td></tr>\n  '
)
# What case_rows reads (cases.rows.rows_only): any other field would cost a query per row.
CASE_ROW_FIELDS = (
    "public_id", "reference", "restricted", "status", "severity", "opened_at",
    "subject__first_name", "subject__last_name", "subject__staff_number",
    "investigator__first_name", "investigator__last_name",
)  # fmt: skip
_NEED_TO_KNOW = ' <span class="govuk-tag govuk-tag--grey">Need to know</span>'


@register.simple_tag
def case_rows(page):
    """templates/cases/case_list.html's rows."""
    url = UrlPattern("cases:case_detail")
    statuses, severities = labels(Case, "status"), labels(Case, "severity")
    rows = []
    for case in page:
        subject, investigator = case.subject, case.investigator
        rows.append(
            _CASE_ROW.format(
                url=url(case.public_id),
                reference=esc(case.reference),
                restricted=_NEED_TO_KNOW if case.restricted else "",
                subject=esc(subject.full_name),
                staff_number=esc_value(subject.staff_number),
                status=esc_value(label(statuses, case.status)),
                severity=esc(label(severities, case.severity) or "—"),
                investigator=esc((investigator.get_full_name() if investigator else "") or "Unassigned"),
                opened=day_month_year(case.opened_at),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


_ALLEGATION_ROW = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell" data-sort-value="{received_unix}">'
    '<a class="govuk-link" href="{url}">{received}<span class="govuk-visually-hidden"> allegation</span></a></td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{subject_url}">{subject}</a> ({staff_number})</td>'
    '<td class="govuk-table__cell">{category}</td><td class="govuk-table__cell">{source}</td>'
    '<td class="govuk-table__cell">{status}</td><td class="govuk-table__cell">{case}</td></tr>\n'
)
ALLEGATION_ROW_FIELDS = (
    "public_id", "received_on", "category", "source", "status",
    "subject__public_id", "subject__first_name", "subject__last_name", "subject__staff_number",
    "case__public_id", "case__reference",
)  # fmt: skip
_CASE_LINK = '<a class="govuk-link" href="{}">{}</a>'


@register.simple_tag
def allegation_rows(page):
    """templates/cases/allegation_list.html's rows."""
    officer_url, case_url = UrlPattern("cases:officer_detail"), UrlPattern("cases:case_detail")
    allegation_url = UrlPattern("cases:allegation_detail")
    categories, sources = labels(Allegation, "category"), labels(Allegation, "source")
    statuses = labels(Allegation, "status")
    rows = []
    for allegation in page:
        subject, case = allegation.subject, allegation.case
        rows.append(
            _ALLEGATION_ROW.format(
                received_unix=unix(allegation.received_on),
                url=allegation_url(allegation.public_id),
                received=day_month_year(allegation.received_on),
                subject_url=officer_url(subject.public_id),
                subject=esc(subject.full_name),
                staff_number=esc_value(subject.staff_number),
                category=esc_value(label(categories, allegation.category)),
                source=esc_value(label(sources, allegation.source)),
                status=esc_value(label(statuses, allegation.status)),
                case=_CASE_LINK.format(case_url(case.public_id), esc(case.reference)) if case else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


_REVIEW_ROW = (
    '\n    <tr class="govuk-table__row">{select}\n'
    '      <td class="govuk-table__cell"><a class="govuk-link" href="{url}">{reference}</a></td>'
    '<td class="govuk-table__cell">{subject}</td>\n'
    '      <td class="govuk-table__cell">{status}</td><td class="govuk-table__cell">{decision}</td>'
    '<td class="govuk-table__cell">{reviewer}</td></tr>\n  '
)
REVIEW_ROW_FIELDS = (
    "public_id", "reference", "status", "decision", "subject__first_name", "subject__last_name",
    "reviewer__first_name", "reviewer__last_name", "reviewer__username",
)  # fmt: skip
_REVIEW_SELECT = (
    '<td class="govuk-table__cell"><input type="checkbox" name="review" value="{}" aria-label="Select {}"></td>'
)


@register.simple_tag
def review_rows(page, selectable):
    """templates/cases/review_list.html's rows; `selectable` adds the bulk actions' checkbox."""
    url = UrlPattern("cases:review_detail")
    statuses, decisions = labels(OnyxReview, "status"), labels(OnyxReview, "decision")
    rows = []
    for review in page:
        reviewer = review.reviewer
        reference = esc(review.reference)
        rows.append(
            _REVIEW_ROW.format(
                select=_REVIEW_SELECT.format(review.public_id, reference) if selectable else "",
                url=url(review.public_id),
                reference=reference,
                subject=esc(review.subject.full_name),
                status=esc_value(label(statuses, review.status)),
                decision=esc(label(decisions, review.decision) or "—"),
                reviewer=esc(reviewer.get_full_name() or reviewer.username) if reviewer else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


_CONVICTION_ROW = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell">{officer}</td>'
    '<td class="govuk-table__cell">{staff_number}</td><td class="govuk-table__cell">{category}{minor}</td>'
    '<td class="govuk-table__cell">{kind}</td><td class="govuk-table__cell">{convicted}</td>'
    '<td class="govuk-table__cell">{disposal}</td><td class="govuk-table__cell">{when}</td>'
    '<td class="govuk-table__cell">{review}</td>'
    '<td class="govuk-table__cell" data-policy="{policy}">{policy_label}</td></tr>\n  '
)
CONVICTION_ROW_FIELDS = (
    "kind", "category", "as_minor", "convicted_on", "while_serving", "disposal", "review_status",
    "policy_action", "officer__public_id", "officer__first_name", "officer__last_name", "officer__staff_number",
)  # fmt: skip
_UNDER_18 = ' <strong class="govuk-tag govuk-tag--grey">Under 18</strong>'


@register.simple_tag
def conviction_rows(page, may_open_officer):
    """templates/cases/conviction_list.html's rows; the officer is a link only for `may_open_officer`."""
    officer_url = UrlPattern("cases:officer_detail")
    kinds, categories = labels(Conviction, "kind"), labels(Conviction, "category")
    reviews, actions = labels(Conviction, "review_status"), labels(Conviction, "policy_action")
    rows = []
    for conviction in page:
        officer = conviction.officer
        name = esc(officer.full_name)
        rows.append(
            _CONVICTION_ROW.format(
                officer=_CASE_LINK.format(officer_url(officer.public_id), name) if may_open_officer else name,
                staff_number=esc_value(officer.staff_number),
                category=esc_value(label(categories, conviction.category)),
                minor=_UNDER_18 if conviction.as_minor else "",
                kind=esc_value(label(kinds, conviction.kind)),
                convicted=day_month_year(conviction.convicted_on),
                disposal=esc(conviction.disposal or "—"),
                when="While serving" if conviction.while_serving else "Before joining",
                review=esc_value(label(reviews, conviction.review_status)),
                policy=esc_value(conviction.policy_action),
                policy_label=esc(label(actions, conviction.policy_action) or "No rule matched"),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


_RISK_FLAG_ROW = (
    '\n  <tr class="govuk-table__row">'
    '<td class="govuk-table__cell" data-sort-value="{first_seen_unix}">{first_seen}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{officer}</a> ({staff_number})</td>\n'
    '    <td class="govuk-table__cell">{command}</td><td class="govuk-table__cell">{rule}</td>'
    '<td class="govuk-table__cell"><strong class="govuk-tag {tag}">{level}</strong></td>\n'
    '    <td class="govuk-table__cell">{risk}</td><td class="govuk-table__cell">{triage}</td></tr>\n  '
)

# What risk_flag_rows reads, with the rule's code the view labels each flag by.
RISK_FLAG_ROW_FIELDS = (
    "first_seen", "rule_code", "level", "triage_status",
    "officer__public_id", "officer__first_name", "officer__last_name", "officer__staff_number",
    "officer__command__code", "officer__risk_level__level",
)  # fmt: skip


@register.simple_tag
def risk_flag_rows(page):
    """templates/risk/risk_list.html's rows; each flag carries `rule_label` (the view sets it)."""
    from ..risk.models import OfficerRiskLevel, RiskFlag

    url = UrlPattern("risk:officer_flags")
    levels, triage = labels(RiskFlag, "level"), labels(RiskFlag, "triage_status")
    overall = labels(OfficerRiskLevel, "level")
    rows = []
    for flag in page:
        officer = flag.officer
        try:
            risk = officer.risk_level
        except OfficerRiskLevel.DoesNotExist:  # the template printed "" for a missing one, then "—"
            risk = None
        rows.append(
            _RISK_FLAG_ROW.format(
                first_seen_unix=unix(flag.first_seen),
                first_seen=day_month_year(flag.first_seen),
                url=url(officer.public_id),
                officer=esc(officer.full_name),
                staff_number=esc_value(officer.staff_number),
                command=esc_value(officer.command.code),
                rule=esc_value(flag.rule_label),
                tag="govuk-tag--red" if flag.level == "critical" else "govuk-tag--orange",
                level=esc_value(label(levels, flag.level)),
                risk=esc((label(overall, risk.level) if risk else "") or "—"),
                triage=esc_value(label(triage, flag.triage_status)),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
