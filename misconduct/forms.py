from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length


class LoginForm(AuthenticationForm):
    """Django's AuthenticationForm sets the username's max_length after the field is built, so the
    length is never validated and an over-long name reached django-axes' 255-character column (500).
    Validated here, before `authenticate()` and its failure signal run."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label="Enrolment code from your administrator",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
