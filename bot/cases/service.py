"""Use cases on cases, each one unit of work: load the case under a lock, let the domain decide,
append the new events, call the event listeners, commit.

Inside a turn, "commit" is the turn's (bot/unit_of_work.py): the action runs in a savepoint of the
turn's transaction, which also holds the dialog state and the activity's journal entry.

Event listeners run inside the same transaction, before commit, so another module (the outbox of
channel notices) can write its rows atomically with the events that cause them. A listener that
raises rolls the whole action back.

Concurrency: on PostgreSQL the case row is locked with SELECT … FOR UPDATE; on SQLite the single
pooled connection serialises sessions. Behind both, `cases.version` is checked on update and
(case_id, seq) is unique, so two writers can never both append the same event; a loser retries
on fresh state (where a double-clicked step reports "already done").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Awaitable, Callable, Iterable, Mapping, Sequence

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from . import reports
from .tables import CaseEventRow, CaseReferenceCounterRow, CaseRow
from bot.db import side_engine, sqlite_off_the_loop
from bot.domain import wording
from bot.domain.calendar import DomainConfig
from bot.domain.case import Actor, Case, CaseEvent, CaseStatus, Change, EventKind
from bot.domain.clock import Clock, system_clock, utc
from bot.domain.engine import CaseEngine, StepDeadline
from bot.domain.errors import CaseNotFoundError, ConcurrentUpdateError
from bot.dialect import insert_for, is_sqlite
from bot.domain.reference import format_reference
from bot.unit_of_work import current_unit, engine_of, reader_of, reading

log = logging.getLogger(__name__)


Listener = Callable[[AsyncSession, Case, tuple[CaseEvent, ...]], Awaitable[None]]
# Called with the case as loaded under the lock, before the domain decides; raising refuses the
# action (nothing is written). The caller's access check runs on the very case it changes, and
# the case is read once per action.
Authorize = Callable[[Case], None]

# Core statements, built once: loading and flushing ORM objects cost more than the queries
# themselves on the hot path (docs/performance.md). Listeners still get the ORM session.
_CASES = CaseRow.__table__
_EVENTS = CaseEventRow.__table__
# A case and its events in one statement (one round trip): one row per event, case columns repeated.
_CASE_WITH_EVENTS = (
    select(_CASES.c.id, _CASES.c.reference, _CASES.c.routine_key, _CASES.c.facts, _CASES.c.team_id,
           _CASES.c.conversation_id, _CASES.c.customer_ref, _EVENTS.c.seq, _EVENTS.c.kind, _EVENTS.c.at,
           _EVENTS.c.actor_id, _EVENTS.c.actor_name, _EVENTS.c.step_id, _EVENTS.c.text)
    .select_from(_CASES.outerjoin(_EVENTS, _EVENTS.c.case_id == _CASES.c.id))
    .where(_CASES.c.reference == bindparam("reference"))
    .order_by(_EVENTS.c.seq)
)
# Locking on PostgreSQL: after waiting for a lock, PostgreSQL returns the case row as committed by
# the other writer but a join's event rows from before the wait. The locked row's version (its
# number of events) tells: when it differs from the events read, a second statement reads them.
# Uncontended (the usual case), locking and loading is one statement.
_CASE_WITH_EVENTS_FOR_UPDATE = _CASE_WITH_EVENTS.add_columns(_CASES.c.version).with_for_update(of=_CASES)
_CASE_COLUMNS = select(_CASES.c.id, _CASES.c.reference, _CASES.c.routine_key, _CASES.c.facts, _CASES.c.team_id,
                       _CASES.c.conversation_id, _CASES.c.customer_ref)
_EVENT_COLUMNS = select(_EVENTS.c.case_id, _EVENTS.c.seq, _EVENTS.c.kind, _EVENTS.c.at, _EVENTS.c.actor_id,
                        _EVENTS.c.actor_name, _EVENTS.c.step_id, _EVENTS.c.text)
_CASE_WITH_EVENTS_BY_ID = _CASE_WITH_EVENTS.where(_CASES.c.id == bindparam("case_id"))
_INSERT_CASE = insert(_CASES).returning(_CASES.c.id)
_INSERT_EVENTS = insert(_EVENTS)
# Moving the projection on, only if nobody else did meanwhile (the version check).
_UPDATE_CASE = (
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"), _CASES.c.version == bindparam("old_version"))
    .values(version=bindparam("new_version", type_=_CASES.c.version.type),
            status=bindparam("new_status", type_=_CASES.c.status.type),
            updated_at=bindparam("new_updated_at", type_=_CASES.c.updated_at.type))
)
_UPDATE_ENDED_CASE = _UPDATE_CASE.values(ended_at=bindparam("new_ended_at", type_=_CASES.c.ended_at.type))
_COUNTERS = CaseReferenceCounterRow.__table__
# The next reference number of a year, per dialect (an upsert, safe under concurrency).
_NEXT_NUMBER = {
    name: dialect_insert(_COUNTERS)
    .values(year=bindparam("year"), last_value=1)
    .on_conflict_do_update(index_elements=[_COUNTERS.c.year], set_={"last_value": _COUNTERS.c.last_value + 1})
    .returning(_COUNTERS.c.last_value)
    for name, dialect_insert in ((name, insert_for(name)) for name in ("postgresql", "sqlite"))
}


@dataclass(frozen=True)
class CaseResult:
    """What a mutating use case returns: the case after it and the events it added."""

    case: Case
    events: tuple[CaseEvent, ...]
    already_done: bool = False
    message: str = ""  # Swedish
    warnings: tuple[str, ...] = ()  # Swedish

    @property
    def reference(self) -> str:
        return self.case.reference


@dataclass(frozen=True)
class OverdueStep:
    case: Case
    deadline: StepDeadline


class _VersionConflict(Exception):
    pass


def domain_config_from_settings(settings) -> DomainConfig:
    """Build the domain's plain configuration from bot.config.Settings."""
    return DomainConfig.from_values(
        opening_time=settings.opening_time,
        closing_time=settings.closing_time,
        timezone=settings.timezone,
        immediate_within_hours=settings.immediate_within_hours,
        install_feedback_working_days=settings.install_feedback_working_days,
        case_system_name=settings.case_system_name,
        reminder_lead_minutes=settings.reminder_lead_minutes,
    )


