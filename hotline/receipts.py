"""Receipt codes: the only key a reporter holds to their report (GlobaLeaks' model).

A code is 20 characters from a 32-letter alphabet (100 bits from `secrets`), shown once as five
groups of four. Only an argon2id hash is stored, under a fixed application salt so that the same
code always gives the same hash and look-up is one indexed query. With 100 random bits guessing is
hopeless whatever the hash costs; the slow hash protects the codes if the table ever leaks, and the
costs are kept moderate so that a submission stays cheap (see bench/README.md for the figures).
"""

import hashlib
import hmac
import secrets

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

# Crockford's base32: no I, L, O or U, so nothing is misread when copied by hand.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
# Longer input than this is not a code; it is cut before hashing so every attempt costs the same.
MAX_INPUT = 64
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def receipt_generate() -> str:
    """A new receipt code, grouped for reading: e.g. 7K3M-QX9P-2B8R-T4VW-HN6C."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


# A one-time submission token (hidden in the report form, never stored) is this long; anything else is ignored.
TOKEN_LENGTH = 43


def submission_token_new() -> str:
    return secrets.token_urlsafe(32)


def receipt_for_token(token: str) -> str | None:
    """The receipt a form with this one-time token gets: derived, not drawn, so a double-clicked or resent
    form recomputes the same code instead of filing a second report (and nothing needs keeping to show it
    again). HMAC-SHA256 under a server key over a 256-bit random token: the code is as unguessable as a
    drawn one to anyone without both. None for a missing or malformed token (a random code then)."""
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH or not token.isascii():
        return None
    key = hashlib.sha256(f"hotline-receipt-derivation:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, token.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    raw = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def receipt_normalise(code: str) -> str:
    """What the reporter typed, as the canonical code: spaces and dashes dropped, case and
    look-alike letters folded. Anything else is left in, so it simply matches nothing."""
    cleaned = "".join(ch for ch in code[:MAX_INPUT] if ch not in " -\t\r\n")
    return cleaned.upper().translate(_READS_AS)


def _salt() -> bytes:
    configured = settings.HOTLINE_RECEIPT_SALT
    source = configured or f"hotline-receipt-salt:{settings.SECRET_KEY}"
    return hashlib.sha256(source.encode()).digest()[:16]


def receipt_hash(code: str) -> str:
    """The stored form of a code: hex argon2id of the normalised code. Same cost for any input."""
    digest = hash_secret_raw(
        secret=receipt_normalise(code).encode("utf-8", "surrogatepass"),
        salt=_salt(),
        time_cost=settings.HOTLINE_ARGON2_TIME_COST,
        memory_cost=settings.HOTLINE_ARGON2_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return digest.hex()
