"""How Larmlotsen's cost grows with the cases it holds: 1,000, 10,000 and 100,000 cases.

    python bench/scale.py            # full run: three sizes on SQLite and PostgreSQL
    python bench/scale.py --quick    # 1,000 and 10,000 cases, short windows (a few minutes)

The database is filled level by level (bench/scale_fill.py: real domain cases, bulk inserts):
200 teams with an active notice channel each, a constant open load (`--open`, default 400 open
cases) and history that grows, most of it closed, spread over the retention period. After each
fill the database is settled (PostgreSQL: VACUUM ANALYZE and CHECKPOINT; SQLite: the WAL written
back), so that no level is measured beside the aftermath of its own bulk insert. At each size,
every size measured the same way, the 1,000-case baseline included:

* in this process, with the bot's own classes on the same database (the bot process is not
  running then): one reminder scan (after a first scan has recorded what was due, i.e. the scan
  that runs every REMINDER_SCAN_SECONDS) and one digest of the busiest team, each `--repeats`
  times (default 15, 0.1 s apart), wall time and this process's CPU time. The figure is the
  fastest run: every run does the same work, so more work shows in all of them, while what the
  shared machine adds (being descheduled, a busy sibling core, caches emptied by other processes)
  only ever adds; the median is kept in the JSON. The export of the last month (median of 3 runs)
  and one retention purge (one run);
* over HTTP against the bot process (pinned to core 0): the `ny beställning` walk at 10
  conversations, and `mina ärenden`, `ärende TL-…` and `statistik` typed in the busiest team's
  channel at 4, in `--rounds` rounds (default 5) of `--window` seconds each (default 2), taken in
  turn: walk, mina ärenden, ärende, statistik, walk, ... A path's p99 is the median of its rounds'
  p99: a busy spell of the shared machine spoils a round or two, not the figure (every round's
  p99 is printed and kept in the JSON). Its CPU per turn is the bot process's CPU time over all
  its rounds divided by their turns. The walks left half-way when a round stops are removed
  afterwards, so the open load stays the same from size to size.

The table gives the load average at the start of each size: figures taken on a busier machine
than their baseline say more about the machine than about the bot.

Every figure is given as a ratio to its figure at the smallest size and checked against 1.5×,
except the export and the purge, which grow with what they return or remove. Writes
bench/results/scale.json and prints markdown tables, with a column saying how each figure is taken.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import aiohttp  # noqa: E402

from bench import procstat, processes  # noqa: E402
from bench.fake_connector import BenchConnector, cards_of  # noqa: E402
from bench.run import create_pg_database, drop_pg_database, measure, percentile  # noqa: E402
from bench.scale_fill import (FillState, channel_conversation, count_cases, fill_channels, fill_level,  # noqa: E402
                              team_id, user_actor)
from bench.walks import BotClient, Recorder, WalkFailed  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.cases import repository  # noqa: E402
from bot.cases.service import CaseService  # noqa: E402
from bot.cases.tables import CaseRow  # noqa: E402
from bot.db import create_engine, migrate, session_factory  # noqa: E402
from bot.domain import CaseEngine  # noqa: E402
from bot.notifications.events import CaseNoticeListener  # noqa: E402
from bot.notifications.reminders import ReminderScanner  # noqa: E402
from bot.notifications.subscriptions import Subscriptions  # noqa: E402
from bot.notifications.outbox import forget_case_cards, withdraw_case_notices  # noqa: E402
from bot.notifications.tables import NoticeRow  # noqa: E402
from bot.cases.reports import export_events_csv  # noqa: E402
from bot.cases.retention import purge_ended_cases  # noqa: E402
from tests.support import teams  # noqa: E402

RESULTS_DIR = REPO_ROOT / "bench" / "results"
DEFAULT_PG_ADMIN_URL = os.environ.get("LARMLOTSEN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
RETENTION_MONTHS = 24
ADMIN = teams.User(id="29:scale-admin", name="Scale Admin", aad_object_id="00000000-5ca1-4000-8000-adadadadadad")
# Between runs of the reminder scan and of the digest: the runs sample a second or two of the
# machine, not one busy moment of it (a digest's 15 runs take 40 ms back to back).
SPREAD_S = 0.1
EXPORT_REPEATS = 3  # the export of a month: the median of this many runs (at 100,000 cases, about 1 s each)
MAX_GROWTH = 1.5  # a figure may grow to this multiple of its figure at the smallest size
GROWS_WITH_OUTPUT = ("export_month_ms", "purge_ms")  # allowed to grow with what they return or remove
COMMAND_KEYS = {"mina ärenden": "mina_arenden", "ärende": "arende", "statistik": "statistik"}


@dataclass
class LevelResult:
    store: str
    size: int
    cases: int
    open_cases: int
    events: int
    fill_s: float
    figures: dict[str, float] = field(default_factory=dict)  # name -> value (ms unless said)
    round_p99s: dict[str, list[float]] = field(default_factory=dict)  # HTTP path -> each round's p99 ms
    counts: dict[str, int] = field(default_factory=dict)  # rows returned, reminders, purged ...
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)


@dataclass
class ScalePlan:
    sizes: list[int]
    open_cases: int
    teams: int
    stores: list[str]
    window_s: float
    warmup_s: float
    repeats: int
    walk_conversations: int
    command_conversations: int
    pg_admin_url: str
    bot_cpus: set[int] | None
    log_dir: Path
    purgeable_share: float = 0.01
    rounds: int = 5  # HTTP paths: windows of window_s each, taken in turn (see measure_over_http)


# --- the paths measured in this process ---------------------------------------------------------


@dataclass
class Timing:
    """Wall and CPU ms of repeated runs of the same work: the fastest run and the median one."""

    walls: list[float]
    cpus: list[float]

    @property
    def fastest(self) -> tuple[float, float]:
        return round(min(self.walls), 2), round(min(self.cpus), 2)

    @property
    def median(self) -> tuple[float, float]:
        return round(statistics.median(self.walls), 2), round(statistics.median(self.cpus), 2)


async def _repeat(action, repeats: int, pause_s: float = 0.0) -> tuple[Timing, object]:
    """`repeats` runs of `action` (the bot process is not running meanwhile), `pause_s` apart, and the
    last run's result."""
    walls, cpus, result = [], [], None
    for number in range(repeats):
        if number and pause_s:
            await asyncio.sleep(pause_s)
        wall, cpu = time.perf_counter(), time.process_time()
        result = await action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return Timing(walls, cpus), result


