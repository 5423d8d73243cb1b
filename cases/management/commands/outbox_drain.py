"""python manage.py outbox_drain

Publishes every task still waiting in the outbox (its publish failed because the broker was down).
Beat does the same every minute; run this after a broker outage to catch up at once."""

from django.core.management.base import BaseCommand, CommandError

from cases.models import OutboxTask
from cases.queue import outbox_drain


class Command(BaseCommand):
    help = "Publish the Celery tasks still waiting in the outbox."

    def handle(self, *args, **options):
        dispatched = outbox_drain()
        waiting = OutboxTask.objects.filter(dispatched_at__isnull=True).count()
        self.stdout.write(f"{dispatched} dispatched, {waiting} still waiting")
        if waiting:
            raise CommandError("The broker did not take every task; run again when it is back.")
