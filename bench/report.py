"""The benchmark's figures as ratios, target checks and markdown tables."""

from __future__ import annotations

import math

# The targets on this kind of machine. CPU and memory are ratios to the Agents SDK echo agent
# measured in the same run, so a busy machine moves both sides alike.
MAX_CPU_RATIO_TO_AGENTS = 1.5  # CPU per routine turn, ours / Agents SDK echo, every scenario
MIN_TURNS_PER_S_AT_50_DELAYED = 100  # 50 conversations, connector answering after 100 ms
MAX_COLD_START_S = 1.0  # a restart on a schema at head; the first start on an empty database is shown apart
MAX_IDLE_RSS_RATIO_TO_AGENTS = 1.5
BOTBUILDER_ECHO = "echo-botbuilder"
AGENTS_ECHO = "echo-agents"
BASELINES = (BOTBUILDER_ECHO, AGENTS_ECHO)


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def scenario_line(result) -> str:
    delay = f", connector +{result.connector_delay_ms} ms" if result.connector_delay_ms else ""
    return (f"{result.bot:<10} {result.store:<10} {result.conversations:>3} conv{delay}: "
            f"{result.turns_per_s:7.1f} turns/s  p50 {result.p50_ms:6.1f}  p95 {result.p95_ms:6.1f}  "
            f"p99 {result.p99_ms:6.1f} ms  {result.cpu_ms_per_turn:6.2f} CPU ms/turn  "
            f"peak {result.peak_rss_mib:5.1f} MiB  errors {result.errors}")


def _baseline_for(row, scenarios, baseline: str):
    return next((s for s in scenarios if _get(s, "bot") == baseline
                 and _get(s, "conversations") == _get(row, "conversations")
                 and _get(s, "connector_delay_ms") == _get(row, "connector_delay_ms")), None)


def _ratio(ours: float, baseline: float) -> float:
    if not baseline or math.isnan(baseline) or math.isnan(ours):
        return float("nan")
    return round(ours / baseline, 2)


def _ours(rows):
    return [row for row in rows if _get(row, "bot") not in BASELINES]


def _round_ratios(ours, echo) -> list[float]:
    """CPU per turn of each round against the echo's in the same round (the bots are measured in
    turn, round after round): how much the ratio moved within the run."""
    pairs = zip(_get(ours, "cpu_ms_per_turn_rounds") or [], _get(echo, "cpu_ms_per_turn_rounds") or [])
    return [_ratio(a, b) for a, b in pairs]


def ratios(scenarios) -> list[dict]:
    """Each Larmlotsen scenario against each echo bot with the same conversations and connector."""
    rows = []
    for row in _ours(scenarios):
        ratio = {"store": _get(row, "store"), "conversations": _get(row, "conversations"),
                 "connector_delay_ms": _get(row, "connector_delay_ms")}
        for baseline, key in ((BOTBUILDER_ECHO, "botbuilder"), (AGENTS_ECHO, "agents")):
            echo = _baseline_for(row, scenarios, baseline)
            for figure, name in (("cpu_ms_per_turn", "cpu_per_turn"), ("turns_per_s", "turns_per_s"), ("p99_ms", "p99")):
                ratio[f"{name}_to_{key}"] = _ratio(_get(row, figure), _get(echo, figure)) if echo else float("nan")
            ratio[f"cpu_per_turn_to_{key}_rounds"] = _round_ratios(row, echo) if echo else []
        rows.append(ratio)
    return rows


def startup_ratios(startup) -> list[dict]:
    echo = {_get(s, "bot"): s for s in startup if _get(s, "bot") in BASELINES}
    rows = []
    for start in _ours(startup):
        row = {"store": _get(start, "store")}
        for baseline, key in ((BOTBUILDER_ECHO, "botbuilder"), (AGENTS_ECHO, "agents")):
            base = echo.get(baseline)
            row[f"idle_rss_to_{key}"] = _ratio(_get(start, "idle_rss_mib"), _get(base, "idle_rss_mib")) if base else float("nan")
            row[f"cold_start_to_{key}"] = _ratio(_get(start, "cold_start_s"), _get(base, "cold_start_s")) if base else float("nan")
        rows.append(row)
    return rows


def _check(name: str, value, limit, met: bool) -> dict:
    return {"target": name, "value": value, "limit": limit, "met": bool(met)}


