"""The harness's tables: one row per page, real next to floor, in markdown."""

import math
import statistics

P95_TARGET_MS = 100  # issue 18: p95 at 1 user
RATIO_TARGET = 1.5  # issue 18: real / floor at 1 and at 20 users


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(times: list[float]) -> dict:
    if not times:
        return {"n": 0, "median": math.nan, "p95": math.nan, "p99": math.nan}
    return {"n": len(times), "median": statistics.median(times), "p95": pct(times, 0.95), "p99": pct(times, 0.99)}


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def mean_ms(ns_values: list[int]) -> float:
    return statistics.fmean(ns_values) / 1e6 if ns_values else math.nan


def rows(phase, pages: list[dict]) -> list[dict]:
    real, floor = phase.servers["real"], phase.servers["floor"]
    out = []
    for page in pages:
        key = page["key"]
        r, f = summary(real.times.get(key, [])), summary(floor.times.get(key, []))
        out.append(
            {
                "key": key,
                "label": page["label"],
                "role": page["role"],
                "queries": page["queries"],
                "real": r,
                "floor": f,
                "real_rps": r["n"] / real.seconds if real.seconds else math.nan,
                "floor_rps": f["n"] / floor.seconds if floor.seconds else math.nan,
                "errors": (real.errors.get(key, 0), floor.errors.get(key, 0)),
                "ratio_median": ratio(r["median"], f["median"]),
                "ratio_p95": ratio(r["p95"], f["p95"]),
                "app_ms": (mean_ms(real.app_ns.get(key, [])), mean_ms(floor.app_ns.get(key, []))),
                "pg_ms": (mean_ms(real.pg_ns.get(key, [])), mean_ms(floor.pg_ns.get(key, []))),
            }
        )
    return out


def header(phase) -> str:
    real, floor = phase.servers["real"], phase.servers["floor"]
    think = f"think time {phase.think[0]}-{phase.think[1]} s" if phase.think else "no think time (closed loop)"
    load = "/".join(f"{x:.1f}" for x in phase.load_before) + " -> " + "/".join(f"{x:.1f}" for x in phase.load_after)
    total_real = sum(len(v) for v in real.times.values())
    total_floor = sum(len(v) for v in floor.times.values())
    return (
        f"**{phase.name}**: {phase.users} user(s), {think}; {real.slices} real and {floor.slices} floor slices "
        f"alternating, {real.seconds:.0f} s + {floor.seconds:.0f} s; {total_real:,} + {total_floor:,} requests "
        f"({total_real / max(real.seconds, 1e-9):.1f} and {total_floor / max(floor.seconds, 1e-9):.1f} req/s). "
        f"Load average (1/5/15 min) {load}; whole machine busy {phase.machine_busy_cores:.2f} of "
        f"2 cores on average; locust itself {1000 * phase.client_cpu_s / max(1, total_real + total_floor):.2f} ms "
        f"CPU per request."
    )


