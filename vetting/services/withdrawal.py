"""The withdrawal of vetting clearance under Part 3 of the Police (Vetting) Regulations 2025 (PVR, SI 2025/502):
opened by a vetting review decided "withdrawn" (or by a vetting officer), moved by one transition function
through its notice, the officer's representations, the decision, dismissal without notice and the appeal.

What was read (docs/vetting-rules.md has the table): the made text's opening (regs 1, 2 in part), at
legislation.gov.uk/uksi/2025/502/made; reg 13(5) and reg 16(1)-(2) as quoted from the text in a public discussion;
regs 4, 5, 8-10 and the two-stage appeal through summaries (5 Essex Court, 14 May 2025; the explanatory
memorandum as summarised by transparencynews.co.uk, 23 April 2025). Where a rule below rests on those, it is
marked ⚠. The rest of the made text (Part 3 from reg 11, Part 4, the appeal) and the Home Office's statutory
guidance on withdrawal (gov.uk, 22 July 2025, beyond its opening) could NOT be found through the search tool
(searched again on 3 December 2026 for the notice, representations, decision and appeal provisions): no
paragraph number below is invented for them, and the time limits are NOT from the text (⚠ see the constants)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.calendar import today as calendar_today
from cases.calendar import working_days_after
from cases.models import LEFT_STATUSES, EmploymentStatus, Officer
from cases.roles import Role, has_role
from cases.services import (
    DomainError,
    barred_list_enter,
    barred_list_reinstate,
    investigator_conflicted,
)
from cases.services.officers import officer_status_write

from ..models import (
    RUNNING_STATUSES,
    AppealBody,
    ClearanceStatus,
    VettingClearance,
    VettingReview,
    VettingWithdrawal,
    WithdrawalEvent,
    WithdrawalNotice,
    WithdrawalNoticeKind,
)
from ..models import WithdrawalStatus as W

# ⚠ Time limits: the PVR's own periods (for the officer's representations and for an appeal) were not read, because
# the text of Parts 3-4 could not be found through the search tool; these two numbers are the force's placeholders
# until someone reads SI 2025/502 itself and sets them from it. They follow the conduct regime's pattern for a
# response to an investigation's notice: CR reg 18, "Representations to the investigator" (by its title in the
# regulations' contents, vlex.co.uk copy of SI 2020/4; ⚠ its text not read; an earlier note cited reg 22, which is
# Part 4's "General"). The figure 10 was read in a parallel instrument, SI 2015/25 reg 20(1) (a statement to the
# investigator "before the end of 10 working days starting with the first working day after the notice",
# legislation.gov.uk/uksi/2015/25/regulation/20/made), and the counting in CR reg 31(1)(a) ("15 working days
# beginning with the first working day after", legislation.gov.uk/uksi/2020/4/regulation/31/made). The appeal
# takes the same 10 working days (PAT Rules 2020 rule 9 ⚠ not reached: its per-rule page was not found). Counted
# as cases/calendar.py working_days_after counts (CR reg 2(1) "working day"). Check both against PVR Parts 3-4.
REPRESENTATIONS_WORKING_DAYS = 10
APPEAL_WORKING_DAYS = 10

# (state, action) -> state. The only moves there are.
WITHDRAWAL_TRANSITIONS = {
    (W.ASSESSMENT, "appoint"): W.ASSESSMENT,
    (W.ASSESSMENT, "name_police_friend"): W.ASSESSMENT,
    (W.ASSESSMENT, "serve_notice"): W.NOTICE_SERVED,
    (W.NOTICE_SERVED, "name_police_friend"): W.NOTICE_SERVED,
    (W.NOTICE_SERVED, "record_representations"): W.REPRESENTATIONS,
    (W.NOTICE_SERVED, "decide_keep"): W.CLEARANCE_KEPT,
    (W.NOTICE_SERVED, "decide_withdraw"): W.DISMISSED,
    (W.REPRESENTATIONS, "name_police_friend"): W.REPRESENTATIONS,
    (W.REPRESENTATIONS, "decide_keep"): W.CLEARANCE_KEPT,
    (W.REPRESENTATIONS, "decide_withdraw"): W.DISMISSED,
    (W.DISMISSED, "lodge_appeal"): W.APPEALED,
    (W.APPEALED, "appeal_upheld"): W.REINSTATED,
    (W.APPEALED, "appeal_dismissed"): W.DISMISSAL_STANDS,
    # The second stage: after the appeal panel, to a police appeals tribunal (⚠ secondary), once.
    (W.DISMISSAL_STANDS, "lodge_appeal"): W.APPEALED,
}
WITHDRAWAL_ACTIONS = sorted({action for _, action in WITHDRAWAL_TRANSITIONS})
ACTION_LABELS = {
    "open": "Withdrawal assessment opened",
    "appoint": "Decision-maker appointed",
    "name_police_friend": "Police friend named",
    "serve_notice": "Notice of the withdrawal assessment served",
    "record_representations": "Written representations received",
    "decide_keep": "Decided: clearance not withdrawn",
    "decide_withdraw": "Decided: clearance withdrawn, dismissed without notice",
    "lodge_appeal": "Appeal lodged",
    "appeal_upheld": "Appeal upheld: reinstated",
    "appeal_dismissed": "Appeal dismissed",
}


def withdrawal_open(*, officer_id: int, grounds: str, by, review: VettingReview | None = None, decision_maker=None):
    """Open the withdrawal process (PVR reg 4: Part 3 applies where information indicating that an officer may
    no longer be suitable to hold clearance comes to the vetting authority's attention ⚠ secondary). One per
    review (a repeat returns the first) and one running per officer. While it runs the officer is on restricted
    duties (through the officer-status writer); ⚠ the PVR's own power is to suspend (reg 13, which may be used
    until the assessment concludes, reg 13(5)); restricted duties are the force's lesser measure."""
    _check_vetting_officer(by)
    grounds = (grounds or "").strip()
    if not grounds:
        raise DomainError("State the matter that may make the officer unsuitable to hold clearance.", field="grounds")
    if investigator_conflicted(user=by, officer_id=officer_id):
        raise DomainError("You are conflicted on this person.")
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer_id)
        if review is not None:
            existing = VettingWithdrawal.objects.filter(review=review).first()
            if existing is not None:
                return existing
        if VettingWithdrawal.objects.filter(officer=officer, status__in=RUNNING_STATUSES).exists():
            raise DomainError("A withdrawal process is already running for this person.")
        if officer.status in LEFT_STATUSES:
            raise DomainError("The person has left the force.")
        if decision_maker is not None:
            _check_decision_maker(decision_maker, officer_id)
        withdrawal = VettingWithdrawal.objects.create(
            officer=officer,
            review=review,
            grounds=grounds,
            decision_maker=decision_maker,
            opened_at=timezone.now(),
            created_by=by,
            updated_by=by,
        )
        if officer.status == EmploymentStatus.SERVING:
            officer_status_write(
                officer, EmploymentStatus.RESTRICTED, by=by, reason="Restricted duties while vetting withdrawal runs."
            )
            withdrawal.restricted_duties = True
            withdrawal.save(update_fields=["restricted_duties"])
        _event(withdrawal, by, "open", "", W.ASSESSMENT, {"review": review.pk if review else None})
    return withdrawal