class CaseService:
    def __init__(
        self,
        sessions: async_sessionmaker,
        engine: CaseEngine | None = None,
        *,
        listeners: Iterable[Listener] = (),
        clock: Clock = system_clock,
        max_attempts: int = 5,
    ):
        self.sessions = sessions
        self._reader = reader_of(sessions)  # reads need no transaction around them
        self.engine = engine or CaseEngine()
        self.listeners: list[Listener] = list(listeners)
        self.clock = clock
        self.max_attempts = max_attempts
        self._numbers: AsyncEngine | None = None  # PostgreSQL, in a turn: see _next_number

    async def dispose(self) -> None:
        """Release the connections of the reference-number pool, if one was opened."""
        if self._numbers is not None:
            await self._numbers.dispose()
            self._numbers = None

    async def export_events_csv(self, start: date, end: date) -> str:
        """Every event of the period (local days, inclusive), with its case, as CSV (the audit export)."""
        with sqlite_off_the_loop():  # a month of events: thousands of rows
            return await reports.export_events_csv(self.sessions, self.engine, start, end)

    def add_listener(self, listener: Listener) -> None:
        self.listeners.append(listener)

    # --- mutating use cases -------------------------------------------------------------------

    async def start_case(
        self,
        routine_key: str,
        *,
        actor: Actor,
        facts: Mapping[str, Any] | None = None,
        team_id: str | None = None,
        conversation_id: str | None = None,
        customer_ref: str | None = None,
        now: datetime | None = None,
    ) -> CaseResult:
        at = utc(now or self.clock())

        async def attempt() -> CaseResult:
            async with self.sessions.begin() as session:
                # Validate before taking a reference number, so that refusals do not burn numbers.
                change = self.engine.open_case(
                    routine_key, reference="", actor=actor, at=at, facts=facts,
                    team_id=team_id, conversation_id=conversation_id, customer_ref=customer_ref,
                )
                year = self.engine.calendar.local_date(at).year
                reference = format_reference(year, await self._next_number(session, year))
                change = replace(change, case=replace(change.case, reference=reference))
                conn = await session.connection()
                case_id = (await conn.execute(_INSERT_CASE, _case_values(change.case))).scalar_one()
                await conn.execute(_INSERT_EVENTS, [_event_values(case_id, event) for event in change.events])
                await self._notify(session, change)
                return _result(change)

        return await self._with_retries(attempt)

    # Each takes an optional `authorize` (see Authorize above).

    async def complete_step(self, reference: str, step_id: str, actor: Actor, *, now: datetime | None = None,
                            authorize: Authorize | None = None) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.complete_step(step_id, actor, at), authorize)

    async def undo_last_step(self, reference: str, actor: Actor, reason: str, *, now: datetime | None = None,
                             authorize: Authorize | None = None) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.undo_last_step(actor, reason, at), authorize)

    async def add_note(self, reference: str, actor: Actor, text: str, *, now: datetime | None = None,
                       authorize: Authorize | None = None) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.add_note(actor, text, at), authorize)

    async def record_reminder(
        self, reference: str, step_id: str, actor: Actor, *, text: str | None = None, now: datetime | None = None,
        authorize: Authorize | None = None,
    ) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.record_reminder(step_id, actor, at, text), authorize)

    async def close(self, reference: str, actor: Actor, *, text: str | None = None, now: datetime | None = None,
                    authorize: Authorize | None = None) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.close(actor, at, text), authorize)

    async def cancel(self, reference: str, actor: Actor, reason: str, *, now: datetime | None = None,
                     authorize: Authorize | None = None) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.cancel(actor, reason, at), authorize)

    async def decline(self, reference: str, actor: Actor, *, reason: str | None = None, now: datetime | None = None,
                      authorize: Authorize | None = None) -> CaseResult:
        at = utc(now or self.clock())
        return await self._mutate(reference, lambda case: case.decline(actor, at, reason), authorize)

    # --- queries ------------------------------------------------------------------------------

    async def get_by_reference(self, reference: str) -> Case | None:
        async with reading(self._reader) as conn:
            rows = (await conn.execute(_CASE_WITH_EVENTS, {"reference": reference})).all()
        return self._restore(rows[0], _event_rows(rows)) if rows else None

    async def open_cases_for_team(self, team_id: str | None = None, conversation_id: str | None = None) -> list[Case]:
        """Open cases of a team and/or a conversation (either match counts)."""
        conditions = []
        if team_id:
            conditions.append(CaseRow.team_id == team_id)
        if conversation_id:
            conditions.append(CaseRow.conversation_id == conversation_id)
        if not conditions:
            return []
        # "open and (team or conversation)" written as "(open and team) or (open and conversation)":
        # SQLite then reads each side on its (status, team) or (status, conversation) index instead
        # of every open case of every team (at 100,000 cases their rows are spread over the file).
        is_open = CaseRow.status == CaseStatus.OPEN.value
        return await self._cases_where(or_(*(and_(is_open, condition) for condition in conditions)))

    async def open_cases_for_user(self, aad_object_id: str) -> list[Case]:
        """Open cases the user started or acted on."""
        return await self._open_cases(_involving(aad_object_id))

    async def open_cases(self) -> list[Case]:
        """Every open case (the reminder scan: one query, whatever the number of teams)."""
        return await self._open_cases(None)

    async def ended_cases_since(self, since: datetime, *, team_id: str | None = None,
                                conversation_id: str | None = None, user_id: str | None = None) -> list[Case]:
        """Cases ended (closed, cancelled, declined) since `since`, of a team and/or conversation, else
        of a user; one query for the cases and one for their events, on indexes that start with the
        team, conversation or user and then the end time."""
        conditions = []
        if team_id:
            conditions.append(CaseRow.team_id == team_id)
        if conversation_id:
            conditions.append(CaseRow.conversation_id == conversation_id)
        if not conditions and user_id:
            conditions.append(_involving(user_id))
        if not conditions:
            return []
        return await self._cases_where(and_(CaseRow.ended_at >= since, or_(*conditions)))

    async def overdue_steps(self, now: datetime | None = None) -> list[OverdueStep]:
        at = utc(now or self.clock())
        overdue = []
        for case in await self._open_cases(None):
            overdue.extend(OverdueStep(case, deadline) for deadline in self.engine.overdue(case, at))
        return sorted(overdue, key=lambda item: item.deadline.due_at)

    # --- internals ----------------------------------------------------------------------------

    async def _mutate(self, reference: str, action: Callable[[Case], Change],
                      authorize: Authorize | None = None) -> CaseResult:
        async def attempt() -> CaseResult:
            async with self.sessions.begin() as session:
                conn = await session.connection()
                rows = await self._lock_case(conn, reference)
                case = self._restore(rows[0], _event_rows(rows))
                if authorize is not None:
                    authorize(case)  # raises to refuse; the transaction rolls back, nothing written
                change = action(case)
                if change.events:
                    await self._append_events(conn, rows[0], change)
                    await self._notify(session, change)
                return _result(change)

        return await self._with_retries(attempt)

    async def _with_retries(self, attempt: Callable[[], Awaitable[CaseResult]]) -> CaseResult:
        for number in range(1, self.max_attempts + 1):
            try:
                return await attempt()
            except IntegrityError as error:
                if not _is_concurrent_write(error):
                    raise
                log.info("concurrent case update, attempt %d of %d", number, self.max_attempts)
            except _VersionConflict:
                log.info("concurrent case update, attempt %d of %d", number, self.max_attempts)
        raise ConcurrentUpdateError(wording.CONCURRENT_UPDATE)

    async def _lock_case(self, conn, reference: str) -> list:
        """The case row locked (FOR UPDATE OF cases), with its events."""
        if is_sqlite(conn):
            # No FOR UPDATE there: the single pooled connection serialises writers, one statement does.
            rows = (await conn.execute(_CASE_WITH_EVENTS, {"reference": reference})).all()
        else:
            rows = (await conn.execute(_CASE_WITH_EVENTS_FOR_UPDATE, {"reference": reference})).all()
            if rows and rows[0].version != len(_event_rows(rows)):
                # We waited for another writer: its events are newer than this statement's snapshot.
                log.debug("case %s: locked after another writer; its events read again", reference)
                rows = (await conn.execute(_CASE_WITH_EVENTS_BY_ID,
                                           {"reference": reference, "case_id": rows[0].id})).all()
        if not rows:
            raise CaseNotFoundError(wording.case_not_found(reference))
        return rows

    async def _open_cases(self, condition) -> list[Case]:
        is_open = CaseRow.status == CaseStatus.OPEN.value
        return await self._cases_where(is_open if condition is None else and_(is_open, condition))

    async def _cases_where(self, condition) -> list[Case]:
        """The cases matching `condition` with their events: two Core statements, whatever their number."""
        async with reading(self._reader) as conn:
            rows = (await conn.execute(_CASE_COLUMNS.where(condition).order_by(_CASES.c.id))).all()
            if not rows:
                return []
            case_ids = select(_CASES.c.id).where(condition).scalar_subquery()
            event_rows = (await conn.execute(
                _EVENT_COLUMNS.where(_EVENTS.c.case_id.in_(case_ids)).order_by(_EVENTS.c.case_id, _EVENTS.c.seq)
            )).all()
        events_by_case: dict[int, list] = {}
        for event in event_rows:
            events_by_case.setdefault(event.case_id, []).append(event)
        return [self._restore(row, events_by_case.get(row.id, [])) for row in rows]

    def _restore(self, row: CaseRow, events: Sequence[CaseEventRow]) -> Case:
        return self.engine.restore(
            reference=row.reference,
            routine_key=row.routine_key,
            facts=row.facts,
            events=tuple(_event_from_row(event) for event in events),
            team_id=row.team_id,
            conversation_id=row.conversation_id,
            customer_ref=row.customer_ref,
        )

    async def _next_number(self, session: AsyncSession, year: int) -> int:
        """Atomically take the next number of the year (an upsert, safe under concurrency).

        On PostgreSQL inside a turn the number is taken in a transaction of its own: in the turn's
        transaction the year's counter row stays locked until the whole turn commits, and every
        other conversation starting a case waits for it (at 50 conversations most of them did).
        A turn that rolls back after this leaves a gap in the year's numbers, never a duplicate.
        On SQLite the turn already holds the one writer's lock, so nothing waits on the counter."""
        if is_sqlite(session):
            return (await session.execute(_NEXT_NUMBER["sqlite"], {"year": year})).scalar_one()
        if current_unit() is None:
            return (await session.execute(_NEXT_NUMBER["postgresql"], {"year": year})).scalar_one()
        if self._numbers is None:
            self._numbers = side_engine(engine_of(self.sessions))
        async with self._numbers.connect() as conn:
            return (await conn.execute(_NEXT_NUMBER["postgresql"], {"year": year})).scalar_one()

    async def _append_events(self, conn, row, change: Change) -> None:
        """Append the new events and move the projection on, if nobody else did meanwhile."""
        case = change.case
        old_version = len(case.events) - len(change.events)
        values = {"case_id": row.id, "old_version": old_version, "new_version": len(case.events),
                  "new_status": case.status.value, "new_updated_at": case.events[-1].at}
        if case.is_open:
            statement = _UPDATE_CASE
        else:
            statement, values["new_ended_at"] = _UPDATE_ENDED_CASE, case.events[-1].at
        result = await conn.execute(statement, values)
        if result.rowcount != 1:
            raise _VersionConflict(case.reference)
        await conn.execute(_INSERT_EVENTS, [_event_values(row.id, event) for event in change.events])

    async def _notify(self, session: AsyncSession, change: Change) -> None:
        for listener in self.listeners:
            await listener(session, change.case, change.events)


