"""Second-factor enrolment: who may see a new authenticator secret.

A password alone must never reveal a TOTP secret (trust on first use would give the second factor to
whoever signs in first with a leaked password). Enrolment needs a one-time code that an administrator
issued for that account and handed over out of band."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import EnrolmentCode

# Ten groups of four from an alphabet without look-alikes: 200 bits, so a plain SHA-256 is enough
# to store it (nothing to brute-force), and the look-up is by that hash.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_GROUPS, _GROUP_LEN = 10, 4


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in _ALPHABET)


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def enrolment_code_issue(*, user, by=None) -> str:
    """Issue a new code for the account and return it (shown once, never stored). Any earlier
    unused code of the account stops working, so only the latest handed-out code counts."""
    now = timezone.now()
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LEN))
    code = "-".join(raw[i : i + _GROUP_LEN] for i in range(0, len(raw), _GROUP_LEN))
    hours = settings.TWO_FACTOR_ENROLMENT_CODE_HOURS
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        EnrolmentCode.objects.create(
            user=user, code_hash=_hash(code), issued_at=now, expires_at=now + timedelta(hours=hours), issued_by=by
        )
    return code


def enrolment_code_redeem(*, user, code: str) -> bool:
    """Spend the code once, for its own account, before it expires. Claimed with a conditional
    update, so two requests racing with the same code cannot both succeed."""
    if not code or len(code) > 100:
        return False
    now = timezone.now()
    claimed = EnrolmentCode.objects.filter(
        user=user, code_hash=_hash(code), used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    return claimed == 1
