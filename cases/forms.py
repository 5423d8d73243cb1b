from django import forms
from django.contrib.auth import get_user_model

from cases.roles import Role

from .models import (
    DISMISSALS,
    REASSESS_ACTIONS,
    RISK_MEASURES,
    AllegationCategory,
    AllegationSource,
    AppealResult,
    IopcMode,
    IopcReferral,
    OnyxDecision,
    Outcome,
    PanelVerdict,
    ProceedingsFinding,
    Route,
    Severity,
    Standard,
    SuspensionDecision,
    SuspensionKind,
)
from .services.casework import CASE_ACTIONS
from .services.submissions import submission_token_new


class OnyxDecisionForm(forms.Form):
    """Presents the decision; which actions go with which decision is onyx_review_decide's rule, and
    its refusals come back to these fields (DomainError.field)."""

    decision = forms.ChoiceField(choices=OnyxDecision.choices, widget=forms.RadioSelect, label="Decision")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        label="Rationale",
        error_messages={"required": "Give the rationale for the decision."},
    )
    inquiries = forms.MultipleChoiceField(
        choices=[(k.value, k.label) for k in REASSESS_ACTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Lines of inquiry (reassess)",
    )
    measures = forms.MultipleChoiceField(
        choices=[(k.value, k.label) for k in RISK_MEASURES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Risk-management measures",
    )
    action_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000, label="Notes on the actions"
    )

    def actions(self):
        note = self.cleaned_data.get("action_notes", "")
        kinds = self.cleaned_data.get("inquiries", []) + self.cleaned_data.get("measures", [])
        return [(k, note) for k in kinds]


class PanelVerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=PanelVerdict.choices, widget=forms.RadioSelect, label="Your verdict")
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        label="Reasons (required if you disagree)",
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == PanelVerdict.DISAGREE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Give the panel's reasons for disagreeing.")
        return data


def _person(user):
    return user.get_full_name() or user.username


def _users_with_role(role):
    return get_user_model().objects.filter(groups__name=Role(role).label, is_active=True).order_by("username")


class AllocateForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, label="Allocate the selected reviews to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = _users_with_role(Role.INVESTIGATOR)
        self.fields["reviewer"].label_from_instance = _person


class SendToPanelForm(forms.Form):
    panel_members = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Share the selected reviews among"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel_members"].queryset = _users_with_role(Role.PANEL_REVIEWER)
        self.fields["panel_members"].label_from_instance = _person


