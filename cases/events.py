"""Domain events the cases app publishes for the apps above it (vetting, hotline) to act on.

Sent only after the transaction that caused them commits, so subscribers never act on a change
that was rolled back. Subscribers connect in their AppConfig.ready() and call their own services."""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# An Onyx reviewer decided "formal risk management" (kwargs: review_id, officer_id, actor_id).
onyx_risk_management_decided = Signal()


def publish_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=None, **kwargs))
