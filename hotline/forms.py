from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .evidence import evidence_type_sniff
from .models import HotlineCategory, HotlineEvidence, HotlineReport, HotlineReporterContact, ReporterRelationship
from .receipts import MAX_INPUT
from .services import REPORT_FIELDS

MAX_FILES = 5
ANONYMITY_CHOICES = [
    ("yes", "Yes, keep me anonymous. I will use my receipt code to follow up."),
    ("no", "No, you may contact me. I will give my details below."),
]


def _max(model, name):
    return model._meta.get_field(name).max_length


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class HotlineReportForm(forms.Form):
    """The public report. Every field is limited in size; only the category and what happened are required."""

    category = forms.ChoiceField(label="What is it about?", choices=HotlineCategory.choices, widget=forms.RadioSelect)
    what_happened = forms.CharField(
        label="What happened?",
        help_text="Tell us in your own words. Include anything you think matters.",
        max_length=_max(HotlineReport, "what_happened"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    when_happened = forms.CharField(
        label="When did it happen?",
        help_text="A date or a rough time is fine, for example 'last March'.",
        max_length=_max(HotlineReport, "when_happened"),
        required=False,
    )
    where_happened = forms.CharField(
        label="Where did it happen?", max_length=_max(HotlineReport, "where_happened"), required=False
    )
    officer_name_given = forms.CharField(
        label="Their name, if you know it", max_length=_max(HotlineReport, "officer_name_given"), required=False
    )
    collar_number_given = forms.CharField(
        label="Their collar or shoulder number, if you know it",
        max_length=_max(HotlineReport, "collar_number_given"),
        required=False,
    )
    vehicle_given = forms.CharField(
        label="A vehicle registration or call sign, if you know it",
        max_length=_max(HotlineReport, "vehicle_given"),
        required=False,
    )
    officer_description = forms.CharField(
        label="What do they look like?",
        help_text="Anything that would help us find the right person.",
        max_length=_max(HotlineReport, "officer_description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    relationship = forms.ChoiceField(
        label="How do you know about it?",
        choices=ReporterRelationship.choices,
        initial=ReporterRelationship.NOT_SAID,
        widget=forms.RadioSelect,
    )
    evidence = MultipleFileField(
        label="Files that show what happened",
        help_text=f"Up to {MAX_FILES} files: PDF, JPEG, PNG or plain text, 10 MB each at most.",
        required=False,
    )
    anonymous = forms.ChoiceField(
        label="Do you want to stay anonymous?", choices=ANONYMITY_CHOICES, widget=forms.RadioSelect
    )
    contact_name = forms.CharField(label="Your name", max_length=_max(HotlineReporterContact, "name"), required=False)
    contact_email = forms.EmailField(
        label="Your email address", max_length=_max(HotlineReporterContact, "email"), required=False
    )
    contact_phone = forms.CharField(
        label="Your phone number", max_length=_max(HotlineReporterContact, "phone"), required=False
    )
    # The honeypot: hidden from people (and screen readers), left empty by them, filled by bots.
    website = forms.CharField(
        label="Leave this field empty",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The check-answers page: its sections, in the order of the form (the files are chosen on that page).
    CHECK_SECTIONS = (
        ("What happened", ("category", "what_happened", "when_happened", "where_happened")),
        ("Who did it", ("officer_name_given", "collar_number_given", "vehicle_given", "officer_description")),
        ("About you", ("relationship", "anonymous", "contact_name", "contact_email", "contact_phone")),
    )
    CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_FILES} files.")
        for upload in files:
            if upload.size > HotlineEvidence.MAX_BYTES:
                raise forms.ValidationError(f"{upload.name} is larger than 10 MB.")
            if evidence_type_sniff(upload) is None:
                raise forms.ValidationError(
                    f"{upload.name} is not a PDF, JPEG, PNG or plain text file, so we cannot accept it."
                )
        return files

    def clean(self):
        data = super().clean()
        wants_contact = data.get("anonymous") == "no"
        if (
            wants_contact
            and not (data.get("contact_email") or data.get("contact_phone"))
            and ("contact_email" not in self.errors)
        ):
            self.add_error("contact_email", "You chose to give your details: give an email address or a phone number.")
        return data

    def answered_fields(self) -> list[str]:
        """The answers the check page carries back (as hidden inputs: nothing is kept on the server
        between the two pages). Contact details only from a reporter who chose to give them."""
        names = [name for _, names in self.CHECK_SECTIONS for name in names]
        if self.cleaned_data.get("anonymous") != "no":
            names = [n for n in names if n not in self.CONTACT_FIELDS]
        return names

    def check_answers(self) -> list[tuple[str, list[dict]]]:
        """(heading, rows) for the GOV.UK summary list: each row the question and the answer in words."""
        kept = set(self.answered_fields())
        sections = []
        for heading, names in self.CHECK_SECTIONS:
            rows = []
            for name in (n for n in names if n in kept):
                bound = self[name]
                value = self.cleaned_data.get(name)
                choices = getattr(self.fields[name], "choices", None)
                answer = dict(choices).get(value, value) if choices else value
                rows.append({"field": bound, "answer": answer})
            sections.append((heading, rows))
        return sections

    def focus(self, name: str) -> bool:
        """Coming back from a Change button: that question takes the focus (no script needed)."""
        if name not in {n for _, names in self.CHECK_SECTIONS for n in names}:
            return False
        self.fields[name].widget.attrs["autofocus"] = True
        return True

    def report_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in REPORT_FIELDS}

    def contact(self) -> dict:
        return {
            "name": self.cleaned_data["contact_name"],
            "email": self.cleaned_data["contact_email"],
            "phone": self.cleaned_data["contact_phone"],
        }


class NoEchoTextInput(forms.TextInput):
    """A code that was refused is not written back into the page: every wrong code gets the same page."""

    def format_value(self, value):
        return None


class ReceiptField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Whatever was typed is hashed like any other wrong code; a NUL is no reason for another answer.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class ReceiptLookupForm(forms.Form):
    receipt = ReceiptField(
        label="Your receipt code",
        help_text="The code you were given when you sent your report, for example 7K3M-QX9P-2B8R-T4VW-HN6C.",
        widget=NoEchoTextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters", "maxlength": MAX_INPUT}
        ),
    )

    def clean_receipt(self):
        # No length error: an over-long code is just another wrong code, answered like any other.
        return self.cleaned_data["receipt"][:MAX_INPUT]


class ReporterReplyForm(forms.Form):
    body = forms.CharField(label="Your message", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