def withdrawal_move(*, withdrawal: VettingWithdrawal, action: str, by, on: dt.date | None = None, **data):
    """The one way a withdrawal process changes: checks (state, action) against WITHDRAWAL_TRANSITIONS, locks
    the row, applies the step's rule, writes the row and an event in one transaction."""
    _check_vetting_officer(by)
    today = calendar_today()
    on = on or today
    if on > today:
        raise DomainError("That date is in the future.", field="on")
    with transaction.atomic():
        withdrawal = VettingWithdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if investigator_conflicted(user=by, officer_id=withdrawal.officer_id):
            raise DomainError("You are conflicted on this person.")
        to_status = WITHDRAWAL_TRANSITIONS.get((withdrawal.status, action))
        if to_status is None:
            raise DomainError(
                f"A withdrawal that is “{withdrawal.get_status_display()}” cannot take the step "
                f"“{ACTION_LABELS.get(action, action)}”."
            )
        previous = withdrawal.status
        fields, detail = _STEPS[action](withdrawal, by=by, on=on, today=today, **data)
        withdrawal.status, withdrawal.updated_by = to_status, by
        if to_status in (W.CLEARANCE_KEPT, W.REINSTATED) or (
            to_status == W.DISMISSAL_STANDS and withdrawal.appeal_body == AppealBody.TRIBUNAL
        ):
            withdrawal.closed_at = timezone.now()
            fields.append("closed_at")
        withdrawal.save(update_fields=sorted({*fields, "status", "updated_by", "updated_at"}))
        _event(withdrawal, by, action, previous, to_status, detail)
    return withdrawal


