from django import forms
from django.contrib.auth import get_user_model

from cases.roles import Role
from cases.services import submission_token_new

from .models import CircumstanceKind, VettingOutcome


class OnceTokenForm(forms.Form):
    """A form carrying a one-time token: a double submit is recognised by its token."""

    once_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["once_token"] = submission_token_new()


class ReviewOpenForm(OnceTokenForm):
    staff_number = forms.CharField(max_length=16, label="Staff number")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, label="Why open a review")


class CircumstanceChangeForm(OnceTokenForm):
    kind = forms.ChoiceField(choices=CircumstanceKind.choices, widget=forms.RadioSelect, label="What has changed")
    occurred_on = forms.DateField(
        required=False, label="When did it happen (if you know)", widget=forms.DateInput(attrs={"type": "date"})
    )
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=10000, label="Tell us what changed")


class ReviewAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label="Assign to", required=False, empty_label="Me")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.VETTING_OFFICER.label, is_active=True)
            .order_by("username")
        )


class ReviewDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=VettingOutcome.choices, widget=forms.RadioSelect, label="Decision")
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=10000, label="Reasons")
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False, label="Conditions (if any)"
    )


class PNDUploadForm(forms.Form):
    """The PND unit's results file. Django keeps an upload over 2.5 MB in a temporary file, never whole in
    memory; the import then streams it (vetting/services/pnd_import.py)."""

    MAX_BYTES = 100 * 1024 * 1024

    file = forms.FileField(
        label="PND results file (CSV)",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,text/csv"}),
        help_text="Columns headed staff number, date checked, result and notes, in any order; saved as CSV UTF-8.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 100 MB: split it and import each part.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload
