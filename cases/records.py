"""The kinds of record the platform's pages can point at, each with who may open it and where it lives.

cases registers its own kinds (cases/record_kinds.py, from CasesConfig.ready); an app above it
(the hotline, vetting) registers its kinds from its AppConfig.ready. The access audit
(`selectors.access_records`) and a risk flag's reasons (`risk.selectors.risk_reason_records`,
`risk.views`) read this registry, so cases never names a model or URL of an app above it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class RecordKind:
    label: str  # "app_label.modelname", as a risk reason names its records
    readable: Callable[..., QuerySet]  # readable(user) -> the rows this user may open
    link: Callable[[object], tuple[str, str]]  # link(obj) -> (text, url)
    audit_type: str = ""  # AccessRecord.object_type for this kind; "" when reads are not audited
    # True: a risk flag's reasons name rows of this kind about the flag's officer to anyone who may
    # read the flag (the reference only; opening the row still goes through `readable`).
    reasons_by_officer: bool = False
    # The fields `link` reads (`only()` on a page that links many rows, such as a flag's reasons);
    # empty: the whole row.
    link_fields: tuple[str, ...] = ()


_kinds: dict[str, RecordKind] = {}


def record_kind_register(kind: RecordKind) -> None:
    _kinds[kind.label] = kind


def record_kind(label: str) -> RecordKind | None:
    return _kinds.get(label)


def audited_record_kinds() -> list[RecordKind]:
    return [k for k in _kinds.values() if k.audit_type]
