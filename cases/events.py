"""Domain events the cases app publishes for the apps above it (vetting, hotline) to act on.

Sent only after the transaction that caused them commits, so subscribers never act on a change
that was rolled back. Subscribers connect in their AppConfig.ready() and call their own services."""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# An Onyx reviewer decided "formal risk management" (kwargs: review_id, officer_id, actor_id).
onyx_risk_management_decided = Signal()

# A case moved along its workflow (kwargs: case_id, officer_id, action, outcome, severity, actor_id). The
# subscribers decide which moves matter to them (a severity assessment, an outcome), not this app.
case_moved = Signal()

# A caution or conviction was recorded against a member of the force (kwargs: conviction_id, officer_id,
# actor_id).
conviction_recorded = Signal()

# A report from the public was linked to the officer it is about (kwargs: report_id, officer_id, actor_id).
# Defined here, on the ground floor, so the app that takes the reports and the apps that act on them
# never name each other.
report_linked_to_officer = Signal()


def publish_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=None, **kwargs))
