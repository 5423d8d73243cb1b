"""Vetting's periodic jobs (beat schedule in misconduct/settings.py): thin, idempotent wrappers."""

from celery import shared_task


@shared_task(name="vetting.tasks.clearance_expiry_daily", acks_late=True, ignore_result=True)
def clearance_expiry_daily(day: str | None = None) -> int:
    """Expire what has expired, write the day's notices (once per clearance per threshold), send them."""
    import datetime as dt

    from django.utils import timezone

    from cases.queue import enqueue_on_commit

    from .services import clearance_notices_create, clearances_expire

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    clearances_expire(day=today)
    unsent = clearance_notices_create(day=today)
    if unsent:
        enqueue_on_commit(clearance_notices_send_task)
    return len(unsent)


@shared_task(
    name="vetting.tasks.clearance_notices_send_task",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=5,
)
def clearance_notices_send_task() -> int:
    """Send every unsent notice; a mail failure leaves the rest for the next run (hourly in beat)."""
    from .services import clearance_notices_send

    return clearance_notices_send()


@shared_task(name="vetting.tasks.revetting_draw_monthly", acks_late=True, ignore_result=True)
def revetting_draw_monthly(day: str | None = None) -> int:
    """The month's randomised re-vetting draw; running it again in the same month draws nothing new."""
    import datetime as dt

    from django.utils import timezone

    from .services import revetting_draw

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return revetting_draw(period=today).pk


# The PND import task is defined beside its service (which enqueues it) so that the two do not import each
# other; importing it here registers it under this module's name for the worker.
from .services.pnd_import import pnd_import_task  # noqa: E402, F401
