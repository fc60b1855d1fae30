"""The query plans of the paths that read many cases, on a filled database.

    python bench/scale_plans.py                      # 100,000 cases, SQLite and PostgreSQL
    python bench/scale_plans.py --size 10000 --stores sqlite

Fills a throwaway database as bench/scale.py does and prints, per statement, SQLite's
EXPLAIN QUERY PLAN or PostgreSQL's EXPLAIN ANALYZE (timings included), for docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from dateutil.relativedelta import relativedelta  # noqa: E402
from sqlalchemy import and_, select  # noqa: E402

from bench.run import create_pg_database, drop_pg_database  # noqa: E402
from bench.scale import DEFAULT_PG_ADMIN_URL, RETENTION_MONTHS  # noqa: E402
from bench.scale_fill import FillState, channel_conversation, fill_channels, fill_level, team_id, user_actor  # noqa: E402
from bot.cases import repository  # noqa: E402
from bot.cases.reports import LEAD_TIME  # noqa: E402
from bot.db import create_engine, migrate  # noqa: E402
from bot.domain import CaseEngine  # noqa: E402

_CASES = repository._CASES


def statements(now: datetime, reference: str, found: dict[str, list[int]], dialect: str) -> list[tuple[str, object]]:
    """The statements as the bot builds them (bot/cases/repository.py). `found`: the case ids a first
    statement returned, which the second is given (the open cases, team 7's open cases, team 7's
    new orders ended in 30 days)."""
    is_open = repository.open_and()
    open_in_team = repository.open_in(team_id(7), channel_conversation(7))
    user = repository.involving(user_actor(7, 1).id)
    ended = repository.ended_since(now - timedelta(days=30), team_id(7), channel_conversation(7), None)
    ended_mine = repository.ended_since(now - timedelta(days=30), None, None, user_actor(7, 1).id)
    start = now - timedelta(days=30)

    def events_of(name):
        return repository._EVENTS_OF_IDS[dialect].params(case_ids=found[name])

    def step_times(name):
        routine_key, start_step, end_step = LEAD_TIME
        return repository._STEP_TIMES[dialect].params(case_ids=found[name], start_step=start_step, end_step=end_step)

    return [
        ("reminder scan: every open case", repository._CASE_COLUMNS.where(is_open).order_by(_CASES.c.id)),
        ("reminder scan: their events", events_of("open")),
        ("`mina ärenden` in a channel: the team's open cases", repository._CASE_COLUMNS.where(open_in_team)),
        ("`mina ärenden` in a channel: their events", events_of("team")),
        ("`mina ärenden` in personal chat: the user's open cases", repository._CASE_COLUMNS.where(repository.open_and(user))),
        ("`ärende TL-…`: a case and its events", repository._CASE_WITH_EVENTS.params(reference=reference)),
        ("`statistik`: the team's cases ended in 30 days (id, status, routine)", repository._CASE_STATES.where(ended)),
        ("`statistik`: accept → activate of those that are new orders", step_times("ended")),
        ("`statistik` in personal chat: the user's cases ended in 30 days", repository._CASE_STATES.where(ended_mine)),
        ("export of a month", repository._EXPORT.params(begin=start, finish=now)),
        ("retention purge: what to delete", select(_CASES.c.id, _CASES.c.reference).where(
            _CASES.c.ended_at.is_not(None), _CASES.c.ended_at < now - relativedelta(months=RETENTION_MONTHS))),
    ]


async def explain(engine, label: str, statement) -> str:
    async with engine.connect() as conn:
        compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        params = compiled.construct_params()
        values = tuple(params[name] for name in compiled.positiontup) if compiled.positiontup else ()
        if conn.dialect.name == "sqlite":
            values = tuple(v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v for v in values)
            rows = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values)).all()
            plan = "\n".join("  " * _depth(rows, row) + row[-1] for row in rows)
        else:
            rows = (await conn.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}", values)).all()
            plan = "\n".join(row[0] for row in rows)
    return f"-- {label}\n{plan}\n"


def _depth(rows, row) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


async def plans_for(store: str, url: str, size: int) -> str:
    engine = create_engine(url)
    try:
        await migrate(engine)
        now = datetime.now(timezone.utc)
        state = FillState(teams=200, retention_months=RETENTION_MONTHS, now=now)
        await fill_channels(engine, state, "http://127.0.0.1:9/")
        await fill_level(engine, CaseEngine(), state, size, 400)
        reference = state.open_references[0][1]
        found = {}
        async with engine.connect() as conn:
            ended = and_(_CASES.c.routine_key == LEAD_TIME[0], repository.ended_since(
                now - timedelta(days=30), team_id(7), channel_conversation(7), None))
            for name, condition in (("open", repository.open_and()),
                                    ("team", repository.open_in(team_id(7), channel_conversation(7))),
                                    ("ended", ended)):
                found[name] = list((await conn.execute(select(_CASES.c.id).where(condition))).scalars())
        out = [f"## {store}, {size:,} cases\n"]
        for label, statement in statements(now, reference, found, engine.dialect.name):
            out.append(await explain(engine, label, statement))
        return "\n".join(out)
    finally:
        await engine.dispose()


async def main_async(args) -> None:
    if "sqlite" in args.stores:
        with tempfile.TemporaryDirectory(prefix="larmlotsen-plans-") as workdir:  # 250 MB at 100,000 cases
            print(await plans_for("sqlite", f"sqlite:///{workdir}/plans.db", args.size))
    if "postgresql" in args.stores:
        url = await create_pg_database(args.pg_admin_url)
        if url is not None:
            try:
                print(await plans_for("postgresql", url, args.size))
            finally:
                await drop_pg_database(args.pg_admin_url, url)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
