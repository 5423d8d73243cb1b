"""Manage API clients from the shell: create, list, rotate, revoke. The token is printed once.

manage.py api_client create --name "PCC office" --role oversight --by admin
manage.py api_client create --name "Case sync" --role dps_investigator --user jsmith --by admin
manage.py api_client list
manage.py api_client rotate --name "PCC office" --by admin
manage.py api_client revoke --name "PCC office" --by admin
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.models import ApiClient
from cases.services.access import DomainError
from cases.services.api_clients import api_client_create, api_client_revoke, api_client_rotate


class Command(BaseCommand):
    help = "Create, list, rotate or revoke API clients (tokens are printed once)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "rotate", "revoke"])
        parser.add_argument("--name")
        parser.add_argument("--role")
        parser.add_argument("--user", help="the user a staff-role client acts as")
        parser.add_argument("--by", help="the administrator (a superuser) doing this")

    def handle(self, *args, action, name, role, user, by, **options):
        if action == "list":
            for client in ApiClient.objects.select_related("user"):
                state = "revoked" if client.revoked_at else f"expires {client.token_expires_at:%Y-%m-%d}"
                used = f"last used {client.last_used_at:%Y-%m-%d %H:%M}" if client.last_used_at else "never used"
                self.stdout.write(f"{client.name}\t{client.role}\t{client.user.get_username()}\t{state}\t{used}")
            return
        users = get_user_model().objects
        admin = users.filter(username=by).first() if by else None
        if admin is None:
            raise CommandError("--by: give the username of an administrator (a superuser).")
        try:
            if action == "create":
                bound = None
                if user:
                    bound = users.filter(username=user).first()
                    if bound is None:
                        raise CommandError(f"--user: no user {user!r}.")
                client, token = api_client_create(name=name, role=role, user=bound, by=admin)
            else:
                client = ApiClient.objects.filter(name=name).first()
                if client is None:
                    raise CommandError(f"--name: no client {name!r}.")
                if action == "revoke":
                    api_client_revoke(client_id=client.pk, by=admin)
                    self.stdout.write(f"Revoked {client.name}.")
                    return
                client, token = api_client_rotate(client_id=client.pk, by=admin)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{client.name}: token (shown once, keep it secret): {token}")
        self.stdout.write(f"Expires {client.token_expires_at:%Y-%m-%d}. Send it as: Authorization: Token <token>")
