"""Benchmark the risk engine: the whole-force recompute and the one-officer recompute.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_risk_bench DEBUG=1 \
        .venv/bin/python bench/risk_recompute.py [--samples 400] [--full-runs 5] [--generate]

Run it on a copy of the `seed_demo --scale met` database (it writes flags). --generate fills an
empty database with a synthetic force instead (34,000 officers, about 500,000 allegations).
Reports wall time (median, p95 and max over --full-runs runs of each full recompute, the first one
from empty tables each time) and the number of SQL statements of each path, the load average, and a
checksum of the resulting flags and levels (to compare engine versions on the same data)."""

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases import models as cm  # noqa: E402
from cases.risk.models import OfficerRiskLevel, RiskFlag  # noqa: E402
from cases.risk.services import risk_recompute_all, risk_recompute_officer  # noqa: E402


def generate(*, officers: int, allegations: int, seed: int = 7) -> None:
    """A synthetic force, written with bulk_create: skewed so a few officers draw many allegations."""
    rng = random.Random(seed)
    commands = cm.Command.objects.bulk_create(
        [cm.Command(code=f"B{i:03d}", name=f"Synthetic command {i}") for i in range(40)]
    )
    ranks = [cm.Rank.CONSTABLE] * 8 + [cm.Rank.SERGEANT, cm.Rank.INSPECTOR]
    people = cm.Officer.objects.bulk_create(
        [
            cm.Officer(
                staff_number=f"B{i:07d}",
                collar_number=f"{i}BX",
                first_name="Synthetic",
                last_name=f"Officer {i}",
                rank=rng.choice(ranks),
                command=rng.choice(commands),
                joined_on=dt.date(2005, 1, 1),
            )
            for i in range(officers)
        ],
        batch_size=5000,
    )
    weights = [rng.paretovariate(1.5) for _ in people]
    today = timezone.localdate()
    categories = [c.value for c in cm.AllegationCategory]
    sources = [s.value for s in cm.AllegationSource]
    for start in range(0, allegations, 5000):
        subjects = rng.choices(people, weights=weights, k=min(5000, allegations - start))
        cm.Allegation.objects.bulk_create(
            [
                cm.Allegation(
                    subject=subject,
                    category=rng.choice(categories),
                    source=rng.choice(sources),
                    complainant_ref=f"P{rng.randrange(200000)}",
                    received_on=today - dt.timedelta(days=rng.randrange(3650)),
                    narrative="Synthetic allegation.",
                )
                for subject in subjects
            ]
        )


def timed(fn, **kwargs):
    """(result, seconds, statements). Statements are counted with an execute wrapper, not the debug
    cursor, which would render every statement's SQL text (tens of MB for the bulk upsert)."""
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = fn(**kwargs)
        elapsed = time.perf_counter() - started
    return result, elapsed, statements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200, help="officers timed on the one-officer path")
    parser.add_argument("--full-runs", type=int, default=1, help="times each full recompute is measured")
    parser.add_argument("--generate", action="store_true", help="fill an empty database with a synthetic force")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="the day the time windows end; default: the latest allegation's date (the met seed ends in 2023)",
    )
    args = parser.parse_args()

    if args.generate and not cm.Officer.objects.exists():
        started = time.perf_counter()
        generate(officers=34000, allegations=500000)
        print(f"generated synthetic force in {time.perf_counter() - started:.1f} s")

    print(
        f"database {connection.settings_dict['NAME']} ({connection.vendor}): "
        f"{cm.Officer.objects.count():,} officers/staff, {cm.Allegation.objects.count():,} allegations"
    )
    as_of = args.as_of or cm.Allegation.objects.order_by("-received_on").values_list("received_on", flat=True)[0]
    print(f"as of {as_of}; load average {_load()}")
    runs = [
        ("first full recompute (no flags yet)", as_of, True),
        ("second full recompute (nothing changed)", as_of, False),
        ("next day's nightly recompute (windows move a day)", as_of + dt.timedelta(days=1), False),
        ("back to the first day", as_of, False),
    ]
    full: dict[str, list[float]] = {label: [] for label, _, _ in runs}
    for n in range(args.full_runs):
        for label, day, from_empty in runs:
            if from_empty:
                _flags_forget()
            summary, elapsed, statements = timed(risk_recompute_all, as_of=day)
            full[label].append(elapsed)
            checksum = f", {flags_checksum()}" if n == 0 else ""
            print(f"  run {n + 1} {label}: {elapsed:.2f} s, {statements} SQL statements, {summary.as_json()}{checksum}")
    print(f"full recompute, {args.full_runs} runs each (load average now {_load()}):")
    for label, times in full.items():
        if times:  # --full-runs 0: only the one-officer path, over the flags already there
            print(f"  {label}: {_summary(times, 's', 2)}")
    print(
        f"active flags {RiskFlag.objects.filter(active=True).count():,}; "
        f"officers with a level {OfficerRiskLevel.objects.count():,}; checksum {flags_checksum()}"
    )

    rng = random.Random(1)
    flagged = list(
        RiskFlag.objects.filter(active=True).order_by().values_list("officer_id", flat=True).distinct()[:5000]
    )
    everyone = list(cm.Officer.objects.values_list("id", flat=True))
    sample = rng.sample(flagged, min(len(flagged), args.samples // 2))
    sample += rng.sample(everyone, args.samples - len(sample))
    times, counts = [], set()
    for officer_id in sample:
        _, elapsed, statements = timed(risk_recompute_officer, officer_id=officer_id, as_of=as_of)
        times.append(elapsed * 1000)
        counts.add(statements)
    print(
        f"one-officer recompute over {len(times)} officers (half flagged): {_summary(times, 'ms', 1)}, "
        f"SQL statements {min(counts)}-{max(counts)}; load average {_load()}"
    )


def _summary(values: list[float], unit: str, digits: int) -> str:
    ordered = sorted(values)
    # p95 by the nearest rank: with 5 runs it is the slowest of the five.
    p95 = ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]
    return (
        f"median {statistics.median(ordered):.{digits}f} {unit}, p95 {p95:.{digits}f} {unit}, "
        f"max {ordered[-1]:.{digits}f} {unit} (n={len(ordered)})"
    )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _flags_forget() -> None:
    """Empty the engine's tables so the next run is a first recompute (not timed)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE risk_riskflagevent, risk_riskflag, risk_officerrisklevel")


def flags_checksum() -> str:
    """md5 over every active flag's (officer, rule, level, digest) and every officer's level and score,
    in a fixed order: equal before and after a change to the engine means the same results."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(officer_id || ':' || rule_code || ':' || level || ':' || digest, ','"
            " ORDER BY officer_id, rule_code)) FROM risk_riskflag WHERE active"
        )
        flags = cursor.fetchone()[0]
        cursor.execute(
            "SELECT md5(string_agg(officer_id || ':' || level || ':' || score || ':' || contributing_rules::text, ','"
            " ORDER BY officer_id)) FROM risk_officerrisklevel"
        )
        levels = cursor.fetchone()[0]
    return f"flags {flags} levels {levels}"


if __name__ == "__main__":
    main()
