"""Fills a Larmlotsen database with many cases in realistic states, fast (bulk inserts).

Every case is made by the real domain engine (facts asked by the routine, steps done in the order
the engine allows, closed, declined or cancelled the way the bot would), so the rows are exactly
what the bot writes; only the inserting is done in bulk: executemany on SQLite, COPY on
PostgreSQL. Cases belong to `teams` teams (channel cases and personal-chat cases of the team's
users), each team has an active notice channel, and references follow TL-<year>-<number>.

The open load is held constant while history grows: `fill_level` adds open cases only up to the
wanted number and everything else as ended cases spread over the retention period, with a small
share older than it (what one retention purge removes).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cases.repository import case_values, event_values
from bot.domain.reference import format_reference
from bot.cases.tables import CaseEventRow, CaseReferenceCounterRow, CaseRow
from bot.domain import Actor, CaseEngine
from bot.domain.case import Case
from bot.notifications.tables import NoticeChannelRow

TENANT_ID = "72f988bf-0000-4000-8000-000000000001"
BOT_ID = "28:larmlotsen-bot"
USERS_PER_TEAM = 5
PURGEABLE_SHARE = 0.01  # of the ended cases added: ended before the retention period


def team_id(number: int) -> str:
    return f"19:scale-team-{number:03d}@thread.tacv2"


def channel_conversation(number: int) -> str:
    return f"{team_id(number)};messageid=1"


def user_actor(team: int, number: int) -> Actor:
    return Actor(f"00000000-5ca1-4000-8000-{team:06d}{number:06d}", f"Personal {team}-{number}")


@dataclass
class FillState:
    """What the database holds so far (the fill adds to it level by level)."""

    teams: int
    retention_months: int
    now: datetime
    seed: int = 17
    purgeable_share: float = PURGEABLE_SHARE
    cases: int = 0
    open_cases: int = 0
    next_id: int = 1
    next_event_id: int = 1
    numbers: dict[int, int] = field(default_factory=dict)  # year -> last reference number
    open_references: list[tuple[int, str]] = field(default_factory=list)  # (team, reference)
    random: random.Random = None  # type: ignore[assignment]
    templates: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)


def _facts_for(engine: CaseEngine, routine, rng: random.Random, opened: datetime) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for spec in routine.facts:
        if spec.kind == "bool":
            raw[spec.name] = rng.random() < 0.3
        elif spec.kind == "choice":
            raw[spec.name] = rng.choice(spec.choices).value
        elif spec.kind == "date":
            day = engine.calendar.local_date(opened) + timedelta(days=rng.randint(8, 30))
            while not engine.calendar.is_working_day(day):
                day += timedelta(days=1)
            raw[spec.name] = day.isoformat()
    return raw


def make_case(engine: CaseEngine, rng: random.Random, *, reference: str, team: int, opened: datetime,
              ending: str | None) -> Case:
    """One case made by the engine: `ending` None leaves it open part-way, else closed/declined/cancelled."""
    routine = rng.choice(list(engine.routines.values()))
    actor = user_actor(team, rng.randrange(USERS_PER_TEAM))
    in_channel = rng.random() < 0.6
    change = engine.open_case(
        routine.key, reference=reference, actor=actor, at=opened,
        facts=_facts_for(engine, routine, rng, opened), team_id=team_id(team),
        conversation_id=channel_conversation(team) if in_channel else f"a:scale-personal-{actor.id[-12:]}",
        customer_ref=f"kund-{rng.randrange(10**6):06d}")
    case = change.case
    at = opened
    if ending == "declined" and any(step.id == "accept" for step in case.steps):
        return case.decline(actor, at + timedelta(hours=2)).case
    if ending == "cancelled":
        return case.cancel(actor, "Kunden flyttade", at + timedelta(days=1)).case
    steps_to_do = None if ending else rng.randrange(0, max(len(case.steps), 1))
    done = 0
    while case.next_step is not None and (steps_to_do is None or done < steps_to_do):
        at += timedelta(hours=rng.randint(1, 30))
        doer = user_actor(team, rng.randrange(USERS_PER_TEAM))
        case = case.complete_step(case.next_step.id, doer, at).case
        done += 1
    if ending and case.is_open:
        case = case.close(actor, at + timedelta(hours=1)).case
    return case


def _row_values(case: Case, case_id: int) -> tuple[dict, list[dict]]:
    values = case_values(case)
    values.update(id=case_id, version=len(case.events), status=case.status.value, updated_at=case.events[-1].at)
    values["ended_at"] = None if case.is_open else case.events[-1].at
    return values, [event_values(case_id, event) for event in case.events]


_TEMPLATES = 400  # ended cases made by the engine, then laid out again at other times and teams


def _templates(engine: CaseEngine, state: FillState) -> list[tuple[dict, list[dict]]]:
    if not state.templates:
        opened = datetime(2025, 3, 3, 8, tzinfo=timezone.utc)
        for number in range(_TEMPLATES):
            ending = state.random.choices(("closed", "declined", "cancelled"), weights=(90, 5, 5))[0]
            case = make_case(engine, state.random, reference="", team=0, opened=opened, ending=ending)
            state.templates.append(_row_values(case, 0))
    return state.templates


def _actor_in(team: int, actor_id: str, actor_name: str) -> tuple[str, str]:
    if not actor_id.startswith("00000000-5ca1-"):
        return actor_id, actor_name
    return f"00000000-5ca1-4000-8000-{team:06d}{actor_id[-6:]}", f"Personal {team}-{actor_name.rsplit('-', 1)[1]}"


def _from_template(template: tuple[dict, list[dict]], *, case_id: int, reference: str, team: int,
                   opened: datetime) -> tuple[dict, list[dict]]:
    """A template's rows moved to another time, team and id: the same states, events and gaps."""
    case_row, event_rows = template
    shift = opened - case_row["created_at"]
    row = dict(case_row, id=case_id, reference=reference, team_id=team_id(team),
               created_at=case_row["created_at"] + shift, updated_at=case_row["updated_at"] + shift,
               ended_at=case_row["ended_at"] + shift if case_row["ended_at"] else None,
               created_by_id=_actor_in(team, case_row["created_by_id"], "x-0")[0])
    if case_row["conversation_id"] == channel_conversation(0):
        row["conversation_id"] = channel_conversation(team)
    events = []
    for event in event_rows:
        actor_id, actor_name = _actor_in(team, event["actor_id"], event["actor_name"])
        events.append(dict(event, case_id=case_id, at=event["at"] + shift, actor_id=actor_id, actor_name=actor_name))
    return row, events