def targets(scenarios, startup) -> list[dict]:
    checks = []
    for ratio in ratios(scenarios):
        if ratio["connector_delay_ms"]:
            continue
        value = ratio["cpu_per_turn_to_agents"]
        checks.append(_check(f"CPU per routine turn / Agents SDK echo, {ratio['store']}, {ratio['conversations']} conv",
                             value, f"<= {MAX_CPU_RATIO_TO_AGENTS}", value <= MAX_CPU_RATIO_TO_AGENTS))
    for row in _ours(scenarios):
        if _get(row, "connector_delay_ms") and _get(row, "conversations") == 50:
            value = _get(row, "turns_per_s")
            checks.append(_check(f"turns/s, {_get(row, 'store')}, 50 conv, connector +{_get(row, 'connector_delay_ms')} ms",
                                 value, f">= {MIN_TURNS_PER_S_AT_50_DELAYED}", value >= MIN_TURNS_PER_S_AT_50_DELAYED))
    for start in _ours(startup):
        value = _get(start, "cold_start_s")
        checks.append(_check(f"cold start s, {_get(start, 'store')}, restart, schema at head", value,
                             f"< {MAX_COLD_START_S}", value < MAX_COLD_START_S))
    for ratio in startup_ratios(startup):
        value = ratio["idle_rss_to_agents"]
        checks.append(_check(f"idle RSS / Agents SDK echo, {ratio['store']}", value,
                             f"<= {MAX_IDLE_RSS_RATIO_TO_AGENTS}", value <= MAX_IDLE_RSS_RATIO_TO_AGENTS))
    return checks


def markdown(document: dict) -> str:
    lines = ["| bot | store | conversations | connector | turns/s | p50 ms | p95 ms | p99 ms | CPU ms/turn "
             "| peak RSS MiB | errors |", "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in document["scenarios"]:
        connector = f"+{s['connector_delay_ms']} ms" if s["connector_delay_ms"] else "instant"
        lines.append(f"| {s['bot']} | {s['store']} | {s['conversations']} | {connector} | {s['turns_per_s']} "
                     f"| {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['cpu_ms_per_turn']} "
                     f"| {s['peak_rss_mib']} | {s['errors']} |")
    lines += ["", "| Larmlotsen / echo | conversations | connector | CPU per turn / Agents SDK | each round "
              "| CPU / botbuilder | turns/s / Agents SDK | turns/s / botbuilder | p99 / Agents SDK | p99 / botbuilder |",
              "|---|---:|---|---:|---|---:|---:|---:|---:|---:|"]
    for r in document["ratios"]:
        connector = f"+{r['connector_delay_ms']} ms" if r["connector_delay_ms"] else "instant"
        rounds = ", ".join(str(v) for v in r.get("cpu_per_turn_to_agents_rounds", []))
        lines.append(f"| {r['store']} | {r['conversations']} | {connector} | {r['cpu_per_turn_to_agents']}× | {rounds} "
                     f"| {r['cpu_per_turn_to_botbuilder']}× | {r['turns_per_s_to_agents']}× "
                     f"| {r['turns_per_s_to_botbuilder']}× | {r['p99_to_agents']}× | {r['p99_to_botbuilder']}× |")
    lines += ["", "| bot | store | first start s (empty db) | cold start s (median) | all starts s "
              "| CPU s until ready (median) | idle RSS MiB |", "|---|---|---:|---:|---|---:|---:|"]
    for s in document["startup"]:
        first = "–" if s["first_start_s"] is None else s["first_start_s"]
        lines.append(f"| {s['bot']} | {s['store']} | {first} | {s['cold_start_s']} "
                     f"| {', '.join(str(v) for v in s['cold_starts_s'])} | {s.get('cold_start_cpu_s', '–')} "
                     f"| {s['idle_rss_mib']} |")
    lines += ["", "| Larmlotsen / echo | idle RSS / Agents SDK | idle RSS / botbuilder | cold start / Agents SDK "
              "| cold start / botbuilder |", "|---|---:|---:|---:|---:|"]
    for r in document.get("startup_ratios", []):
        lines.append(f"| {r['store']} | {r['idle_rss_to_agents']}× | {r['idle_rss_to_botbuilder']}× "
                     f"| {r['cold_start_to_agents']}× | {r['cold_start_to_botbuilder']}× |")
    lines += ["", "| target | value | limit | met |", "|---|---:|---|---|"]
    for t in document["targets"]:
        lines.append(f"| {t['target']} | {t['value']} | {t['limit']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines)
