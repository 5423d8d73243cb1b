"""Mapping files: which column of someone else's CSV means what here (docs/import-mapping.md).

A mapping is TOML, checked against MAPPING_SCHEMA (JSON Schema) and then for what a schema cannot say
(a field naming a map that is not defined, a finding map giving a value that is not a finding). Every
error names where in the file it is, so the person writing the mapping can fix it without the code."""

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from .models import Finding

FORMAT = "dps-import-mapping"
VERSIONS = (1,)
STAGES = ("case", "gross_misconduct", "case_to_answer", "dismissal")
YES, NO, UNKNOWN = "yes", "no", "unknown"

_COLUMN = {"type": "string", "minLength": 1}
_FIELD = {
    "oneOf": [
        _COLUMN,
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "column": _COLUMN,
                "value": {"type": ["string", "boolean", "integer"]},
                "map": _COLUMN,
                "required": {"type": "boolean"},
                "min": {"type": "integer"},
                "max": {"type": "integer"},
                "format": {"oneOf": [_COLUMN, {"type": "array", "items": _COLUMN, "minItems": 1}]},
                "year": _COLUMN,
                "month": _COLUMN,
                "day": _COLUMN,
                "on_invalid": {"enum": ["reject", "blank"]},
            },
        },
    ]
}


def _section(*names, required=()):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": dict.fromkeys(names, _FIELD),
    }


SUBJECT_FIELDS = ("id", "first_name", "last_name", "rank", "command", "ethnicity", "sex")
COMPLAINT_FIELDS = ("id", "received", "closed")
ALLEGATION_FIELDS = (
    "id",
    "received",
    "outcome",
    "category",
    "origin",
    "text",
    "command",
    "rank",
    "subject_age",
    "complainant_ethnicity",
    "complainant_sex",
    "complainant_age",
    "finding",
    "disposition",
)
DATE_FIELDS = {"received", "closed", "outcome"}
INT_FIELDS = {"subject_age", "complainant_age"}

MAPPING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "version", "name", "subject", "allegation"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"enum": list(VERSIONS)},
        "name": _COLUMN,
        "description": {"type": "string"},
        "subjects_only_with_allegations": {"type": "boolean"},
        "input": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"delimiter": {"type": "string", "minLength": 1, "maxLength": 1}, "encoding": _COLUMN},
        },
        "subject": _section(*SUBJECT_FIELDS, required=["id"]),
        "complaint": _section(*COMPLAINT_FIELDS, required=["id"]),
        "allegation": _section(*ALLEGATION_FIELDS),
        "stages": {
            "type": "object",
            "additionalProperties": False,
            "properties": {s: {"oneOf": [{"type": "boolean"}, _FIELD]} for s in STAGES},
        },
        "maps": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "values": {"type": "object", "additionalProperties": {"type": "string"}},
                    "prefixes": {"type": "object", "additionalProperties": {"type": "string"}},
                    "unknown": {"type": "array", "items": {"type": "string"}},
                    "unknown_as": {"type": "string"},
                    "other": {"type": "string"},
                },
            },
        },
    },
}


class MappingError(ValueError):
    """The mapping file is not usable; the message says where and why."""


class RowRejected(ValueError):
    def __init__(self, field_name: str, value: str, reason: str):
        super().__init__(reason)
        self.field_name, self.value, self.reason = field_name, value, reason


@dataclass
class ValueMap:
    name: str
    values: dict[str, str]
    prefixes: list[tuple[str, str]]
    unknown: set[str]
    unknown_as: str
    other: str | None

    def apply(self, raw: str) -> tuple[str, bool]:
        """The mapped value, and whether the raw value was one the map lists (else a warning)."""
        key = raw.strip().casefold()
        if key in self.values:
            return self.values[key], True
        for prefix, value in self.prefixes:
            if key.startswith(prefix):
                return value, True
        if not key or key in self.unknown:
            return self.unknown_as, True
        if self.other is not None:
            return self.other, True
        return self.unknown_as, False

    def outputs(self) -> set[str]:
        return {
            *self.values.values(),
            *(v for _, v in self.prefixes),
            self.unknown_as,
            *([self.other] * bool(self.other)),
        }


