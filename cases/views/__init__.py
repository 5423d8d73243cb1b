"""The pages of cases, by area. Each view is thin: parse, call a selector or a service, render; what a
user may do is asked of cases.permissions and the services, never decided here or in a template."""

from .allegations import allegation_detail, allegation_list, allegation_new
from .audit import audit_case, audit_officer, audit_reader, conflicts
from .cases import case_act, case_assign, case_detail, case_grant, case_list, case_note, case_summary
from .convictions import conviction_list
from .exports import advisory_list_export, allegation_export, barred_list_export, case_export, csv_response
from .officers import (
    case_new,
    officer_detail,
    officer_list,
    officer_suspension_review,
    officer_suspension_start,
    officer_timeline_list,
)
from .reviews import (
    review_action_done,
    review_case_open,
    review_decide,
    review_detail,
    review_list,
    review_programme_new,
    review_verdict,
    reviews_allocate,
    reviews_send_to_panel,
)
from .work import my_work, timeliness, timeliness_report

__all__ = [
    "advisory_list_export",
    "allegation_detail",
    "allegation_export",
    "allegation_list",
    "allegation_new",
    "audit_case",
    "audit_officer",
    "audit_reader",
    "barred_list_export",
    "case_act",
    "conviction_list",
    "case_assign",
    "case_detail",
    "case_export",
    "case_grant",
    "case_list",
    "case_new",
    "case_note",
    "case_summary",
    "conflicts",
    "csv_response",
    "my_work",
    "officer_detail",
    "officer_list",
    "officer_suspension_review",
    "officer_suspension_start",
    "officer_timeline_list",
    "review_action_done",
    "review_case_open",
    "review_decide",
    "review_detail",
    "review_list",
    "review_programme_new",
    "review_verdict",
    "reviews_allocate",
    "reviews_send_to_panel",
    "timeliness",
    "timeliness_report",
]
