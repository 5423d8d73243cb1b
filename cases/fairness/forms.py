from django import forms

from .models import FORCE_SOURCE, DataSource


class MonitoringForm(forms.Form):
    source = forms.ChoiceField(label="Data", required=False)
    date_from = forms.DateField(
        label="Allegations received from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    command = forms.CharField(label="Command", required=False, max_length=100)
    origin = forms.CharField(label="Allegation source", required=False, max_length=100)
    category = forms.CharField(label="Category", required=False, max_length=100)
    reference = forms.CharField(label="Reference group (ethnicity)", required=False, max_length=64)
    reference_sex = forms.CharField(label="Reference group (sex)", required=False, max_length=64)
    small_below = forms.IntegerField(label="Mark groups smaller than", required=False, min_value=1, max_value=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(FORCE_SOURCE, "The force's own records")] + list(
            DataSource.objects.values_list("slug", "name")
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end of the period must be on or after its start.")
        return data


class UploadForm(forms.Form):
    source_name = forms.CharField(label="Name of the data source", max_length=200)
    mapping = forms.ChoiceField(label="Mapping", required=False)
    mapping_file = forms.FileField(label="Or upload a mapping file (TOML)", required=False)
    data_file = forms.FileField(label="Data file (CSV, or CSV compressed with gzip)")

    def __init__(self, *args, shipped=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [("", "Choose a shipped mapping")] + [(m, m) for m in shipped]

    def clean(self):
        data = super().clean()
        if not data.get("mapping") and not data.get("mapping_file"):
            self.add_error("mapping", "Choose a mapping or upload one.")
        return data
