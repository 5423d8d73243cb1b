"""One-time form tokens: a create that a double click can repeat (record an allegation, start a
review programme, open a case from allegations) is done once per token.

The form carries a random token (`submission_token_new`). The service claims it in the same
transaction as its create (`submission_claim`): the first POST inserts the FormSubmission row; a
second POST with the same token waits on the unique index until the first commits, then finds the
row and is given the first result (`claim.replayed`). If the first rolled back, the token is free
again and the second proceeds as a first."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ..errors import DomainError
from ..models import FormSubmission

TOKEN_BYTES = 24


def submission_token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass
class Claim:
    row: FormSubmission | None
    replayed_id: int | None = None

    @property
    def replayed(self) -> bool:
        return self.replayed_id is not None

    def done(self, result_id: int) -> None:
        """Record what the first POST made, in its transaction."""
        if self.row is not None:
            self.row.result_id = result_id
            self.row.save(update_fields=["result_id"])


def submission_claim(*, token: str, by, purpose: str) -> Claim:
    """Claim a one-time token; call inside the create's transaction. An empty token claims nothing
    (callers other than a form, e.g. the hotline's triage service, have their own state checks)."""
    if not token:
        return Claim(row=None)
    if len(token) > FormSubmission._meta.get_field("token").max_length:
        raise DomainError("This form has expired: reload the page and try again.")
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a repeat
            return Claim(row=FormSubmission.objects.create(token=token, user=by, purpose=purpose))
    except IntegrityError:
        earlier = FormSubmission.objects.get(token=token)
    if earlier.user_id != by.pk or earlier.purpose != purpose or earlier.result_id is None:
        raise DomainError("This form was already sent: reload the page and try again.")
    return Claim(row=None, replayed_id=earlier.result_id)