def _fastest_and_median(result: LevelResult, name: str, timing: Timing) -> None:
    """The fastest run is the figure: the runs do the same work, and what a shared machine adds to a
    run (being descheduled, caches another process emptied) only ever adds. The median is kept beside."""
    (wall, cpu), (median_wall, median_cpu) = timing.fastest, timing.median
    result.figures.update({f"{name}_ms": wall, f"{name}_cpu_ms": cpu, f"{name}_median_ms": median_wall,
                           f"{name}_median_cpu_ms": median_cpu})


def busiest_team(state: FillState) -> int:
    counts: dict[int, int] = {}
    for team, _ in state.open_references:
        counts[team] = counts.get(team, 0) + 1
    return max(counts, key=counts.get) if counts else 0


async def measure_in_process(engine, state: FillState, result: LevelResult, repeats: int) -> None:
    sessions = session_factory(engine)
    cases = CaseService(sessions, CaseEngine())
    cases.add_listener(CaseNoticeListener(cases.engine))
    subscriptions = Subscriptions(sessions)
    scanner = ReminderScanner(cases, subscriptions, sessions, lead=timedelta(minutes=60),
                              digest_time=clock_time(8, 30))
    now = datetime.now(timezone.utc)
    first = await scanner.scan(now)  # records what is due, as the running bot's first scan would
    result.counts["reminders_first_scan"] = first.reminders
    timing, _ = await _repeat(lambda: scanner.scan(now), repeats, SPREAD_S)
    _fastest_and_median(result, "reminder_scan", timing)

    channel = await subscriptions.channel(team_id(busiest_team(state)))

    async def digest():
        return await scanner._queue_digest(channel, await scanner._open_cases(channel), now)

    timing, _ = await _repeat(digest, repeats, SPREAD_S)
    _fastest_and_median(result, "digest", timing)
    result.counts["digest_cases"] = len(await scanner._open_cases(channel))

    today = now.date()
    timing, csv_text = await _repeat(
        lambda: export_events_csv(sessions, cases.engine, today - timedelta(days=30), today), EXPORT_REPEATS)
    wall, cpu = timing.median
    result.figures.update(export_month_ms=wall, export_month_cpu_ms=cpu)
    result.counts["export_rows"] = csv_text.count("\r\n") - 1

    timing, purged = await _repeat(lambda: purge_ended_cases(sessions, RETENTION_MONTHS, now), 1)
    wall, cpu = timing.median
    result.figures.update(purge_ms=wall, purge_cpu_ms=cpu)
    result.counts["purged"] = len(purged)

    # What the scans queued (the first level's digests, reminders) counts as delivered before the
    # bot starts: otherwise only the first level's walk would share the bot with that delivery.
    notices = NoticeRow.__table__
    async with engine.begin() as conn:
        await conn.execute(notices.update().where(notices.c.status == "pending").values(status="sent", finished_at=now))