def plan_cases(engine: CaseEngine, state: FillState, total: int, open_wanted: int) -> tuple[list[dict], list[dict]]:
    """Rows for the cases that bring the database to `total` cases with `open_wanted` open."""
    rng = state.random
    add = max(total - state.cases, 0)
    add_open = min(max(open_wanted - state.open_cases, 0), add)
    cases, events = [], []
    retention_start = state.now - relativedelta(months=state.retention_months)
    for index in range(add):
        team = rng.randrange(state.teams)
        if index < add_open:
            opened = state.now - timedelta(hours=rng.randint(1, 24 * 20))
            ending = None
        else:
            purgeable = rng.random() < state.purgeable_share
            earliest = retention_start - timedelta(days=40) if purgeable else retention_start + timedelta(days=5)
            latest = retention_start - timedelta(days=35) if purgeable else state.now - timedelta(days=3)
            opened = earliest + (latest - earliest) * rng.random()
            ending = "ended"
        year = engine.calendar.local_date(opened).year
        state.numbers[year] = state.numbers.get(year, 0) + 1
        reference = format_reference(year, state.numbers[year])
        if ending is None:
            case = make_case(engine, rng, reference=reference, team=team, opened=opened, ending=None)
            row, event_rows = _row_values(case, state.next_id)
            state.open_references.append((team, reference))
        else:
            row, event_rows = _from_template(rng.choice(_templates(engine, state)), case_id=state.next_id,
                                             reference=reference, team=team, opened=opened)
        for event in event_rows:
            event["id"] = state.next_event_id
            state.next_event_id += 1
        cases.append(row)
        events.extend(event_rows)
        state.open_cases += ending is None
        state.next_id += 1
    state.cases += add
    return cases, events


