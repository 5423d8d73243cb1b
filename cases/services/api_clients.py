"""Creating, rotating and revoking API clients (cases.models.ApiClient). Only an administrator (a
superuser) manages clients; the token is returned once, to be handed to the client, and only its
digest is kept. A token expires after API_TOKEN_TTL_DAYS; rotating issues a new one and the old stops
working at once; revoking ends the client for good."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from knox.models import AuthToken

from cases.models import ApiClient
from cases.roles import Role, user_roles

from .access import DomainError

# Roles a client may be bound to; each one's reads go through that role's selectors.
CLIENT_ROLES = frozenset(Role.values)


def _check_administrator(by) -> None:
    if not (by and by.is_active and by.is_superuser):
        raise DomainError("Only an administrator may manage API clients.")


def _token_issue(client: ApiClient) -> str:
    ttl = dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    token_row, token = AuthToken.objects.create(user=client.user, expiry=ttl)
    client.token = token_row
    client.token_expires_at = token_row.expiry
    return token


@transaction.atomic
def api_client_create(*, name: str, role: str, by, user=None) -> tuple[ApiClient, str]:
    """A new client and its first token. A staff-role client acts as `user`, who must hold the role;
    an oversight client with no user gets an account of its own holding only the oversight role."""
    _check_administrator(by)
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the client a name.", field="name")
    if role not in CLIENT_ROLES:
        raise DomainError("Choose one of the roles.", field="role")
    if ApiClient.objects.filter(name=name).exists():
        raise DomainError("A client with this name exists already.", field="name")
    if user is None:
        if role != Role.OVERSIGHT:
            raise DomainError("A client for a staff role acts as a named user: choose one.", field="user")
        user = get_user_model().objects.create_user(username=f"api-{slugify(name)[:40]}", password=None)
        user.groups.add(Group.objects.get(name=Role(role).label))
    elif role not in user_roles(user):
        raise DomainError(f"{user.get_username()} does not hold the role {Role(role).label}.", field="user")
    client = ApiClient(name=name, role=role, user=user, created_by=by, updated_by=by)
    token = _token_issue(client)
    client.save()
    return client, token


def _locked(client_id: int) -> ApiClient:
    client = ApiClient.objects.select_for_update().filter(pk=client_id).first()
    if client is None:
        raise DomainError("No such client.")
    return client


@transaction.atomic
def api_client_rotate(*, client_id: int, by) -> tuple[ApiClient, str]:
    """A new token for the client; the old one stops working now."""
    _check_administrator(by)
    client = _locked(client_id)
    if client.revoked_at is not None:
        raise DomainError("This client was revoked; create a new one.")
    old = client.token_id
    token = _token_issue(client)
    client.updated_by = by
    client.save(update_fields=["token", "token_expires_at", "updated_by", "updated_at"])
    if old:
        AuthToken.objects.filter(digest=old).delete()
    return client, token


@transaction.atomic
def api_client_revoke(*, client_id: int, by) -> ApiClient:
    """The client's token is deleted and the client can never be given another (idempotent)."""
    _check_administrator(by)
    client = _locked(client_id)
    if client.revoked_at is not None:
        return client
    old = client.token_id
    client.token = None
    client.revoked_at = timezone.now()
    client.revoked_by = by
    client.updated_by = by
    client.save(update_fields=["token", "revoked_at", "revoked_by", "updated_by", "updated_at"])
    if old:
        AuthToken.objects.filter(digest=old).delete()
    return client


# A client's last use is written at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_client_used(*, client: ApiClient) -> None:
    now = timezone.now()
    if client.last_used_at and now - client.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