# --- the paths measured over HTTP -----------------------------------------------------------------


async def _command_loop(number: int, client: BotClient, connector: BenchConnector, command: str,
                        team: int, references: list[str], stop: asyncio.Event) -> None:
    # Each loop in its own thread of the team's channel (a thread is a conversation of its own).
    chat = teams.Conversation(id=f"{team_id(team)};messageid={100 + number}", kind="channel", team_id=team_id(team))
    actor = user_actor(team, number % 5)
    user = teams.User(id=f"29:scale-{team}-{number}", name=actor.name, aad_object_id=actor.id)
    turn = 0
    while not stop.is_set():
        reference = references[turn % len(references)] if references else "TL-2026-0001"
        text = f"ärende {reference}" if command == "ärende" else command
        try:
            await client.turn(teams.message(chat, connector.url, text, user))
            _check_answer(command, reference, connector.last(chat.id))
        except (WalkFailed, aiohttp.ClientError, asyncio.TimeoutError) as error:
            client.recorder.error(f"{command}: {error.__class__.__name__}: {error}")
            await asyncio.sleep(0.05)
        turn += 1


def _check_answer(command: str, reference: str, reply: dict | None) -> None:
    """The bot answered with what the command shows, not with an apology or nothing."""
    cards = cards_of(reply)
    if not cards:
        raise WalkFailed(f"{command}: no card in the answer {str(reply)[:200]}")
    if command == "ärende" and reference not in str(cards[0]):
        raise WalkFailed(f"ärende {reference}: the card does not show the case")
    if command == "mina ärenden" and "TL-" not in str(cards[0]):
        raise WalkFailed("mina ärenden: the card lists no case")


@dataclass
class PathRounds:
    """One HTTP path measured in rounds: each round's p99, and CPU and turns summed over them all."""

    p99s: list[float] = field(default_factory=list)
    cpu_ms: float = 0.0
    turns: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def add(self, p99_ms: float, cpu_ms: float, turns: int, errors: int, error_samples=()) -> None:
        self.p99s.append(p99_ms)
        self.cpu_ms += cpu_ms
        self.turns += turns
        self.errors += errors
        self.error_samples += list(error_samples)[:5]

    @property
    def p99_ms(self) -> float:
        """The median of the rounds' p99: a busy moment of the shared machine spoils one round, not the figure."""
        return round(statistics.median(self.p99s), 1) if self.p99s else float("nan")

    @property
    def cpu_ms_per_turn(self) -> float:
        return round(self.cpu_ms / self.turns, 2) if self.turns else float("nan")


async def measure_command(bot, http, connector, command: str, team: int, references: list[str],
                          conversations: int, warmup_s: float, window_s: float, into: PathRounds) -> None:
    """One round of one typed command in a closed loop: its p99, the bot's CPU, turns and errors."""
    recorder = Recorder()
    client = BotClient(http, bot.base_url + "/api/messages", recorder)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_command_loop(n, client, connector, command, team, references, stop))
             for n in range(conversations)]
    await asyncio.sleep(warmup_s)
    cpu_before = procstat.cpu_seconds(bot.pid)
    recorder.measuring = True
    await asyncio.sleep(window_s)
    recorder.measuring = False
    cpu_after = procstat.cpu_seconds(bot.pid)
    stop.set()
    await asyncio.wait(tasks, timeout=30)
    latencies = sorted(recorder.latencies_ms)
    into.add(round(percentile(latencies, 0.99), 1), (cpu_after - cpu_before) * 1000, len(latencies),
             recorder.errors, recorder.error_samples)


