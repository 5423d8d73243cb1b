"""The project's part of the demo (registered with the seed in cases.demo): how the demo logins sign in
when the app does not run in demo mode."""

from django.conf import settings
from django.contrib.auth import get_user_model

from cases.demo import demo_login_note

from .enrolment import enrolment_code_issue


@demo_login_note
def enrolment_codes(usernames: list[str]) -> list[str]:
    """Outside DEMO_MODE demo logins need a second factor too, and enrolling one needs a code."""
    if settings.DEMO_MODE or not usernames:
        return []
    lines = ["Two-factor enrolment codes (DEMO_MODE is off; each works once):"]
    for user in get_user_model().objects.filter(username__in=usernames).order_by("username"):
        lines.append(f"  {user.username}: {enrolment_code_issue(user=user)}")
    return lines