def table_one_user(phase, pages) -> str:
    lines = [
        header(phase),
        "",
        "| page | role | queries | n | median ms | p95 ms | p99 ms | floor median | floor p95 | ratio median | "
        "ratio p95 | errors | app CPU ms/req (real / floor) | PG CPU ms/req (real / floor) |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows(phase, pages):
        r, f = row["real"], row["floor"]
        p95 = fmt(r["p95"]) if r["p95"] < P95_TARGET_MS else f"**{fmt(r['p95'])}**"
        lines.append(
            f"| {row['label']} | {row['role']} | {row['queries']} | {r['n']} / {f['n']} | {fmt(r['median'])} | {p95} "
            f"| {fmt(r['p99'])} | {fmt(f['median'])} | {fmt(f['p95'])} | {ratio_cell(row['ratio_median'])} "
            f"| {ratio_cell(row['ratio_p95'])} | {row['errors'][0]} / {row['errors'][1]} "
            f"| {fmt(row['app_ms'][0])} / {fmt(row['app_ms'][1])} | {fmt(row['pg_ms'][0])} / {fmt(row['pg_ms'][1])} |"
        )
    return "\n".join(lines)


def table_many_users(phase, pages) -> str:
    real, floor = phase.servers["real"], phase.servers["floor"]
    lines = [
        header(phase),
        "",
        "| page | n (real / floor) | median ms | p95 ms | p99 ms | req/s | floor median | floor p95 | floor req/s "
        "| ratio median | ratio p95 | errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows(phase, pages):
        r, f = row["real"], row["floor"]
        lines.append(
            f"| {row['label']} | {r['n']} / {f['n']} | {fmt(r['median'])} | {fmt(r['p95'])} | {fmt(r['p99'])} "
            f"| {fmt(row['real_rps'], 2)} | {fmt(f['median'])} | {fmt(f['p95'])} | {fmt(row['floor_rps'], 2)} "
            f"| {ratio_cell(row['ratio_median'])} | {ratio_cell(row['ratio_p95'])} "
            f"| {row['errors'][0]} / {row['errors'][1]} |"
        )
    all_real = summary([t for v in real.times.values() for t in v])
    all_floor = summary([t for v in floor.times.values() for t in v])
    lines.append(
        f"| **all pages (the mix)** | {all_real['n']} / {all_floor['n']} | {fmt(all_real['median'])} "
        f"| {fmt(all_real['p95'])} | {fmt(all_real['p99'])} | {fmt(all_real['n'] / max(real.seconds, 1e-9), 1)} "
        f"| {fmt(all_floor['median'])} | {fmt(all_floor['p95'])} | {fmt(all_floor['n'] / max(floor.seconds, 1e-9), 1)} "
        f"| {ratio_cell(ratio(all_real['median'], all_floor['median']))} "
        f"| {ratio_cell(ratio(all_real['p95'], all_floor['p95']))} "
        f"| {sum(real.errors.values())} / {sum(floor.errors.values())} |"
    )
    lines += [
        "",
        f"CPU per request over the whole mix at {phase.users} users (slice CPU / requests sent): app "
        f"{fmt(real.slice_app_ns / 1e6 / max(real.started, 1), 2)} ms real, "
        f"{fmt(floor.slice_app_ns / 1e6 / max(floor.started, 1), 2)} ms floor; PostgreSQL "
        f"{fmt(real.slice_pg_ns / 1e6 / max(real.started, 1), 2)} ms real, "
        f"{fmt(floor.slice_pg_ns / 1e6 / max(floor.started, 1), 2)} ms floor.",
    ]
    return "\n".join(lines)


def ratio_cell(value: float) -> str:
    return fmt(value, 2) if math.isnan(value) or value < RATIO_TARGET else f"**{fmt(value, 2)}**"


def verdict(one, many, pages) -> str:
    slow = [r["label"] for r in rows(one, pages) if not r["real"]["p95"] < P95_TARGET_MS]
    far = sorted(
        {
            r["label"]
            for phase in (one, many)
            for r in rows(phase, pages)
            if not (r["ratio_median"] < RATIO_TARGET and r["ratio_p95"] < RATIO_TARGET)
        }
    )
    errors = sum(sum(s.errors.values()) for p in (one, many) for s in p.servers.values())
    lines = [
        f"Issue 18's bar: p95 under {P95_TARGET_MS} ms at 1 user for {len(pages) - len(slow)} of {len(pages)} "
        f"pages; real/floor (median and p95) under {RATIO_TARGET}x at 1 and {many.users} users for "
        f"{len(pages) - len(far)} of {len(pages)}. Errors: {errors}.",
    ]
    if slow:
        lines.append(f"- p95 at 1 user {P95_TARGET_MS} ms or more: {', '.join(slow)}.")
    if far:
        lines.append(f"- real/floor {RATIO_TARGET}x or more: {', '.join(far)}.")
    kinds = {k: v for p in (one, many) for s in p.servers.values() for k, v in s.error_kinds.items()}
    if kinds:
        lines.append("- errors: " + "; ".join(f"{k} (x{v})" for k, v in sorted(kinds.items())[:10]) + ".")
    return "\n".join(lines)
