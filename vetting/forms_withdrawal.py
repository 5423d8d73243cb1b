"""The forms of the withdrawal pages: one per step; the service decides whether the step is allowed."""

from django import forms
from django.contrib.auth import get_user_model

from cases.roles import Role

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}), "required": False}


def _vetting_officers():
    return get_user_model().objects.filter(groups__name=Role.VETTING_OFFICER.label, is_active=True).order_by("username")


class _DecisionMakerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class WithdrawalOpenForm(forms.Form):
    staff_number = forms.CharField(max_length=16, label="Staff number")
    grounds = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, label="The matter that may make them unsuitable"
    )
    decision_maker = _DecisionMakerField(queryset=None, label="Who carries out the assessment", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_maker"].queryset = _vetting_officers()


class AppointForm(forms.Form):
    decision_maker = _DecisionMakerField(queryset=None, label="Who carries out the assessment and decides")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_maker"].queryset = _vetting_officers()


class PoliceFriendForm(forms.Form):
    police_friend = forms.CharField(max_length=200, label="Police friend (name and how to reach them)")


class NoticeForm(forms.Form):
    on = forms.DateField(label="Served on (leave empty for today)", **_DATE)
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, label="What the notice said")


class RepresentationsForm(forms.Form):
    on = forms.DateField(label="Received on (leave empty for today)", **_DATE)
    representations = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, label="The officer's written representations"
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("decide_keep", "Clearance not withdrawn"), ("decide_withdraw", "Withdraw clearance and dismiss")],
        widget=forms.RadioSelect,
        label="Decision",
    )
    on = forms.DateField(label="Decided on (leave empty for today)", **_DATE)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, label="Reasons")


class AppealForm(forms.Form):
    on = forms.DateField(label="Lodged on (leave empty for today)", **_DATE)
    grounds = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, label="Grounds of appeal")


class AppealDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("appeal_upheld", "Appeal upheld"), ("appeal_dismissed", "Appeal dismissed")],
        widget=forms.RadioSelect,
        label="Appeal outcome",
    )
    on = forms.DateField(label="Decided on (leave empty for today)", **_DATE)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, label="The appeal's reasons")


# Each step's form, keyed by the step (the form posts `step`; a form with an `action` field chooses among actions).
STEP_FORMS = {
    "appoint": (AppointForm, "Appoint the decision-maker", ["appoint"]),
    "name_police_friend": (PoliceFriendForm, "Record the police friend", ["name_police_friend"]),
    "serve_notice": (NoticeForm, "Serve the notice of the withdrawal assessment", ["serve_notice"]),
    "record_representations": (RepresentationsForm, "Record the representations", ["record_representations"]),
    "decide": (DecisionForm, "Record the decision", ["decide_keep", "decide_withdraw"]),
    "lodge_appeal": (AppealForm, "Record the appeal", ["lodge_appeal"]),
    "appeal_decide": (AppealDecisionForm, "Record the appeal's outcome", ["appeal_upheld", "appeal_dismissed"]),
}
