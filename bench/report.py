"""The benchmark's figures as ratios, target checks and markdown tables."""

from __future__ import annotations

import math

# The targets of issue 8, on this kind of machine.
MAX_CPU_RATIO = 0.5  # CPU per routine turn, ours / stock echo bot, same run
MIN_SQLITE_TURNS_PER_S_AT_50 = 100
MAX_P99_MS_AT_10 = 150
MAX_COLD_START_S = 1.5
MAX_IDLE_RSS_MIB = 110


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def scenario_line(result) -> str:
    delay = f", connector +{result.connector_delay_ms} ms" if result.connector_delay_ms else ""
    return (f"{result.bot:<10} {result.store:<10} {result.conversations:>3} conv{delay}: "
            f"{result.turns_per_s:7.1f} turns/s  p50 {result.p50_ms:6.1f}  p95 {result.p95_ms:6.1f}  "
            f"p99 {result.p99_ms:6.1f} ms  {result.cpu_ms_per_turn:6.2f} CPU ms/turn  "
            f"peak {result.peak_rss_mib:5.1f} MiB  errors {result.errors}")


def _baseline_for(row, scenarios):
    return next((s for s in scenarios if _get(s, "bot") == "echo"
                 and _get(s, "conversations") == _get(row, "conversations")
                 and _get(s, "connector_delay_ms") == _get(row, "connector_delay_ms")), None)


def _ratio(ours: float, baseline: float) -> float:
    if not baseline or math.isnan(baseline) or math.isnan(ours):
        return float("nan")
    return round(ours / baseline, 2)


def ratios(scenarios) -> list[dict]:
    """Each Larmlotsen scenario against the echo bot with the same conversations and connector."""
    rows = []
    for row in scenarios:
        baseline = _baseline_for(row, scenarios) if _get(row, "bot") != "echo" else None
        if baseline is None:
            continue
        rows.append({
            "store": _get(row, "store"), "conversations": _get(row, "conversations"),
            "connector_delay_ms": _get(row, "connector_delay_ms"),
            "cpu_per_turn": _ratio(_get(row, "cpu_ms_per_turn"), _get(baseline, "cpu_ms_per_turn")),
            "turns_per_s": _ratio(_get(row, "turns_per_s"), _get(baseline, "turns_per_s")),
            "p99": _ratio(_get(row, "p99_ms"), _get(baseline, "p99_ms")),
        })
    return rows


def _check(name: str, value, limit, met: bool) -> dict:
    return {"target": name, "value": value, "limit": limit, "met": bool(met)}


def targets(scenarios, startup) -> list[dict]:
    ours = [s for s in scenarios if _get(s, "bot") != "echo" and not _get(s, "connector_delay_ms")]
    checks = []
    worst_ratio = max((r["cpu_per_turn"] for r in ratios(ours + [s for s in scenarios if _get(s, "bot") == "echo"])
                       if not math.isnan(r["cpu_per_turn"])), default=float("nan"))
    checks.append(_check("CPU per routine turn / stock echo (worst scenario)", worst_ratio, f"<= {MAX_CPU_RATIO}",
                         worst_ratio <= MAX_CPU_RATIO))
    sqlite_50 = next((s for s in ours if _get(s, "store") == "sqlite" and _get(s, "conversations") == 50), None)
    if sqlite_50 is not None:
        value = _get(sqlite_50, "turns_per_s")
        checks.append(_check("turns/s, SQLite, 50 conversations", value, f">= {MIN_SQLITE_TURNS_PER_S_AT_50}",
                             value >= MIN_SQLITE_TURNS_PER_S_AT_50))
    for row in (s for s in ours if _get(s, "conversations") == 10):
        value = _get(row, "p99_ms")
        checks.append(_check(f"p99 ms, {_get(row, 'store')}, 10 conversations", value, f"< {MAX_P99_MS_AT_10}",
                             value < MAX_P99_MS_AT_10))
    for start in (s for s in startup if _get(s, "bot") != "echo"):
        for label, value in (("restart, schema at head", _get(start, "cold_start_s")),
                             ("first start, empty database", _get(start, "first_start_s"))):
            checks.append(_check(f"cold start s, {_get(start, 'store')}, {label}", value, f"< {MAX_COLD_START_S}",
                                 value < MAX_COLD_START_S))
        value = _get(start, "idle_rss_mib")
        checks.append(_check(f"idle RSS MiB, {_get(start, 'store')}", value, f"< {MAX_IDLE_RSS_MIB}",
                             value < MAX_IDLE_RSS_MIB))
    return checks


def markdown(document: dict) -> str:
    lines = ["| bot | store | conversations | connector | turns/s | p50 ms | p95 ms | p99 ms | CPU ms/turn "
             "| peak RSS MiB | errors |", "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in document["scenarios"]:
        connector = f"+{s['connector_delay_ms']} ms" if s["connector_delay_ms"] else "instant"
        lines.append(f"| {s['bot']} | {s['store']} | {s['conversations']} | {connector} | {s['turns_per_s']} "
                     f"| {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['cpu_ms_per_turn']} "
                     f"| {s['peak_rss_mib']} | {s['errors']} |")
    lines += ["", "| ours / stock echo | conversations | connector | CPU per turn | turns/s | p99 |",
              "|---|---:|---|---:|---:|---:|"]
    for r in document["ratios"]:
        connector = f"+{r['connector_delay_ms']} ms" if r["connector_delay_ms"] else "instant"
        lines.append(f"| {r['store']} | {r['conversations']} | {connector} | {r['cpu_per_turn']}× "
                     f"| {r['turns_per_s']}× | {r['p99']}× |")
    lines += ["", "| bot | store | first start s (empty db) | cold start s (median) | all starts s | idle RSS MiB |",
              "|---|---|---:|---:|---|---:|"]
    for s in document["startup"]:
        first = "–" if s["first_start_s"] is None else s["first_start_s"]
        lines.append(f"| {s['bot']} | {s['store']} | {first} | {s['cold_start_s']} "
                     f"| {', '.join(str(v) for v in s['cold_starts_s'])} | {s['idle_rss_mib']} |")
    lines += ["", "| target | value | limit | met |", "|---|---:|---|---|"]
    for t in document["targets"]:
        lines.append(f"| {t['target']} | {t['value']} | {t['limit']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines)