# --- the steps -------------------------------------------------------------------------------------------


def _appoint(w, *, by, on, today, decision_maker=None, **_):
    """PVR reg 16(2): the vetting authority must appoint a person to carry out the withdrawal assessment ⚠
    (quoted, not read at source). Here that person also decides (a vetting officer, not conflicted)."""
    if decision_maker is None:
        raise DomainError("Choose who carries out the assessment.", field="decision_maker")
    _check_decision_maker(decision_maker, w.officer_id)
    w.decision_maker = decision_maker
    return ["decision_maker"], {"decision_maker": decision_maker.pk}


def _name_police_friend(w, *, by, on, today, police_friend="", **_):
    """PVR reg 9: the officer may choose a police friend ⚠ (secondary); recorded as the officer tells us."""
    police_friend = (police_friend or "").strip()
    if not police_friend:
        raise DomainError("Give the police friend's name.", field="police_friend")
    w.police_friend = police_friend
    return ["police_friend"], {"police_friend": police_friend}


def _serve_notice(w, *, by, on, today, content="", **_):
    """The officer is given written notice of the withdrawal assessment: the matter, their right to a police
    friend (reg 9) and to make representations, and by when (⚠ the notice regulation not read)."""
    if w.decision_maker_id is None:
        raise DomainError("Appoint the person who carries out the assessment first (reg 16(2)).")
    content = _text(content, "content", "Say what the notice told the officer.")
    if on < timezone.localtime(w.opened_at).date():
        raise DomainError("The notice cannot be served before the process opened.", field="on")
    w.notice_served_on = on
    w.representations_due_on = representations_due_on(on)
    _notice(w, WithdrawalNoticeKind.ASSESSMENT, on, by, content)
    return ["notice_served_on", "representations_due_on"], {"served_on": on.isoformat()}


def _record_representations(w, *, by, on, today, representations="", **_):
    """The officer's written representations, received by the last day (⚠ the period, see the constant)."""
    representations = _text(representations, "representations", "Enter the officer's representations.")
    if on < w.notice_served_on:
        raise DomainError("Representations cannot come before the notice.", field="on")
    if on > w.representations_due_on:
        raise DomainError(f"The time for representations ended on {w.representations_due_on:%d %b %Y}.", field="on")
    w.representations, w.representations_received_on = representations, on
    return ["representations", "representations_received_on"], {"received_on": on.isoformat()}


def _decide(w, *, by, on, today, reasons, withdraw):
    if w.decision_maker_id != by.pk:
        raise DomainError("Only the person appointed to carry out the assessment decides it (reg 16(2)).")
    reasons = _text(reasons, "reasons", "Give the reasons for the decision.")
    if w.status == W.NOTICE_SERVED and on <= w.representations_due_on:
        raise DomainError(
            f"The officer may make representations until {w.representations_due_on:%d %b %Y}: decide after that, "
            "or once they are in."
        )
    w.decided_on, w.decision_reasons = on, reasons
    return ["decided_on", "decision_reasons"]


