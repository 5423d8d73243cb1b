"""Constraint tests name the constraint they expect: a row refused for another reason (a different
constraint, a NOT NULL column, a bad foreign key) does not count as the rule holding."""

import contextlib

import pytest
from django.db import IntegrityError, transaction


def violated(error: IntegrityError) -> str:
    """The name of the constraint PostgreSQL says the row broke (or `not null: <column>`)."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is None:
        return str(error)  # SQLite names only some constraints in its message
    return diag.constraint_name or f"not null: {diag.column_name}"


@contextlib.contextmanager
def refused_by(constraint: str):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        yield
    name = violated(refused.value)
    assert name == constraint or (constraint in name and "constraint failed" in name), name


def rejected(constraint: str, factory, **kwargs):
    """factory(**kwargs) is refused by the named constraint."""
    with refused_by(constraint):
        factory(**kwargs)
