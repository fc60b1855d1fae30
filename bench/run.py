"""End-to-end benchmark of Larmlotsen against two echo bots in one run: botbuilder's stock echo
bot and the Microsoft 365 Agents SDK's echo agent (in its own venv, bench/agents_sdk.py).

    python bench/run.py              # full run, then the scale scenario (bench/scale.py)
    python bench/run.py --quick      # short run and a quick scale scenario (a few minutes)
    python bench/run.py --no-scale   # the echo comparison only

Each bot is a separate `python` process pinned to core 0; this process (load generator plus a
local fake Bot Connector) runs on the other cores. Load is Teams-shaped HTTP to /api/messages:
N concurrent conversations, each walking `ny beställning` to its closed case over and over
(see walks.py); each echo bot gets N conversations of messages. All bots run at once, idle but
for the one under load: each scenario measures them in turn, a few windows each with the order
rotated every round, so that the bots being compared meet the same machine. For every
scenario: turns/s, p50/p95/p99 turn latency, CPU ms per turn (the bot process's CPU time over
its windows / their turns) and peak RSS, read from /proc. Also cold start, idle RSS, and one
scenario with a connector that answers after 100 ms. Prints a markdown table and writes
bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import aiohttp  # noqa: E402
import asyncpg  # noqa: E402

from bench import agents_sdk, procstat, processes, report  # noqa: E402
from bench.fake_connector import BenchConnector  # noqa: E402
from bench.walks import BotClient, Recorder, WalkFailed, bench_chat, bench_user, walk_echo, walk_routine  # noqa: E402

RESULTS_DIR = REPO_ROOT / "bench" / "results"
DEFAULT_PG_ADMIN_URL = os.environ.get("LARMLOTSEN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
DELAYED_CONNECTOR_S = 0.100
ROUND_WARMUP_S = 1.0  # before each later window of a scenario: the bot is warm, the conversations are new


@dataclass
class ScenarioResult:
    bot: str  # larmlotsen | echo
    store: str  # sqlite | postgresql | memory
    conversations: int
    connector_delay_ms: int
    window_s: float
    turns: int
    walks: int
    turns_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_turn: float
    peak_rss_mib: float
    errors: int
    error_samples: list[str] = field(default_factory=list)
    cpu_ms_per_turn_rounds: list[float] = field(default_factory=list)  # one per measuring window


@dataclass
class StartupResult:
    bot: str
    store: str
    first_start_s: float | None  # ours: empty database, schema created by migrations
    cold_start_s: float  # median of the restarts (ours: schema already at head)
    cold_starts_s: list[float]
    idle_rss_mib: float
    cold_start_cpu_s: float | None = None  # median CPU time of the process until ready, same starts


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(round(share * len(sorted_values) + 0.5)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# --- load -------------------------------------------------------------------------------------


async def _conversation(number: int, client: BotClient, connector: BenchConnector, walk, stop: asyncio.Event):
    user = bench_user(number)
    chat = bench_chat(user)
    while not stop.is_set():
        try:
            if await walk(client, connector, chat, user, stop):
                client.recorder.walk_done()
        except (WalkFailed, aiohttp.ClientError, asyncio.TimeoutError) as error:
            client.recorder.error(f"{error.__class__.__name__}: {error}")
            connector.forget(chat.id)
            chat = bench_chat(user)  # a walk left half-way would confuse the next one
            await asyncio.sleep(0.05)


@dataclass
class Window:
    """One measuring window of one bot: what a scenario's figures are made of."""

    elapsed_s: float
    cpu_s: float
    latencies_ms: list[float]
    walks: int
    peak_rss_mib: float
    errors: int
    error_samples: list[str]

    @property
    def cpu_ms_per_turn(self) -> float:
        return self.cpu_s * 1000 / len(self.latencies_ms) if self.latencies_ms else float("nan")