def _decide_keep(w, *, by, on, today, reasons="", **_):
    """Clearance is not withdrawn: the clearance is restored and restricted duties end."""
    fields = _decide(w, by=by, on=on, today=today, reasons=reasons, withdraw=False)
    _clearance_to(w, ClearanceStatus.ACTIVE, by, only_from=ClearanceStatus.SUSPENDED)
    _restricted_duties_end(w, by, "Vetting withdrawal ended: clearance not withdrawn.")
    _notice(w, WithdrawalNoticeKind.DECISION, on, by, f"Clearance is not withdrawn. {reasons}")
    return fields, {"outcome": "kept"}


def _decide_withdraw(w, *, by, on, today, reasons="", **_):
    """Clearance withdrawn: the officer is dismissed without notice (PVR, dismissal on withdrawal ⚠ secondary),
    which puts them on the barred list through the same service as a dismissal at misconduct proceedings
    (cases.services.lists.barred_list_enter). The notice of the decision gives the last day to appeal."""
    fields = _decide(w, by=by, on=on, today=today, reasons=reasons, withdraw=True)
    _clearance_to(w, ClearanceStatus.WITHDRAWN, by)
    barred_list_enter(
        officer_id=w.officer_id, on=on, by=by, reason="Dismissed without notice: vetting clearance withdrawn."
    )
    w.dismissed_on, w.appeal_due_on = on, appeal_due_on(on)
    _notice(
        w,
        WithdrawalNoticeKind.DECISION,
        on,
        by,
        f"Clearance withdrawn; dismissed without notice on {on:%d %b %Y}. {reasons} "
        f"An appeal may be lodged with the vetting appeal panel until {w.appeal_due_on:%d %b %Y}.",
    )
    return [*fields, "dismissed_on", "appeal_due_on"], {"outcome": "withdrawn"}


def _lodge_appeal(w, *, by, on, today, grounds="", **_):
    """The two-stage appeal (⚠ secondary): first to the vetting appeal panel, then, if dismissed there, to a
    police appeals tribunal; each within its period from the notice of the decision before it."""
    if w.status == W.DISMISSAL_STANDS and w.appeal_body == AppealBody.TRIBUNAL:
        raise DomainError("The police appeals tribunal has decided: there is no further appeal here.")
    grounds = _text(grounds, "grounds", "Give the grounds of appeal.")
    if on > w.appeal_due_on:
        raise DomainError(f"The time to appeal ended on {w.appeal_due_on:%d %b %Y}.", field="on")
    if on < (w.appeal_decided_on or w.dismissed_on):
        raise DomainError("The appeal cannot come before the decision it appeals.", field="on")
    w.appeal_body = AppealBody.PANEL if w.status == W.DISMISSED else AppealBody.TRIBUNAL
    w.appeal_lodged_on, w.appeal_grounds = on, grounds
    w.appeal_decided_on, w.appeal_reasons = None, ""
    fields = ["appeal_body", "appeal_lodged_on", "appeal_grounds", "appeal_decided_on", "appeal_reasons"]
    return fields, {"body": w.appeal_body, "lodged_on": on.isoformat()}


def _appeal_decided(w, *, by, on, today, reasons, upheld):
    reasons = _text(reasons, "reasons", "Give the appeal's reasons as the panel or tribunal gave them.")
    if on < w.appeal_lodged_on:
        raise DomainError("The appeal cannot be decided before it was lodged.", field="on")
    w.appeal_decided_on, w.appeal_reasons = on, reasons
    fields = ["appeal_decided_on", "appeal_reasons"]
    outcome = "upheld" if upheld else "dismissed"
    _notice(
        w, WithdrawalNoticeKind.APPEAL_OUTCOME, on, by, f"{w.get_appeal_body_display()}: appeal {outcome}. {reasons}"
    )
    if not upheld and w.appeal_body == AppealBody.PANEL:
        w.appeal_due_on = appeal_due_on(on)
        fields.append("appeal_due_on")
    return fields, {"body": w.appeal_body, "result": outcome}


