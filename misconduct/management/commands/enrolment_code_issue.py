from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from misconduct.enrolment import enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time code with which a staff account may enrol its authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account called {username!r}.")
        code = enrolment_code_issue(user=user)
        self.stdout.write(f"Enrolment code for {username} (give it to them in person; it works once):")
        self.stdout.write(code)
