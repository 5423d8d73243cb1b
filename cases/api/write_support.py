"""What every API write shares: the Idempotency-Key header in the schema, a browser form's field errors as
the API's one error body, and the responses a write may answer with."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from .allegations import REFUSED
from .idempotency import HEADER
from .views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Your own unique string: a repeat with the same key returns the first result.",
)


def write_responses(ok_status: int, ok_body) -> dict:
    return {ok_status: ok_body, 400: REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}


def form_refused(form) -> ValidationError:
    """The browser form's errors as {field: [message]} (`non_field_errors` for the form as a whole)."""
    errors = form.errors.get_json_data()
    return ValidationError(
        {("non_field_errors" if f == "__all__" else f): [e["message"] for e in msgs] for f, msgs in errors.items()}
    )