async def measure_over_http(url: str, store: str, state: FillState, result: LevelResult, plan: ScalePlan,
                            http, connector) -> None:
    """The walk and the three commands, `plan.rounds` rounds of each, taken in turn (walk, `mina
    ärenden`, `ärende`, `statistik`, walk, ...): a busy spell of the shared machine falls on one
    round of a few paths, and each path's p99 is the median of its rounds' p99."""
    log_path = plan.log_dir / f"scale-{store}-{result.size}.log"
    bot = await processes.larmlotsen(url, log_path, plan.bot_cpus, ADMIN_IDS=ADMIN.aad_object_id,
                                     REMINDER_SCAN_SECONDS="3600", RETENTION_MONTHS=str(RETENTION_MONTHS)).start_timed()
    paths = {key: PathRounds() for key in ("routine_turn", *COMMAND_KEYS.values())}
    try:
        team = busiest_team(state)
        references = [reference for owner, reference in state.open_references if owner == team]
        for number in range(plan.rounds):
            warmup_s = plan.warmup_s if number == 0 else plan.warmup_s / 2  # later rounds: the bot is warm
            walk = await measure(bot, store, http, connector, plan.walk_conversations, warmup_s, plan.window_s, None)
            paths["routine_turn"].add(walk.p99_ms, walk.cpu_ms_per_turn * walk.turns, walk.turns, walk.errors,
                                      walk.error_samples)
            for command, key in COMMAND_KEYS.items():
                await measure_command(bot, http, connector, command, team, references, plan.command_conversations,
                                      plan.warmup_s / 4, plan.window_s, paths[key])
    finally:
        bot.stop()
    for key, path in paths.items():
        result.figures.update({f"{key}_p99_ms": path.p99_ms, f"{key}_cpu_ms": path.cpu_ms_per_turn})
        result.round_p99s[key] = path.p99s
        result.counts[f"{key}_turns"] = path.turns
        result.errors += path.errors
        result.error_samples += path.error_samples
    result.counts["routine_turns"] = result.counts.pop("routine_turn_turns")


# --- the run --------------------------------------------------------------------------------------


async def run_store(store: str, url: str, plan: ScalePlan, http, connector) -> list[LevelResult]:
    engine = create_engine(url)
    results = []
    try:
        await migrate(engine)
        state = FillState(teams=plan.teams, retention_months=RETENTION_MONTHS, now=datetime.now(timezone.utc),
                          purgeable_share=plan.purgeable_share)
        await fill_channels(engine, state, connector.url)
        for size in plan.sizes:
            started = time.perf_counter()
            await fill_level(engine, CaseEngine(), state, size, plan.open_cases)
            fill_s = round(time.perf_counter() - started, 1)
            cases, open_cases, events = await count_cases(engine)
            result = LevelResult(store, size, cases, open_cases, events, fill_s)
            result.figures["load_average"] = round(os.getloadavg()[0], 2)
            await measure_in_process(engine, state, result, plan.repeats)
            last_case_id = await _last_case_id(engine)
            await engine.dispose()  # the bot process gets the database to itself (SQLite: one writer)
            await measure_over_http(url, store, state, result, plan, http, connector)
            result.counts["unfinished_walks_removed"] = await forget_unfinished_walks(engine, last_case_id)
            results.append(result)
            print(level_line(result), flush=True)
    finally:
        await engine.dispose()
    return results


async def _last_case_id(engine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(func.max(CaseRow.id))) or 0