class AllegationForm(forms.Form):
    """Presents allegation_record's fields; its rules (dates, category, narrative) are the service's,
    shown by the field they concern."""

    category = forms.ChoiceField(choices=[("", "Choose…"), *AllegationCategory.choices])
    source = forms.ChoiceField(choices=[("", "Choose…"), *AllegationSource.choices])
    received_on = forms.DateField(label="Came to notice on", widget=forms.DateInput(attrs={"type": "date"}))
    incident_on = forms.DateField(
        label="Incident date (if known)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    complainant_ref = forms.CharField(label="Complainant reference (optional)", required=False, max_length=64)
    narrative = forms.CharField(label="What is alleged", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    death_or_serious_injury = forms.BooleanField(
        required=False, label="The conduct is alleged to have resulted in death or serious injury"
    )
    # A one-time token: a double-clicked or resent form records one allegation (see services.submissions).
    once_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=submission_token_new)


class CaseActionForm(forms.Form):
    """One form for every workflow action; each action uses the fields it needs."""

    action = forms.ChoiceField(choices=[(k, a.label) for k, a in CASE_ACTIONS.items()], widget=forms.HiddenInput)
    referral = forms.ChoiceField(
        choices=[
            ("", "Choose…"),
            (IopcReferral.NOT_REQUIRED, IopcReferral.NOT_REQUIRED.label),
            (IopcReferral.REFERRED, IopcReferral.REFERRED.label),
        ],
        required=False,
        label="IOPC referral",
    )
    mode = forms.ChoiceField(
        choices=[("", "Not referred"), *IopcMode.choices], required=False, label="Mode of investigation (if referred)"
    )
    severity = forms.ChoiceField(
        choices=[("", "Choose…"), (Severity.MISCONDUCT, "Misconduct"), (Severity.GROSS_MISCONDUCT, "Gross misconduct")],
        required=False,
        label="Severity (reg 14): if proved, the conduct would amount to",
    )
    standards = forms.MultipleChoiceField(
        choices=Standard.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Standards of Professional Behaviour breached",
    )
    route = forms.ChoiceField(choices=[("", "Choose…"), *Route.choices], required=False, label="Route")
    several_incidents = forms.BooleanField(
        required=False, label="The misconduct arises from more than one incident, not closely factually connected"
    )
    sufficient_evidence = forms.BooleanField(
        required=False,
        label="(a) Written statements or other documents establish gross misconduct on the balance of probabilities",
    )
    public_interest = forms.BooleanField(
        required=False,
        label="(b) It is in the public interest for the officer to leave the force without delay",
    )
    confirm = forms.BooleanField(required=False, label="I confirm this step")
    reflective_practice = forms.BooleanField(
        required=False, label="Refer the matter to the reflective practice review process"
    )
    finding = forms.ChoiceField(
        choices=[("", "Choose…"), *ProceedingsFinding.choices],
        required=False,
        label="Finding of the meeting or hearing",
    )
    outcome = forms.ChoiceField(choices=[("", "Choose…"), *Outcome.choices], required=False, label="Outcome")
    notified_on = forms.DateField(
        required=False,
        label="Outcome notified to the officer on (if not today)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    given_on = forms.DateField(
        required=False, label="Notice given on (if not today)", widget=forms.DateInput(attrs={"type": "date"})
    )
    reasons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Reasons")
    conducted_by = forms.CharField(
        required=False, max_length=200, label="Conducted or chaired by (name and rank or grade)"
    )
    panel_members = forms.CharField(
        required=False,
        max_length=400,
        label="Hearing panel members appointed by the local policing body (two, comma-separated)",
    )
    legal_adviser = forms.CharField(
        required=False, max_length=200, label="Legally qualified person advising the hearing"
    )
    warning_years = forms.IntegerField(
        required=False, min_value=2, max_value=5, label="Final written warning in force for (years, 2 to 5)"
    )
    lodged_on = forms.DateField(
        required=False, label="Appeal lodged on", widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(choices=[("", "Choose…"), *AppealResult.choices], required=False, label="Appeal result")

    FIELDS_BY_ACTION = {
        "record_referral": ["referral", "mode"],
        "assess_severity": ["severity", "standards"],
        "give_written_notice": ["given_on"],
        "reassess_severity": ["severity", "reasons"],
        "refer_to_reflective_practice": ["standards"],
        "find_case_to_answer": ["several_incidents", "confirm"],
        "find_no_case_to_answer": ["reflective_practice", "confirm"],
        "choose_route": ["route", "sufficient_evidence", "public_interest", "reasons"],
        "certify_special_conditions": ["sufficient_evidence", "public_interest", "reasons"],
        "record_outcome": [
            "finding",
            "outcome",
            "conducted_by",
            "panel_members",
            "legal_adviser",
            "notified_on",
            "warning_years",
            "several_incidents",
            "confirm",
        ],
        "lodge_appeal": ["lodged_on"],
        "decide_appeal": ["result", "outcome"],
        "close": ["confirm"],
    }

    # Moves that are hard to undo ask the user to confirm (a checkbox, so it works without JavaScript).
    CONFIRMED_ACTIONS = {"find_case_to_answer", "find_no_case_to_answer", "close"}

    def needs_confirmation(self, action: str, outcome: str = "") -> bool:
        return action in self.CONFIRMED_ACTIONS or (action == "record_outcome" and outcome in DISMISSALS)

    def clean(self):
        data = super().clean()
        action = data.get("action", "")
        if self.needs_confirmation(action, data.get("outcome", "")) and not data.get("confirm"):
            self.add_error("confirm", "Tick the box to confirm: this step is hard to undo.")
        return data

    def service_data(self) -> dict:
        action = self.cleaned_data["action"]
        return {
            name: self.cleaned_data[name]
            for name in self.FIELDS_BY_ACTION.get(action, [])
            if name != "confirm" and self.cleaned_data.get(name) not in (None, "")
        }


class CaseNoteForm(forms.Form):
    """An entry in the case's investigation log."""

    note = forms.CharField(
        label="Add to the investigation log", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    once_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=submission_token_new)


class AssignForm(forms.Form):
    investigator = forms.ModelChoiceField(queryset=None, label="Assign to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = _users_with_role(Role.INVESTIGATOR)
        self.fields["investigator"].label_from_instance = _person


class ConflictForm(forms.Form):
    username = forms.CharField(label="Staff user (username)", max_length=150)
    staff_number = forms.CharField(label="Officer's staff number", max_length=16)
    reason = forms.CharField(label="Reason (e.g. same team, family)", max_length=200)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError("No active user with that username.")
        return user


class GrantForm(forms.Form):
    username = forms.CharField(label="Give need-to-know access to (username)", max_length=150)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError("No active user with that username.")
        return user


class ReviewProgrammeForm(forms.Form):
    name = forms.CharField(max_length=200, label="Programme name")
    categories = forms.MultipleChoiceField(
        choices=AllegationCategory.choices, widget=forms.CheckboxSelectMultiple, label="Allegation categories"
    )
    period_start = forms.DateField(label="Allegations received from", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Allegations received to", widget=forms.DateInput(attrs={"type": "date"}))
    once_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=submission_token_new)


class _ListedChoices(forms.models.ModelChoiceIterator):
    """Reads the choices with one plain query (cached on the queryset) instead of Django's
    queryset.iterator(), which on PostgreSQL opens a server-side cursor (DECLARE ... WITH HOLD) that
    costs more than the officer's few open cases it lists."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoices


class SuspensionStartForm(forms.Form):
    """The appropriate authority's reg 11 decision. Which fields a suspension needs (reg 11(4)(a) and (b))
    is suspension_start's rule; its refusals come back to these fields (DomainError.field)."""

    kind = forms.ChoiceField(
        choices=SuspensionKind.choices,
        widget=forms.RadioSelect,
        label="Suspend or restrict",
    )
    started_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    case = _ListedModelChoiceField(queryset=None, required=False, to_field_name="public_id", label="Case (optional)")
    redeployment_considered = forms.BooleanField(
        required=False,
        label="Temporary redeployment to alternative duties or location was considered (suspension, reg 11(4)(a))",
    )
    redeployment_rejected_reason = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why redeployment is not appropriate in all the circumstances (suspension, reg 11(4)(a))",
    )
    ground_investigation_prejudiced = forms.BooleanField(
        required=False, label="The effective investigation may be prejudiced unless suspended (reg 11(4)(b)(i))"
    )
    investigation_prejudiced_reason = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How the investigation may be prejudiced (reg 11(4)(b)(i))",
    )
    ground_public_interest = forms.BooleanField(
        required=False, label="The public interest requires suspension (reg 11(4)(b)(ii))"
    )
    public_interest_reason = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why the public interest requires it (reg 11(4)(b)(ii))",
    )
    reasons = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reasons for restricted duties",
    )

    def __init__(self, *args, cases=None, **kwargs):
        from django.utils import timezone

        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: c.reference


class SuspensionReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=SuspensionDecision.choices, widget=forms.RadioSelect, label="Review decision")
    reasons = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="Reasons")