def _involving(user_id: str):
    """Cases the user started or acted on, as two indexed look-ups (created_by_id; actor_id, case_id)
    rather than a correlated EXISTS, which makes SQLite scan every case ever stored."""
    acted = select(_EVENTS.c.case_id).where(_EVENTS.c.actor_id == user_id)
    return or_(CaseRow.created_by_id == user_id, CaseRow.id.in_(acted.scalar_subquery()))


# The constraints that only a concurrent writer of the same case (or reference) can hit.
_CONCURRENCY_CONSTRAINTS = (
    "uq_case_events_case_seq",
    "case_events.case_id, case_events.seq",
    "uq_cases_reference",
    "cases.reference",
)


def _is_concurrent_write(error: IntegrityError) -> bool:
    message = str(error.orig)
    return any(name in message for name in _CONCURRENCY_CONSTRAINTS)


def _result(change: Change) -> CaseResult:
    return CaseResult(change.case, change.events, change.already_done, change.message, change.warnings)


def _case_values(case: Case) -> dict[str, Any]:
    opened = case.events[0]
    return dict(
        reference=case.reference,
        routine_key=case.routine.key,
        facts=_facts_to_json(case.facts),
        team_id=case.team_id,
        conversation_id=case.conversation_id,
        customer_ref=case.customer_ref,
        status=case.status.value,
        version=len(case.events),
        created_by_id=opened.actor.id,
        created_at=opened.at,
        updated_at=opened.at,
    )


def _facts_to_json(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in facts.items()}


def _event_values(case_id: int, event: CaseEvent) -> dict[str, Any]:
    return dict(
        case_id=case_id,
        seq=event.seq,
        kind=event.kind.value,
        step_id=event.step_id,
        text=event.text,
        actor_id=event.actor.id,
        actor_name=event.actor.name,
        at=event.at,
    )


def _event_rows(rows: Sequence) -> list:
    """The event part of joined case rows (a case without events has one row with seq NULL)."""
    return [row for row in rows if row.seq is not None]


def _event_from_row(row: CaseEventRow) -> CaseEvent:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return CaseEvent(row.seq, EventKind(row.kind), utc(row.at), Actor(row.actor_id, row.actor_name), row.step_id, row.text)
