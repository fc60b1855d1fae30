"""The scale benchmark at a small size, so that it cannot rot: the bulk fill makes cases the bot
reads as its own, and every measured path (reminder scan, digest, export, purge, the routine walk
and the typed commands over HTTP against `python -m bot`) runs on it and answers as it should."""

from __future__ import annotations

import math

import aiohttp

from bench import scale
from bench.fake_connector import BenchConnector
from bench.scale_fill import FillState, plan_cases
from bot.domain import CaseEngine
from datetime import datetime, timezone


def _plan(tmp_path) -> scale.ScalePlan:
    return scale.ScalePlan(sizes=[40, 80], open_cases=10, teams=4, stores=[], window_s=1.0, warmup_s=1.0,
                           repeats=2, walk_conversations=2, command_conversations=1, pg_admin_url="",
                           bot_cpus=None, log_dir=tmp_path, purgeable_share=0.2, rounds=2)


async def test_fill_and_every_measured_path_run_at_a_small_size(database_url, tmp_path):
    store = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    connector = await BenchConnector().start()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            results = await scale.run_store(store, database_url, _plan(tmp_path), http, connector)
    finally:
        await connector.close()
    # Each level is filled up to its size; cases the earlier level's routine walks finished stay, so a
    # later level may hold more: a walk opens one case in at least 4 turns, and its warm-up is as
    # long as the measured window, so at most the measured turns' worth (a fast bot makes many).
    walks_opened_at_most = results[0].counts["routine_turns"]
    assert results[0].cases == 40 and 80 <= results[1].cases <= 80 + walks_opened_at_most
    # The walks left half-way when a round stopped are removed: the open load is the same at every size.
    assert results[0].open_cases == results[1].open_cases == 10
    assert all(len(level.round_p99s["routine_turn"]) == 2 for level in results)
    for level in results:
        assert level.errors == 0, level.error_samples
        for key, _ in scale.FIGURES:
            assert not math.isnan(level.figures[key]) and level.figures[key] > 0, key
        assert level.counts["routine_turns"] > 0
        assert all(level.counts[f"{name}_turns"] > 0 for name in ("mina_arenden", "arende", "statistik"))
        assert level.counts["export_rows"] > 0  # the open cases' events are all of the last weeks
        assert level.counts["digest_cases"] > 0
    # The first level's purge removed its old cases; the second removes only those added since.
    assert results[0].counts["purged"] > 0
    assert len(scale.growth(results)) == len(scale.FIGURES)


def test_fill_makes_the_wanted_states():
    state = FillState(teams=10, retention_months=24, now=datetime(2026, 12, 2, 10, tzinfo=timezone.utc))
    cases, events = plan_cases(CaseEngine(), state, 500, 50)
    assert len(cases) == 500 and state.open_cases == 50
    assert sum(case["status"] == "open" for case in cases) == 50
    assert {case["status"] for case in cases} >= {"open", "closed", "cancelled"}
    assert len({case["team_id"] for case in cases}) == 10
    assert len({case["reference"] for case in cases}) == 500
    by_case = {}
    for event in events:
        by_case.setdefault(event["case_id"], []).append(event["seq"])
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in by_case.values())
    assert all(case["version"] == len(by_case[case["id"]]) for case in cases)


def test_growth_flags_a_figure_past_the_limit():
    small = scale.LevelResult("sqlite", 1000, 1000, 10, 5000, 1.0, {key: 10.0 for key, _ in scale.FIGURES})
    big = scale.LevelResult("sqlite", 10000, 10000, 10, 50000, 1.0, {key: 10.0 for key, _ in scale.FIGURES})
    big.figures["reminder_scan_ms"] = 16.0
    big.figures["export_month_ms"] = 100.0
    rows = {row["figure"]: row for row in scale.growth([small, big])}
    assert not rows["reminder_scan_ms"]["met"] and rows["reminder_scan_ms"]["ratio"] == 1.6
    assert rows["export_month_ms"]["met"]  # export may grow with what it returns
    assert rows["digest_ms"]["met"]
