"""Stable pseudonymous ids for oversight readers.

An oversight body studies repeat subjects without learning who they are: each officer appears under
`HMAC-SHA256(OVERSIGHT_PSEUDONYM_KEY, audience + officer's opaque id)`, the same for every response
to that audience and unlinkable across audiences. The audience is the API client (one per data-sharing
agreement), or the signed-in oversight user. The key lives outside the database (an environment
variable or a secrets file); rotating it, or issuing a new client for a new agreement, gives a new set
of pseudonyms that cannot be joined to the old."""

import hashlib
import hmac

from django.conf import settings

PREFIX = "p-"


def audience_of(user) -> str:
    client = getattr(user, "api_client", None)
    if client is not None:
        return f"client:{client.public_id}"
    return f"user:{getattr(user, 'pk', '')}"


def officer_pseudonym(*, officer_public_id, audience: str) -> str:
    digest = hmac.new(
        settings.OVERSIGHT_PSEUDONYM_KEY.encode(), f"{audience}|{officer_public_id}".encode(), hashlib.sha256
    ).hexdigest()
    return PREFIX + digest[:24]


# Length of service, banded so a join date cannot pick a person out.
SERVICE_BANDS = ((2, "under 2 years"), (5, "2 to 5 years"), (10, "5 to 10 years"), (20, "10 to 20 years"))


def service_band(*, joined_on, on) -> str:
    if joined_on is None or on is None:
        return "not known"
    years = (on - joined_on).days / 365.25
    for limit, label in SERVICE_BANDS:
        if years < limit:
            return label
    return "20 years or more"