def _appeal_upheld(w, *, by, on, today, reasons="", **_):
    """An upheld appeal reverses the dismissal as a quashed dismissal at misconduct proceedings is reversed: the
    officer serving again and off the barred list (cases.services.lists.barred_list_reinstate), and the clearance
    restored."""
    fields, detail = _appeal_decided(w, by=by, on=on, today=today, reasons=reasons, upheld=True)
    barred_list_reinstate(
        officer_id=w.officer_id,
        by=by,
        reason=f"Reinstated: {w.get_appeal_body_display().lower()} upheld the appeal against dismissal on the "
        "withdrawal of vetting; removed from the barred list.",
    )
    _clearance_to(w, ClearanceStatus.ACTIVE, by, only_from=ClearanceStatus.WITHDRAWN)
    return fields, detail


def _appeal_dismissed(w, *, by, on, today, reasons="", **_):
    return _appeal_decided(w, by=by, on=on, today=today, reasons=reasons, upheld=False)


_STEPS = {
    "appoint": _appoint,
    "name_police_friend": _name_police_friend,
    "serve_notice": _serve_notice,
    "record_representations": _record_representations,
    "decide_keep": _decide_keep,
    "decide_withdraw": _decide_withdraw,
    "lodge_appeal": _lodge_appeal,
    "appeal_upheld": _appeal_upheld,
    "appeal_dismissed": _appeal_dismissed,
}


# --- time limits and helpers ------------------------------------------------------------------------------


def representations_due_on(served_on: dt.date) -> dt.date:
    """The last day for written representations: REPRESENTATIONS_WORKING_DAYS after the notice (⚠)."""
    return working_days_after(served_on, REPRESENTATIONS_WORKING_DAYS)


def appeal_due_on(decided_on: dt.date) -> dt.date:
    """The last day to appeal: APPEAL_WORKING_DAYS after the notice of the decision (⚠)."""
    return working_days_after(decided_on, APPEAL_WORKING_DAYS)


def _check_vetting_officer(by) -> None:
    if not has_role(by, Role.VETTING_OFFICER):
        raise DomainError("Only a vetting officer works on a vetting withdrawal.")


def _check_decision_maker(user, officer_id) -> None:
    if not has_role(user, Role.VETTING_OFFICER):
        raise DomainError("The assessment is carried out by a vetting officer.", field="decision_maker")
    if investigator_conflicted(user=user, officer_id=officer_id):
        raise DomainError("That vetting officer is conflicted on this person.", field="decision_maker")


def _text(value, field, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def _notice(w, kind, on, by, content) -> None:
    WithdrawalNotice.objects.create(withdrawal=w, kind=kind, served_on=on, served_by=by, content=content)


def _clearance_to(w, status, by, only_from=None) -> None:
    clearance_id = w.review.clearance_id if w.review_id else None
    if clearance_id is None:
        clearance_id = (
            VettingClearance.objects.filter(officer_id=w.officer_id)
            .order_by("-granted_on", "-id")
            .values_list("id", flat=True)
            .first()
        )
    if clearance_id is None:
        return
    clearance = VettingClearance.objects.select_for_update().get(pk=clearance_id)
    if clearance.status == status or (only_from is not None and clearance.status != only_from):
        return
    clearance.status, clearance.updated_by = status, by
    clearance.save(update_fields=["status", "updated_by", "updated_at"])


def _restricted_duties_end(w, by, reason) -> None:
    if not w.restricted_duties:
        return
    officer = Officer.objects.select_for_update().get(pk=w.officer_id)
    if officer.status == EmploymentStatus.RESTRICTED:
        officer_status_write(officer, EmploymentStatus.SERVING, by=by, reason=reason)


def _event(w, by, action, from_status, to_status, detail) -> None:
    WithdrawalEvent.objects.create(
        withdrawal=w,
        actor=by,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )
