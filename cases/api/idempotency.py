"""Idempotency keys on the API's writes: a client sends `Idempotency-Key: <its own unique string>` with a
POST; repeating the POST with the same key (a retry after a timeout, a double send) returns the first
result instead of writing again. The key becomes the one-time token of the service's own
`submission_claim` (cases/services/submissions.py), scoped to the caller, so two callers' keys never
collide and a key cannot be replayed by anyone else."""

import hashlib

from rest_framework.exceptions import ValidationError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def idempotency_token(request) -> str:
    """The once-token for this request's key ("" without a key: the write is simply done)."""
    key = request.headers.get(HEADER, "")
    if not key:
        return ""
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError({HEADER: [f"Send at most {MAX_KEY_LENGTH} printable characters."]})
    return hashlib.sha256(f"api:{request.user.pk}:{key}".encode()).hexdigest()
