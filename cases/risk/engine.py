"""The rule registry. Each app states its rules in its own risk_rules.py and registers them here
(autodiscovered, like admin.py), so the core never imports the apps above it.

A rule is a function over many officers at once:
    evaluate(*, params, as_of, officer_ids) -> {officer_id: Hit}
with officer_ids None for the whole force, or a list to restrict it. It runs a few set-based
queries whatever the number of officers. Each rule also names the models it watches and how to
find the officer in a saved row, so a change enqueues that officer's recompute."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import autodiscover_modules

from ..calendar import months_before  # noqa: F401 - the rule modules' shared window arithmetic
from .models import FlagLevel, RuleSeverity


@dataclass(frozen=True)
class Reason:
    text: str
    model: str  # "app_label.modelname" of the records behind it
    ids: tuple[int, ...]

    def as_json(self) -> dict:
        return {"text": self.text, "model": self.model, "ids": sorted(self.ids)}


@dataclass(frozen=True)
class Hit:
    level: str
    reasons: tuple[Reason, ...]

    def reasons_json(self) -> list[dict]:
        return [r.as_json() for r in self.reasons]

    def digest(self) -> str:
        payload = json.dumps([self.level, self.reasons_json()], sort_keys=True, separators=(",", ":"))
        return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()


def record_keys(reasons_json: list[dict]) -> set[str]:
    """The "app.model:id" keys of every record behind a flag's reasons."""
    return {f"{r['model']}:{i}" for r in reasons_json for i in r["ids"]}


@dataclass(frozen=True)
class Watch:
    """A model whose changes can change a rule's result for the officer `officer_id(row)` names."""

    model: str  # "app_label.ModelName"
    officer_id: Callable[[object], int | None]


@dataclass(frozen=True)
class RuleDefinition:
    code: str
    description: str
    severity: str
    defaults: dict
    evaluate: Callable[..., dict[int, Hit]]
    watches: tuple[Watch, ...] = field(default_factory=tuple)


_registry: dict[str, RuleDefinition] = {}


def register(*, code: str, description: str, severity: str, defaults: dict, watches: Iterable[Watch] = ()) -> Callable:
    """Decorator: register an evaluate function as a named rule."""
    if severity not in RuleSeverity.values:
        raise ValueError(f"unknown severity {severity!r}")

    def decorate(evaluate):
        _registry[code] = RuleDefinition(code, description, severity, dict(defaults), evaluate, tuple(watches))
        return evaluate

    return decorate


def registered_rules() -> dict[str, RuleDefinition]:
    return dict(_registry)


def autodiscover() -> None:
    autodiscover_modules("risk_rules")


def connect_watches() -> None:
    """post_save/post_delete of every watched model enqueues that officer's recompute."""
    by_model: dict[str, list[Callable]] = {}
    for rule in _registry.values():
        for watch in rule.watches:
            by_model.setdefault(watch.model, []).append(watch.officer_id)
    for label, getters in by_model.items():
        model = apps.get_model(label)
        receiver = _make_receiver(tuple(getters))
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"risk.watch.save.{label}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"risk.watch.delete.{label}")


def _make_receiver(getters):
    def receive(sender, instance, **kwargs):
        from cases.queue import enqueue_on_commit

        from .tasks import risk_recompute_officer_task

        for officer_id in {g(instance) for g in getters} - {None}:
            enqueue_on_commit(risk_recompute_officer_task, officer_id)

    return receive


def sync_rule_rows(**kwargs) -> None:
    """Give every registered rule a row supervisors can tune (after migrate and flush)."""
    from .models import RiskRule

    existing = set(RiskRule.objects.values_list("code", flat=True))
    RiskRule.objects.bulk_create(
        [
            RiskRule(code=r.code, description=r.description, severity=r.severity, parameters=r.defaults)
            for r in _registry.values()
            if r.code not in existing
        ]
    )


# Small shared pieces the rule modules use.


def threshold_level(count: int, *, warning: int, critical: int) -> str | None:
    if count >= critical:
        return FlagLevel.CRITICAL
    if count >= warning:
        return FlagLevel.WARNING
    return None


def restrict(queryset, officer_ids, field_name: str):
    return queryset if officer_ids is None else queryset.filter(**{f"{field_name}__in": officer_ids})


def group_pairs(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """(officer_id, record_id) rows -> {officer_id: [record_id, ...]}, in one pass."""
    grouped: dict[int, list[int]] = {}
    for officer_id, record_id in pairs:
        grouped.setdefault(officer_id, []).append(record_id)
    return grouped