async def measure_window(bot: processes.MeasuredBot, http: aiohttp.ClientSession, connector: BenchConnector,
                         conversations: int, warmup_s: float, window_s: float, profiler_args=None) -> Window:
    """N conversations in a closed loop against one bot: warm up, then measure for `window_s`."""
    walk = walk_echo if bot.name in processes.BASELINES else walk_routine
    recorder = Recorder()
    client = BotClient(http, bot.base_url + "/api/messages", recorder)
    stop = asyncio.Event()
    procstat.reset_peak_rss(bot.pid)
    tasks = [asyncio.create_task(_conversation(n, client, connector, walk, stop)) for n in range(conversations)]
    await asyncio.sleep(warmup_s)
    profiler = _start_profiler(bot, *profiler_args, connector, window_s) if profiler_args else None
    cpu_before, started = procstat.cpu_seconds(bot.pid), time.perf_counter()
    recorder.measuring = True
    await asyncio.sleep(window_s)
    recorder.measuring = False
    cpu_after, elapsed = procstat.cpu_seconds(bot.pid), time.perf_counter() - started
    stop.set()
    await asyncio.wait(tasks, timeout=30)
    if profiler is not None:
        profiler.wait(timeout=60)
    return Window(elapsed_s=elapsed, cpu_s=cpu_after - cpu_before, latencies_ms=recorder.latencies_ms,
                  walks=recorder.walks_done, peak_rss_mib=procstat.peak_rss_mib(bot.pid),
                  errors=recorder.errors, error_samples=recorder.error_samples)


def scenario_of(bot_name: str, store: str, conversations: int, connector_delay_s: float,
                windows: list[Window]) -> ScenarioResult:
    """A scenario's figures over all its windows: CPU per turn is their CPU time over their turns."""
    latencies = sorted(latency for window in windows for latency in window.latencies_ms)
    turns, elapsed = len(latencies), sum(window.elapsed_s for window in windows)
    cpu_s = sum(window.cpu_s for window in windows)
    return ScenarioResult(
        bot=bot_name, store=store, conversations=conversations,
        connector_delay_ms=int(connector_delay_s * 1000), window_s=round(elapsed, 2), turns=turns,
        walks=sum(window.walks for window in windows), turns_per_s=round(turns / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.50), 1), p95_ms=round(percentile(latencies, 0.95), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        cpu_ms_per_turn=round(cpu_s * 1000 / turns, 2) if turns else float("nan"),
        peak_rss_mib=round(max(window.peak_rss_mib for window in windows), 1),
        errors=sum(window.errors for window in windows),
        error_samples=[sample for window in windows for sample in window.error_samples][:5],
        cpu_ms_per_turn_rounds=[round(window.cpu_ms_per_turn, 2) for window in windows],
    )


async def measure(bot: processes.MeasuredBot, store: str, http: aiohttp.ClientSession, connector: BenchConnector,
                  conversations: int, warmup_s: float, window_s: float, profile_dir: Path | None) -> ScenarioResult:
    """One bot alone, one window (the scale scenario measures this way)."""
    profiler_args = (store, conversations, profile_dir) if profile_dir else None
    window = await measure_window(bot, http, connector, conversations, warmup_s, window_s, profiler_args)
    return scenario_of(bot.name, store, conversations, connector.delay_s, [window])


