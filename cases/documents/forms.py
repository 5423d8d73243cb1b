"""Document forms: they parse; the checks on the files themselves are the services' (uploads.py)."""

from django import forms

from cases.services.submissions import submission_token_new

from .models import Document, DocumentType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "data-drop-zone": "true"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _max(name):
    return Document._meta.get_field(name).max_length


class DocumentUploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        required=False,  # the service says "Choose a file" (one message for every door)
        help_text="PDF, picture (JPEG, PNG), Word document or text. You can choose several, or drag them here.",
    )
    document_type = forms.ChoiceField(
        label="Type of document", choices=DocumentType.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Description", required=False, max_length=_max("description"),
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )
    obtained_on = forms.DateField(
        label="Date obtained", required=False, help_text="For example, 27 3 2026 or 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    obtained_from = forms.CharField(
        label="Obtained from", required=False, max_length=_max("obtained_from"),
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    exhibit_reference = forms.CharField(
        label="Exhibit reference", required=False, max_length=_max("exhibit_reference"),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    # A one-time token: a double-clicked or resent upload stores its files once (cases/services/submissions.py).
    once_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=submission_token_new)


class VersionAddForm(forms.Form):
    file = forms.FileField(
        label="File", required=False, widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"})
    )
    redacted = forms.BooleanField(
        label="This is a redacted copy (the original stays; the external panel and oversight see this one)",
        required=False,
    )


class DiscloseForm(forms.Form):
    to = forms.ChoiceField(
        label="Disclosed to", choices=[("officer", "The officer"), ("complainant", "The complainant")],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label="Date disclosed", input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )


class DestroyForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed this document and confirm it is due for deletion (the bytes go; the custody log stays)",
    )