@dataclass
class FieldSpec:
    name: str
    column: str | None = None
    constant: object = None
    map: ValueMap | None = None
    required: bool = False
    min: int | None = None
    max: int | None = None
    formats: tuple[str, ...] = ()
    parts: tuple[str, str, str | None] | None = None  # year, month, day columns
    on_invalid: str = "reject"

    def columns(self) -> list[str]:
        if self.parts:
            return [c for c in self.parts if c]
        return [self.column] if self.column else []


@dataclass
class Mapping:
    name: str
    description: str
    delimiter: str
    encoding: str
    subject: dict[str, FieldSpec]
    complaint: dict[str, FieldSpec]
    allegation: dict[str, FieldSpec]
    stages: dict[str, FieldSpec | bool]
    subjects_only_with_allegations: bool
    maps: dict[str, ValueMap] = field(default_factory=dict)

    def columns(self) -> set[str]:
        specs = [*self.subject.values(), *self.complaint.values(), *self.allegation.values()]
        specs += [s for s in self.stages.values() if isinstance(s, FieldSpec)]
        return {c for s in specs for c in s.columns()}

    def stages_present(self) -> list[str]:
        present = [s for s, spec in self.stages.items() if spec is not False]
        return present + (["upheld"] if "finding" in self.allegation else [])

    def has_outcome_dates(self) -> bool:
        return "outcome" in self.allegation or "closed" in self.complaint


def _where(path) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def mapping_load(path: str | Path) -> Mapping:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML: {exc}") from exc
    return mapping_parse(data, origin=str(path))