def channel_rows(teams: int, service_url: str, now: datetime) -> list[dict]:
    rows = []
    for number in range(teams):
        conversation = channel_conversation(number)
        reference = {"bot": {"id": BOT_ID, "name": "Larmlotsen"}, "channelId": "msteams", "serviceUrl": service_url,
                     "conversation": {"id": conversation, "conversationType": "channel", "isGroup": True,
                                      "tenantId": TENANT_ID}, "user": {"id": "29:scale-admin"}}
        rows.append(dict(id=number + 1, scope=team_id(number), kind="channel", conversation_id=conversation,
                         reference=json.dumps(reference), active=True, subscribed_by_id="scale-admin",
                         subscribed_by_name="Scale Admin", subscribed_at=now, updated_at=now))
    return rows


# --- inserting ------------------------------------------------------------------------------------


async def insert_rows(engine: AsyncEngine, table, rows: list[dict], chunk: int = 20_000) -> None:
    if not rows:
        return
    if engine.dialect.name == "postgresql":
        await _copy_rows(engine, table, rows)
        return
    async with engine.begin() as conn:
        for start in range(0, len(rows), chunk):
            await conn.execute(table.insert(), rows[start:start + chunk])


async def _copy_rows(engine: AsyncEngine, table, rows: list[dict]) -> None:
    columns = list(rows[0])
    json_columns = {column.name for column in table.columns if column.type.__class__.__name__ == "JSON"}
    records = [tuple(json.dumps(row[name]) if name in json_columns else row[name] for name in columns)
               for row in rows]
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=columns)


async def _after_bulk(engine: AsyncEngine, state: FillState) -> None:
    """Counters and sequences past what the bulk insert used, so the bot's own inserts follow on."""
    counters = CaseReferenceCounterRow.__table__
    async with engine.begin() as conn:
        for year, number in state.numbers.items():
            await conn.execute(counters.delete().where(counters.c.year == year))
            await conn.execute(counters.insert().values(year=year, last_value=number))
        if engine.dialect.name == "postgresql":
            for table in ("cases", "case_events", "notice_channels"):
                await conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    await _settle(engine)


async def _settle(engine: AsyncEngine) -> None:
    """Leave the database as it would be some time after the cases were written, not in the middle of
    the bulk insert's aftermath: otherwise the first figures of a level share the machine with it.
    PostgreSQL: VACUUM ANALYZE now (autovacuum would start on it within a minute of a bulk insert,
    and run beside the measurements) and a CHECKPOINT (the load's dirty pages written now, not by
    the checkpointer during them). SQLite: the write-ahead log copied into the database file. No
    ANALYZE on SQLite, as the bot never runs one; its planner then goes by the indexes alone."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "postgresql":
            await conn.execute(text("VACUUM ANALYZE"))
            await conn.execute(text("CHECKPOINT"))
        else:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


async def fill_channels(engine: AsyncEngine, state: FillState, service_url: str) -> None:
    await insert_rows(engine, NoticeChannelRow.__table__, channel_rows(state.teams, service_url, state.now))


async def fill_level(engine: AsyncEngine, case_engine: CaseEngine, state: FillState, total: int,
                     open_wanted: int) -> int:
    """Bring the database to `total` cases (open load `open_wanted`); returns the events added."""
    # The bot may have added cases since the last level (the benchmark's walks): go on from there.
    async with engine.connect() as conn:
        state.next_id = max(state.next_id, (await conn.scalar(select(func.max(CaseRow.id))) or 0) + 1)
        state.next_event_id = max(state.next_event_id,
                                  (await conn.scalar(select(func.max(CaseEventRow.id))) or 0) + 1)
        counters = CaseReferenceCounterRow.__table__
        for year, number in (await conn.execute(select(counters.c.year, counters.c.last_value))).all():
            state.numbers[year] = max(state.numbers.get(year, 0), number)
    state.cases, state.open_cases, _ = await count_cases(engine)
    cases, events = plan_cases(case_engine, state, total, open_wanted)
    await insert_rows(engine, CaseRow.__table__, cases)
    await insert_rows(engine, CaseEventRow.__table__, events)
    await _after_bulk(engine, state)
    return len(events)


async def count_cases(engine: AsyncEngine) -> tuple[int, int, int]:
    """(cases, open cases, events) as the database holds them."""
    async with engine.connect() as conn:
        cases = await conn.scalar(select(func.count()).select_from(CaseRow))
        open_cases = await conn.scalar(select(func.count()).select_from(CaseRow).where(CaseRow.status == "open"))
        events = await conn.scalar(select(func.count()).select_from(CaseEventRow))
    return cases, open_cases, events


def today(now: datetime) -> date:
    return now.astimezone(timezone.utc).date()