def _start_profiler(bot, store, conversations, profile_dir, connector, window_s):
    """py-spy (collapsed stacks) over the measuring window; it samples from another core."""
    if profile_dir is None or connector.delay_s:
        return None
    if shutil.which("py-spy") is None:
        print("--profile needs py-spy (pip install py-spy): not profiling", file=sys.stderr)
        return None
    profile_dir.mkdir(parents=True, exist_ok=True)
    out = profile_dir / f"{bot.name}-{store}-{conversations}.txt"
    return subprocess.Popen(
        ["py-spy", "record", "--pid", str(bot.pid), "--duration", str(int(window_s)), "--rate", "250",
         "--nonblocking", "--format", "raw", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


# --- processes and databases ------------------------------------------------------------------


async def start_measured(factory, restarts: int) -> tuple[processes.MeasuredBot, list[float], list[float]]:
    """Start the bot `1 + restarts` times; return the last one, still running, and every cold start
    (wall time and the process's CPU time)."""
    times, cpu_times = [], []
    for attempt in range(1 + restarts):
        bot = await factory().start_timed()
        times.append(bot.cold_start_s)
        cpu_times.append(bot.cold_start_cpu_s)
        if attempt < restarts:
            bot.stop()
            await asyncio.sleep(0.3)
    return bot, times, cpu_times


async def idle_rss(bot: processes.MeasuredBot, settle_s: float = 1.5) -> float:
    await asyncio.sleep(settle_s)
    return round(procstat.rss_mib(bot.pid), 1)


async def create_pg_database(admin_url: str) -> str | None:
    name = f"larmlotsen_bench_{uuid.uuid4().hex[:8]}"
    try:
        conn = await asyncpg.connect(admin_url, timeout=3)
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as error:
        print(f"PostgreSQL is not reachable at {admin_url} ({error}): its scenarios are SKIPPED", file=sys.stderr)
        return None
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def drop_pg_database(admin_url: str, url: str) -> None:
    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Plan:
    warmup_s: float
    window_s: float  # per bot and scenario, split into `rounds` windows
    rounds: int
    restarts: int
    conversation_counts: list[int]
    delayed_conversations: int
    stores: list[str]
    bot_cpus: set[int] | None
    pg_admin_url: str
    profile_dir: Path | None
    log_dir: Path
    agents_python: Path

    def scenarios(self) -> list[tuple[int, float]]:
        """(conversations, connector delay s) of every scenario, in the order they are run."""
        instant = [(count, 0.0) for count in self.conversation_counts]
        return instant + ([(self.delayed_conversations, DELAYED_CONNECTOR_S)] if self.delayed_conversations else [])


@dataclass
class RunningBot:
    bot: processes.MeasuredBot
    store: str


async def start_bot(name: str, store: str, factory, plan: Plan, results: dict) -> RunningBot:
    """Time the bot's cold starts and idle memory; leave the last start running for the load."""
    bot, starts, cpu_starts = await start_measured(factory, plan.restarts)
    try:
        baseline = name in processes.BASELINES
        first = None if baseline else round(starts[0], 3)
        restarts, cpu_restarts = (starts, cpu_starts) if baseline else (starts[1:], cpu_starts[1:])
        results["startup"].append(StartupResult(
            bot=name, store=store, first_start_s=first, cold_start_s=round(statistics.median(restarts), 3),
            cold_starts_s=[round(s, 3) for s in starts], idle_rss_mib=await idle_rss(bot),
            cold_start_cpu_s=round(statistics.median(cpu_restarts), 3)))
    except BaseException:
        bot.stop()
        raise
    return RunningBot(bot, store)


async def measure_in_turn(running: list[RunningBot], conversations: int, delay_s: float, plan: Plan,
                          http, connector, results: dict) -> None:
    """Every bot under the same load, in turn: `rounds` windows each, the order rotated every round.

    The machine is shared, and what else runs on it moves a turn's CPU by tens of per cent over
    minutes; bots measured seconds apart, round after round, see the same machine, so their
    ratio holds where their absolute figures do not."""
    windows: dict[int, list[Window]] = {id(r): [] for r in running}
    connector.delay_s = delay_s
    try:
        for number in range(plan.rounds):
            shift = number % len(running)
            for r in running[shift:] + running[:shift]:
                warmup = plan.warmup_s if number == 0 else min(plan.warmup_s, ROUND_WARMUP_S)
                profiler_args = (r.store, conversations, plan.profile_dir) if plan.profile_dir and number == 0 else None
                windows[id(r)].append(await measure_window(r.bot, http, connector, conversations, warmup,
                                                           plan.window_s / plan.rounds, profiler_args))
                await asyncio.sleep(0.3)
    finally:
        connector.delay_s = 0.0
    for r in running:
        result = scenario_of(r.bot.name, r.store, conversations, delay_s, windows[id(r)])
        results["scenarios"].append(result)
        print(report.scenario_line(result), flush=True)


async def run(plan: Plan) -> dict:
    results: dict = {"scenarios": [], "startup": []}
    connector = await BenchConnector().start()
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=60))
    workdir = Path(tempfile.mkdtemp(prefix="larmlotsen-bench-"))
    running: list[RunningBot] = []
    pg_url = None
    try:
        running.append(await start_bot(processes.BOTBUILDER_ECHO, "memory",
                                       lambda: processes.echo_bot(plan.log_dir / "echo-botbuilder.log", plan.bot_cpus),
                                       plan, results))
        running.append(await start_bot(processes.AGENTS_ECHO, "memory",
                                       lambda: processes.agents_echo(plan.agents_python, plan.log_dir / "echo-agents.log",
                                                                     plan.bot_cpus),
                                       plan, results))
        if "sqlite" in plan.stores:
            url = f"sqlite:///{workdir}/larmlotsen.db"
            running.append(await start_bot("larmlotsen", "sqlite",
                                           lambda: processes.larmlotsen(url, plan.log_dir / "larmlotsen-sqlite.log",
                                                                        plan.bot_cpus),
                                           plan, results))
        if "postgresql" in plan.stores:
            pg_url = await create_pg_database(plan.pg_admin_url)
            if pg_url is None:
                results["skipped"] = f"postgresql: not reachable at {plan.pg_admin_url}"
            else:
                running.append(await start_bot("larmlotsen", "postgresql",
                                               lambda: processes.larmlotsen(pg_url, plan.log_dir / "larmlotsen-postgresql.log",
                                                                            plan.bot_cpus),
                                               plan, results))
        for conversations, delay_s in plan.scenarios():
            await measure_in_turn(running, conversations, delay_s, plan, http, connector, results)
    finally:
        for r in running:
            r.bot.stop()
        await http.close()
        await connector.close()
        if pg_url is not None:
            await drop_pg_database(plan.pg_admin_url, pg_url)
        shutil.rmtree(workdir, ignore_errors=True)  # a filled database takes hundreds of MB
    return results