def mapping_parse(data: dict, *, origin: str = "mapping") -> Mapping:
    errors = sorted(jsonschema.Draft202012Validator(MAPPING_SCHEMA).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        lines = [f"  at {_where(e.path)}: {e.message}" for e in errors[:20]]
        raise MappingError(
            f"{origin}: the mapping does not follow the format (docs/import-mapping.md):\n" + "\n".join(lines)
        )
    maps = {}
    for name, m in data.get("maps", {}).items():
        maps[name] = ValueMap(
            name=name,
            values={k.strip().casefold(): v for k, v in m.get("values", {}).items()},
            prefixes=sorted(
                ((k.strip().casefold(), v) for k, v in m.get("prefixes", {}).items()), key=lambda p: -len(p[0])
            ),
            unknown={u.strip().casefold() for u in m.get("unknown", [])},
            unknown_as=m.get("unknown_as", "Unknown"),
            other=m.get("other"),
        )
    problems: list[str] = []

    def spec(section: str, name: str, raw) -> FieldSpec:
        where = f"{section}.{name}"
        if isinstance(raw, str):
            raw = {"column": raw}
        sources = [k for k in ("column", "value", "year") if k in raw]
        if len(sources) != 1:
            problems.append(f"  at {where}: give exactly one of column, value, or year (with month)")
        if "year" in raw and "month" not in raw:
            problems.append(f"  at {where}: year needs month (and day, or the 1st is taken)")
        value_map = None
        if "map" in raw:
            value_map = maps.get(raw["map"])
            if value_map is None:
                problems.append(f"  at {where}: map {raw['map']!r} is not defined under [maps.{raw['map']}]")
        base = name if section != "stages" else "stage"
        if base in DATE_FIELDS and "column" in raw and "format" not in raw:
            problems.append(f'  at {where}: a date column needs its format (e.g. format = "%Y-%m-%d")')
        allowed = {"finding": set(Finding.values), "stage": {YES, NO, UNKNOWN}}.get(base)
        if allowed and value_map is not None:
            wrong = value_map.outputs() - allowed
            if wrong:
                problems.append(
                    f"  at {where}: map {value_map.name!r} gives {sorted(wrong)}; allowed: {sorted(allowed)}"
                )
        formats = raw.get("format", ())
        return FieldSpec(
            name=name,
            column=raw.get("column"),
            constant=raw.get("value"),
            map=value_map,
            required=raw.get("required", name == "id"),
            min=raw.get("min"),
            max=raw.get("max"),
            formats=(formats,) if isinstance(formats, str) else tuple(formats),
            parts=(raw["year"], raw["month"], raw.get("day")) if "year" in raw else None,
            on_invalid=raw.get("on_invalid", "reject"),
        )

    sections = {
        s: {n: spec(s, n, r) for n, r in data.get(s, {}).items()} for s in ("subject", "complaint", "allegation")
    }
    stages: dict[str, FieldSpec | bool] = {}
    for name in STAGES:
        raw = data.get("stages", {}).get(name, False)
        stages[name] = raw if isinstance(raw, bool) else spec("stages", name, raw)
    if problems:
        raise MappingError(f"{origin}: the mapping has problems (docs/import-mapping.md):\n" + "\n".join(problems))
    return Mapping(
        name=data["name"],
        description=data.get("description", ""),
        delimiter=data.get("input", {}).get("delimiter", ","),
        encoding=data.get("input", {}).get("encoding", "utf-8-sig"),
        subject=sections["subject"],
        complaint=sections["complaint"],
        allegation=sections["allegation"],
        stages=stages,
        subjects_only_with_allegations=data.get("subjects_only_with_allegations", True),
        maps=maps,
    )


def mapping_from_text(text: str, *, origin: str) -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{origin}: not valid TOML: {exc}") from exc
    return mapping_parse(data, origin=origin)


# --- one line of input -> values -------------------------------------------------------------------


def _date(spec: FieldSpec, row: dict) -> tuple[dt.date | None, str]:
    if spec.parts:
        year, month, day = (row.get(c, "").strip() if c else "1" for c in spec.parts)
        raw = f"{year}-{month}-{day}"
        if not year and not month:
            return None, ""
        try:
            return dt.date(int(year), int(month), int(day)), raw
        except ValueError as exc:
            raise ValueError(raw) from exc
    raw = row.get(spec.column, "").strip()
    if not raw:
        return None, raw
    for fmt in spec.formats:
        try:
            return dt.datetime.strptime(raw, fmt).date(), raw  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValueError(raw)


def field_value(spec: FieldSpec, row: dict, warnings: list) -> object:
    """The value of one mapped field; raises RowRejected, or blanks it with a warning (on_invalid)."""
    if spec.constant is not None and not spec.parts:
        return spec.constant
    try:
        if spec.name in DATE_FIELDS:
            value, raw = _date(spec, row)
            if value is None and spec.required:
                raise RowRejected(spec.name, raw, f"{spec.name} is missing")
            return value
        raw = row.get(spec.column, "")
        value = raw.strip()
        if spec.map is not None:
            mapped, known = spec.map.apply(value)
            if not known:
                warnings.append((spec.name, raw, f"value not in map {spec.map.name!r}: taken as {mapped!r}"))
            return mapped
        if spec.name in INT_FIELDS:
            if not value:
                return None
            number = int(value)
            if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
                raise ValueError(f"{number} is outside {spec.min}..{spec.max}")
            return number
        if not value and spec.required:
            raise RowRejected(spec.name, raw, f"{spec.name} is missing")
        return value
    except RowRejected:
        raise
    except ValueError as exc:
        what = "unparseable date" if spec.name in DATE_FIELDS else "impossible value"
        reason = f"{spec.name}: {what} {exc}" if spec.name not in DATE_FIELDS else f"{spec.name}: {what} {exc}"
        if spec.on_invalid == "blank" and not spec.required:
            warnings.append((spec.name, _raw_of(spec, row), f"{reason}; left blank, the line kept"))
            return None
        raise RowRejected(spec.name, _raw_of(spec, row), reason) from exc


def _raw_of(spec: FieldSpec, row: dict) -> str:
    return "-".join(row.get(c, "") for c in spec.columns())


def stage_value(spec: FieldSpec | bool, row: dict, warnings: list) -> bool | None:
    if isinstance(spec, bool):
        return True if spec else None
    value = field_value(spec, row, warnings)
    if isinstance(value, bool):
        return value
    return {YES: True, NO: False}.get(str(value))


def line_digest(values: list[str]) -> str:
    """The natural key of a line that carries no allegation id: the same line, the same key."""
    return hashlib.blake2b("\x1f".join(values).encode(), digest_size=20).hexdigest()
