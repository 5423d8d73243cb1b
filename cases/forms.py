from django import forms
from django.contrib.auth import get_user_model

from misconduct.roles import Role

from .models import REASSESS_ACTIONS, RISK_MEASURES, OnyxDecision, PanelVerdict


class OnyxDecisionForm(forms.Form):
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

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == OnyxDecision.REASSESS and not data.get("inquiries"):
            self.add_error("inquiries", "A reassess decision needs at least one line of inquiry.")
        if decision == OnyxDecision.RISK_MANAGEMENT and not data.get("measures"):
            self.add_error("measures", "A risk-management decision needs at least one measure.")
        if decision != OnyxDecision.REASSESS and data.get("inquiries"):
            self.add_error("inquiries", "Lines of inquiry go with a reassess decision only.")
        if decision != OnyxDecision.RISK_MANAGEMENT and data.get("measures"):
            self.add_error("measures", "Measures go with a risk-management decision only.")
        return data

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