async def forget_unfinished_walks(engine, last_case_id: int) -> int:
    """Remove the cases the walks left half-way when each round stopped (up to one per conversation
    and round): the open load stays the fill's, the same at every size, instead of growing by the
    walks' leftovers from level to level. The walks' closed cases stay, as history."""
    now = datetime.now(timezone.utc)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        rows = (await session.execute(select(CaseRow.id, CaseRow.reference).where(
            CaseRow.id > last_case_id, CaseRow.status == "open"))).all()
        if rows:
            references = [row.reference for row in rows]
            await withdraw_case_notices(session, references, now)
            await forget_case_cards(session, references)
            await repository.delete_cases(session, [row.id for row in rows])
    return len(rows)


async def run(plan: ScalePlan) -> list[LevelResult]:
    connector = await BenchConnector().start()
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=120))
    results: list[LevelResult] = []
    workdir = Path(tempfile.mkdtemp(prefix="larmlotsen-scale-"))
    try:
        if "sqlite" in plan.stores:
            results += await run_store("sqlite", f"sqlite:///{workdir}/scale.db", plan, http, connector)
        if "postgresql" in plan.stores:
            url = await create_pg_database(plan.pg_admin_url)
            if url is not None:
                try:
                    results += await run_store("postgresql", url, plan, http, connector)
                finally:
                    await drop_pg_database(plan.pg_admin_url, url)
    finally:
        await http.close()
        await connector.close()
        shutil.rmtree(workdir, ignore_errors=True)  # a filled database takes hundreds of MB
    return results


# --- report ---------------------------------------------------------------------------------------

# (key, label, how it is taken), in the order of the table: each CPU figure beside its wall-clock one.
# Every figure is checked against its 1,000-case figure; export and purge may grow with their output.
_HTTP = "median of the rounds' p99 (HTTP, bot on core 0)"
_HTTP_CPU = "bot CPU over all rounds / turns"
_SCAN = "fastest of {repeats} runs (in-process; median in the JSON)"
_SCAN_CPU = "fastest of {repeats} runs, this process's CPU"
TABLE = (
    ("routine_turn_cpu_ms", "routine turn CPU ms", _HTTP_CPU), ("routine_turn_p99_ms", "routine turn p99 ms", _HTTP),
    ("mina_arenden_p99_ms", "`mina ärenden` p99 ms", _HTTP), ("mina_arenden_cpu_ms", "`mina ärenden` CPU ms per turn", _HTTP_CPU),
    ("arende_p99_ms", "`ärende TL-…` p99 ms", _HTTP), ("arende_cpu_ms", "`ärende TL-…` CPU ms per turn", _HTTP_CPU),
    ("statistik_p99_ms", "`statistik` p99 ms", _HTTP), ("statistik_cpu_ms", "`statistik` CPU ms per turn", _HTTP_CPU),
    ("reminder_scan_ms", "reminder scan ms", _SCAN), ("reminder_scan_cpu_ms", "reminder scan CPU ms", _SCAN_CPU),
    ("digest_ms", "digest ms", _SCAN), ("digest_cpu_ms", "digest CPU ms", _SCAN_CPU),
    ("export_month_ms", "export of a month ms", f"median of {EXPORT_REPEATS} runs (in-process)"),
    ("purge_ms", "retention purge ms", "one run (in-process)"),
)
FIGURES = tuple((key, label) for key, label, _ in TABLE)


def growth(results: list[LevelResult]) -> list[dict]:
    """Each figure at each size as a ratio to the same store's smallest size, and whether it holds."""
    rows = []
    for store in dict.fromkeys(r.store for r in results):
        levels = sorted((r for r in results if r.store == store), key=lambda r: r.size)
        base = levels[0]
        for level in levels[1:]:
            for key, _ in FIGURES:
                ratio = round(level.figures[key] / base.figures[key], 2) if base.figures.get(key) else float("nan")
                rows.append({"store": store, "size": level.size, "figure": key, "ratio": ratio,
                             "met": key in GROWS_WITH_OUTPUT or ratio <= MAX_GROWTH})
    return rows


def level_line(r: LevelResult) -> str:
    figures = "  ".join(f"{key}={r.figures[key]}" for key, _ in FIGURES if key in r.figures)
    rounds = "  ".join(f"{key}={'/'.join(str(p) for p in p99s)}" for key, p99s in r.round_p99s.items())
    return (f"{r.store:<10} {r.cases:>7} cases ({r.open_cases} open, {r.events} events, fill {r.fill_s} s): {figures}"
            f"  errors {r.errors}\n{'':<10} p99 ms of each round: {rounds}")


