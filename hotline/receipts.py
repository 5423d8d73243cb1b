"""Receipt codes: the only key a reporter holds to their report (GlobaLeaks' model).

A code is 20 characters from a 32-letter alphabet (100 bits from `secrets`), shown once as five
groups of four. Only an argon2id hash is stored, under a fixed application salt so that the same
code always gives the same hash and look-up is one indexed query. With 100 random bits guessing is
hopeless whatever the hash costs; the slow hash protects the codes if the table ever leaks, and the
costs are kept moderate so that a submission stays cheap (see bench/README.md for the figures).
"""

import hashlib
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
