"""The rule registry. Each app states its rules in its own risk_rules.py and registers them here
(autodiscovered, like admin.py), so the core never imports the apps above it.

A rule is a function over many officers at once:
    evaluate(*, params, as_of, officer_ids) -> {officer_id: Hit}
with officer_ids None for the whole force, or a list to restrict it. It runs a few set-based
queries whatever the number of officers. Each rule also names the models it watches and how to
find the officer in a saved row, so a change enqueues that officer's recompute."""

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Aggregate, Field
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
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
        payload = _DIGEST_ENCODER.encode([self.level, self.reasons_json()])
        return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()


# The same text as json.dumps(..., sort_keys=True, separators=(",", ":")), whose digests are stored: one encoder
# for every hit rather than one built per call (json.dumps with options builds one each time: 4.1 -> 2.7 us a hit).
_DIGEST_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def record_keys(reasons_json: list[dict]) -> set[str]:
    """The "app.model:id" keys of every record behind a flag's reasons."""
    return {f"{r['model']}:{i}" for r in reasons_json for i in r["ids"]}


@dataclass(frozen=True)
class Watch:
    """A model whose changes can change a rule's result for the officer `officer_id(row)` names."""

    model: str  # "app_label.ModelName"
    officer_id: Callable[[object], int | None]


# What a rule's parameter may be. Each rule declares one for every parameter, next to its defaults,
# so a supervisor's tuning is checked against the rule's own limits before it is stored: a value the
# rule cannot run with (months=100000, a level that does not exist) must never reach a recompute.


@dataclass(frozen=True)
class Whole:
    """A whole number from low to high."""

    low: int
    high: int

    def check(self, value) -> str | None:
        if type(value) is not int:
            return "must be a whole number"
        if not self.low <= value <= self.high:
            return f"must be from {self.low} to {self.high}"
        return None


@dataclass(frozen=True)
class Number:
    """A number (whole or not) from low to high."""

    low: float
    high: float

    def check(self, value) -> str | None:
        if type(value) not in (int, float):
            return "must be a number"
        if not self.low <= value <= self.high:
            return f"must be from {self.low:g} to {self.high:g}"
        return None


@dataclass(frozen=True)
class OneOf:
    """One of a few words."""

    choices: tuple[str, ...]

    def check(self, value) -> str | None:
        if value not in self.choices:
            return f"must be one of: {', '.join(self.choices)}"
        return None


@dataclass(frozen=True)
class SomeOf:
    """A list of distinct words from the choices, at least `at_least` of them."""

    choices: tuple[str, ...]
    at_least: int = 1

    def check(self, value) -> str | None:
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            return "must be a list of words"
        unknown = [v for v in value if v not in self.choices]
        if unknown:
            return f"has unknown values ({', '.join(unknown)}): choose from {', '.join(self.choices)}"
        if len(set(value)) != len(value):
            return "lists a value twice"
        if len(value) < self.at_least:
            return f"needs at least {self.at_least}"
        return None


@dataclass(frozen=True)
class RuleDefinition:
    code: str
    description: str
    severity: str
    defaults: dict
    evaluate: Callable[..., dict[int, Hit]]
    watches: tuple[Watch, ...] = field(default_factory=tuple)
    limits: dict = field(default_factory=dict)  # parameter -> Whole | Number | OneOf | SomeOf
    ordered: tuple[tuple[str, str], ...] = ()  # (a, b): a must not exceed b, e.g. warning <= critical

    def parameter_errors(self, params: dict, changed: Iterable[str] = ()) -> dict[str, str]:
        """{parameter: what is wrong} for a complete set of parameters; empty when the rule can run them.
        An ordering broken by a change is laid on the parameter that was changed."""
        changed = set(changed)
        errors = {}
        for key, value in params.items():
            limit = self.limits.get(key)
            problem = "is not a parameter of this rule" if limit is None else limit.check(value)
            if problem:
                errors[key] = problem
        for low, high in self.ordered:
            if low not in errors and high not in errors and params[low] > params[high]:
                if low in changed and high not in changed:
                    errors[low] = f"must not be more than {high} ({params[high]})"
                else:
                    errors[high] = f"must not be less than {low} ({params[low]})"
        return errors


_registry: dict[str, RuleDefinition] = {}


def register(
    *,
    code: str,
    description: str,
    severity: str,
    defaults: dict,
    limits: dict,
    ordered: Iterable[tuple[str, str]] = (),
    watches: Iterable[Watch] = (),
) -> Callable:
    """Decorator: register an evaluate function as a named rule. Every parameter has a limit, and
    the defaults keep within them."""
    if severity not in RuleSeverity.values:
        raise ValueError(f"unknown severity {severity!r}")
    if set(limits) != set(defaults):
        raise ValueError(f"rule {code}: declare a limit for each parameter, and only for those")

    def decorate(evaluate):
        rule = RuleDefinition(
            code, description, severity, dict(defaults), evaluate, tuple(watches), dict(limits), tuple(ordered)
        )
        if rule.parameter_errors(rule.defaults):
            raise ValueError(f"rule {code}: defaults outside their limits: {rule.parameter_errors(rule.defaults)}")
        _registry[code] = rule
        return evaluate

    return decorate


def rule_label(code: str) -> str:
    """A rule's code in words for the pages ("sexual_or_domestic_abuse_allegation" -> "Sexual or domestic
    abuse allegation"): staff never read a code."""
    return code.replace("_", " ").capitalize()


def registered_rules() -> dict[str, RuleDefinition]:
    return dict(_registry)


# Sent when records a rule watches change (officer_ids) and when a rule's parameters change. The
# engine knows no task: the task module listens (cases/risk/tasks.py, connected in RiskConfig.ready).
officer_records_changed = Signal()
rules_changed = Signal()
_gathering = threading.local()


@contextmanager
def officer_changes_gathered():
    """Inside this block (a bulk import), changes to watched records are gathered rather than each
    sending its officers' recompute; on leaving it, one `officer_records_changed` names them all, with
    `gathered=True`, so the listener enqueues one set-based recompute. Nested blocks gather into the
    outermost."""
    if getattr(_gathering, "ids", None) is not None:
        yield
        return
    _gathering.ids = set()
    try:
        yield
    finally:
        ids, _gathering.ids = _gathering.ids, None
        if ids:
            officer_records_changed.send(sender=None, officer_ids=ids, gathered=True)


def officer_changes_gathering() -> set | None:
    """The set a surrounding `officer_changes_gathered` block is filling, if any."""
    return getattr(_gathering, "ids", None)


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
        officer_ids = {g(instance) for g in getters} - {None}
        if officer_ids:
            officer_records_changed.send(sender=sender, officer_ids=officer_ids)

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


class _IdList(Field):
    """What RecordIds reads back: a list of ids (PostgreSQL sends an array, SQLite a JSON text)."""

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value


class RecordIds(Aggregate):
    """The ids of a group's rows as a list, in the grouping query itself, so a rule reads each record once
    (no second query for the records of the groups that qualified): array_agg on PostgreSQL,
    json_group_array on SQLite (the demo)."""

    function = "ARRAY_AGG"

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=_IdList(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def group_pairs(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """(officer_id, record_id) rows -> {officer_id: [record_id, ...]}, in one pass."""
    grouped: dict[int, list[int]] = {}
    for officer_id, record_id in pairs:
        grouped.setdefault(officer_id, []).append(record_id)
    return grouped
