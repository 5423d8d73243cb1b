"""The one reference allocator: human references (DPS-2026-000124, ONYX-00042, HL-2026-000007) are
numbered from a ReferenceCounter row per prefix.

One upsert statement takes the next number(s): it creates the row on first use and otherwise
increments it, and the row stays locked until the caller's transaction commits, so two callers never
get the same number and a rolled-back caller's numbers are not used by anyone else in between. Keep the
work between the allocation and the commit short: every concurrent caller on the prefix waits on it."""

from django.db import connection

from .models import ReferenceCounter


def references_reserve(*, prefix: str, count: int = 1) -> int:
    """Reserve `count` consecutive numbers under a prefix and return the first of them."""
    if count < 1:
        raise ValueError("count must be at least 1")
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last_number) VALUES (%s, %s) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (prefix) DO UPDATE SET last_number = {table}.last_number + EXCLUDED.last_number "
            "RETURNING last_number",
            [prefix, count],
        )
        (last,) = cursor.fetchone()
    return last - count + 1


def reference_next(*, prefix: str, width: int = 6) -> str:
    """The next human reference for a prefix, e.g. DPS-2026-000124."""
    return f"{prefix}-{references_reserve(prefix=prefix):0{width}d}"