def markdown(results: list[LevelResult], rows: list[dict], plan: ScalePlan) -> str:
    how = {"repeats": plan.repeats}
    lines = [f"HTTP paths: {plan.rounds} rounds of {plan.window_s:g} s each, taken in turn (walk at "
             f"{plan.walk_conversations} conversations, each command at {plan.command_conversations}); "
             f"turns per level in the JSON.", ""]
    for store in dict.fromkeys(r.store for r in results):
        levels = sorted((r for r in results if r.store == store), key=lambda r: r.size)
        base = levels[0]
        lines += [f"**{store}**", "", "| figure | taken as | " + " | ".join(
            f"{r.cases:,} cases ({r.open_cases} open)" for r in levels) + " |", "|---|---|" + "---:|" * len(levels)]
        for key, label, taken in TABLE:
            cells = []
            for r in levels:
                value = r.figures.get(key, float("nan"))
                ratio = f" ({value / base.figures[key]:.2f}×)" if r is not base and base.figures.get(key) else ""
                cells.append(f"{value}{ratio}")
            lines.append(f"| {label} | {taken.format(**how)} | " + " | ".join(cells) + " |")
        lines.append("| export rows / purged cases | | " + " | ".join(
            f"{r.counts.get('export_rows')} / {r.counts.get('purged')}" for r in levels) + " |")
        lines.append("| fill s / errors | | " + " | ".join(f"{r.fill_s} / {r.errors}" for r in levels) + " |")
        lines.append("| load average at the start | 1 minute, both cores | " + " | ".join(
            str(r.figures.get("load_average")) for r in levels) + " |")
        lines.append("")
    missed = [row for row in rows if not row["met"]]
    lines.append(f"Within {MAX_GROWTH}× of the smallest size (export and purge may grow with their output): "
                 + ("all figures." if not missed else "**not** " + ", ".join(
                     f"{row['store']} {row['figure']} at {row['size']:,} ({row['ratio']}×)" for row in missed)))
    return "\n".join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 cases, short windows")
    parser.add_argument("--sizes", help="case counts (default 1000,10000,100000; quick 1000,10000)")
    parser.add_argument("--open", type=int, default=400, help="open cases held at every size")
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--window", type=float, help="seconds of each round of an HTTP path (default 2, quick 1.5)")
    parser.add_argument("--rounds", type=int, help="rounds of each HTTP path, taken in turn (default 5, quick 3)")
    parser.add_argument("--repeats", type=int, default=15, help="runs of the reminder scan and of the digest")
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    parser.add_argument("--no-pin", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "scale.json")
    return parser.parse_args(argv)


def plan_from(args) -> ScalePlan:
    sizes = args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")
    pin = not args.no_pin and (os.cpu_count() or 1) > 1
    if pin:
        procstat.pin(0, set(range(os.cpu_count())) - {processes.BOT_CPU})
    window = args.window if args.window is not None else (1.5 if args.quick else 2.0)
    rounds = args.rounds if args.rounds is not None else (3 if args.quick else 5)
    return ScalePlan(sizes=[int(n) for n in sizes.split(",")], open_cases=args.open, teams=args.teams,
                     stores=[s.strip() for s in args.stores.split(",") if s.strip()], window_s=window,
                     warmup_s=1.0 if args.quick else 2.0, repeats=args.repeats, walk_conversations=10,
                     command_conversations=4, pg_admin_url=args.pg_admin_url,
                     bot_cpus={processes.BOT_CPU} if pin else None, log_dir=RESULTS_DIR / "logs", rounds=rounds)


def main(argv=None) -> int:
    args = parse_args(argv)
    plan = plan_from(args)
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    results = asyncio.run(run(plan))
    rows = growth(results)
    document = {"started_at": started_at, "quick": args.quick, "load_average": [load_before, os.getloadavg()],
                "plan": {"sizes": plan.sizes, "open_cases": plan.open_cases, "teams": plan.teams,
                         "window_s": plan.window_s, "rounds": plan.rounds, "repeats": plan.repeats},
                "levels": [asdict(r) for r in results], "growth": rows}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(results, rows, plan))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
