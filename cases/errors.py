"""The one error the domain raises when its rules refuse a request."""


class DomainError(Exception):
    """A request the rules refuse; views show it as a message, the API as 400/409.

    `field` names the form field the refusal is about (or None for the whole request), so a form
    can show the service's own rule next to the input it concerns."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