def machine_info() -> dict:
    from importlib.metadata import version

    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "botbuilder_core": version("botbuilder-core"), "agents_sdk": agents_sdk.installed_versions(),
            "load_average_at_end": os.getloadavg()}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run: 1 s warm-up, 4 s windows, one restart")
    parser.add_argument("--window", type=float, help="seconds measured per scenario (default 15, quick 4)")
    parser.add_argument("--rounds", type=int,
                        help="windows per bot and scenario, the bots measured in turn (default 3, quick 2)")
    parser.add_argument("--warmup", type=float, help="seconds of load before measuring (default 3, quick 1)")
    parser.add_argument("--conversations", default="1,10,50", help="concurrent conversations per scenario")
    parser.add_argument("--stores", default="sqlite,postgresql", help="stores to measure Larmlotsen on")
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL,
                        help="PostgreSQL URL allowed to CREATE/DROP DATABASE (env LARMLOTSEN_TEST_PG)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the bot to core 0")
    parser.add_argument("--profile", action="store_true", help="py-spy the bot in each scenario (bench/results/profiles)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    parser.add_argument("--no-scale", action="store_true",
                        help="skip the scale scenario (bench/scale.py: 1,000-100,000 cases; quick: 1,000 and 10,000)")
    return parser.parse_args(argv)


def plan_from(args: argparse.Namespace) -> Plan:
    counts = [int(n) for n in args.conversations.split(",") if n.strip()]
    pin = not args.no_pin and (os.cpu_count() or 1) > 1
    if pin:
        procstat.pin(0, set(range(os.cpu_count())) - {processes.BOT_CPU})
    return Plan(
        warmup_s=args.warmup if args.warmup is not None else (1.0 if args.quick else 3.0),
        window_s=args.window if args.window is not None else (4.0 if args.quick else 15.0),
        rounds=args.rounds if args.rounds is not None else (2 if args.quick else 3),
        restarts=1 if args.quick else 3,
        conversation_counts=counts, delayed_conversations=max(counts),
        stores=[s.strip() for s in args.stores.split(",") if s.strip()],
        bot_cpus={processes.BOT_CPU} if pin else None, pg_admin_url=args.pg_admin_url,
        profile_dir=RESULTS_DIR / "profiles" if args.profile else None, log_dir=RESULTS_DIR / "logs",
        agents_python=agents_sdk.ensure_venv(),
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    plan = plan_from(args)
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    load_at_start = os.getloadavg()  # the machine is shared: say how busy it was
    results = asyncio.run(run(plan))
    document = {
        "started_at": started_at, "quick": args.quick, "machine": machine_info(),
        "plan": {"warmup_s": plan.warmup_s, "window_s": plan.window_s, "rounds": plan.rounds,
                 "restarts": plan.restarts,
                 "bot_pinned_to_cpu": sorted(plan.bot_cpus) if plan.bot_cpus else None,
                 "walk": "ny beställning: 2 question cards and the customer-reference card answered by card submits, then one Action.Execute invoke per step, then close: 12 turns"},
        "scenarios": [asdict(r) for r in results["scenarios"]],
        "startup": [asdict(s) for s in results["startup"]],
        "skipped": results.get("skipped"),
    }
    document["machine"]["load_average_at_start"] = load_at_start
    document["ratios"] = report.ratios(results["scenarios"])
    document["startup_ratios"] = report.startup_ratios(results["startup"])
    document["targets"] = report.targets(results["scenarios"], results["startup"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print()
    print(report.markdown(document))
    print(f"\nwritten: {args.output.relative_to(REPO_ROOT) if args.output.is_relative_to(REPO_ROOT) else args.output}")
    errors = sum(r.errors for r in results["scenarios"])
    if not args.no_scale:
        from bench import scale  # imports this module: loaded only when it runs

        print("\nScale: the same bot on 1,000 to 100,000 cases (bench/scale.py)\n", flush=True)
        scale_args = ["--stores", args.stores, "--pg-admin-url", args.pg_admin_url] + (["--quick"] if args.quick else [])
        errors += scale.main(scale_args + (["--no-pin"] if args.no_pin else []))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
