"""Use cases on cases, each one unit of work: load the case under a lock, let the domain decide,
append the new events, call the event listeners, commit.

Inside a turn, "commit" is the turn's (bot/unit_of_work.py): the action runs in the turn's
transaction, which also holds the dialog state and the activity's journal entry. Opening a case
takes a savepoint (a reference taken twice is retried); an action on a case does not: it writes
nothing until its version check has passed, and anything that fails after that fails the turn,
which rolls back as one.

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
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable, Iterable, Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from . import reports, repository
from bot.db import side_engine, sqlite_off_the_loop
from bot.domain import wording
from bot.domain.calendar import DomainConfig
from bot.domain.case import Actor, Case, CaseEvent, CaseStatus, Change
from bot.domain.clock import Clock, system_clock, utc
from bot.domain.engine import CaseEngine, StepDeadline
from bot.domain.errors import CaseNotFoundError, ConcurrentUpdateError
from bot.dialect import is_sqlite
from bot.domain.reference import format_reference
from bot.unit_of_work import current_unit, engine_of, reader_of, reading

log = logging.getLogger(__name__)


Listener = Callable[[AsyncSession, Case, tuple[CaseEvent, ...]], Awaitable[None]]
# Called with the case as loaded under the lock, before the domain decides; raising refuses the
# action (nothing is written). The caller's access check runs on the very case it changes, and
# the case is read once per action.
Authorize = Callable[[Case], None]

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


@dataclass(frozen=True)
class EndedSummary:
    closed: int  # of the ended cases, those closed (not cancelled or declined)
    lead_times: tuple[timedelta, ...]  # start step done -> end step done, by case id


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
                await repository.insert_case(await session.connection(), change)
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
            rows = await repository.case_with_events(conn, reference)
        return self._restore(rows[0], repository.event_rows(rows)) if rows else None

    async def open_cases_for_team(self, team_id: str | None = None, conversation_id: str | None = None) -> list[Case]:
        """Open cases of a team and/or a conversation (either match counts)."""
        return await self._cases_where(repository.open_in(team_id, conversation_id))

    async def open_cases_for_user(self, aad_object_id: str) -> list[Case]:
        """Open cases the user started or acted on."""
        return await self._cases_where(repository.open_and(repository.involving(aad_object_id)))

    async def open_cases(self) -> list[Case]:
        """Every open case (the reminder scan: one query, whatever the number of teams)."""
        return await self._cases_where(repository.open_and())

    async def ended_cases_since(self, since: datetime, *, team_id: str | None = None,
                                conversation_id: str | None = None, user_id: str | None = None) -> list[Case]:
        """Cases ended (closed, cancelled, declined) since `since`, of a team and/or conversation, else
        of a user; one query for the cases and one for their events."""
        return await self._cases_where(repository.ended_since(since, team_id, conversation_id, user_id))

    async def ended_summary(self, since: datetime, *, team_id: str | None = None,
                            conversation_id: str | None = None, user_id: str | None = None,
                            lead_time: tuple[str, str, str]) -> EndedSummary:
        """What `statistik` needs of the cases ended since `since` (places as in ended_cases_since),
        without loading them: how many were closed, and for the routine and steps `lead_time` names
        (routine key, start step, end step) the time between the two steps, per case that did both.
        One statement and one narrow row per ended case: never the cases' events."""
        condition = repository.ended_since(since, team_id, conversation_id, user_id)
        if condition is None:
            return EndedSummary(0, ())
        routine_key, start_step, end_step = lead_time
        async with reading(self._reader) as conn:
            ended = await repository.ended_with_step_times(conn, condition, start_step, end_step)
        closed = sum(1 for row in ended if row.status == CaseStatus.CLOSED.value)
        lead_times = tuple(utc(row.end_at) - utc(row.start_at) for row in ended
                           if row.routine_key == routine_key and row.start_at is not None and row.end_at is not None)
        return EndedSummary(closed, lead_times)

    async def overdue_steps(self, now: datetime | None = None) -> list[OverdueStep]:
        at = utc(now or self.clock())
        overdue = []
        for case in await self.open_cases():
            overdue.extend(OverdueStep(case, deadline) for deadline in self.engine.overdue(case, at))
        return sorted(overdue, key=lambda item: item.deadline.due_at)

    # --- internals ----------------------------------------------------------------------------

    async def _mutate(self, reference: str, action: Callable[[Case], Change],
                      authorize: Authorize | None = None) -> CaseResult:
        async def attempt() -> CaseResult:
            async with self._begin_without_savepoint() as session:
                conn = await session.connection()
                rows = await repository.lock_case_with_events(conn, reference)
                if not rows:
                    raise CaseNotFoundError(wording.case_not_found(reference))
                case = self._restore(rows[0], repository.event_rows(rows))
                if authorize is not None:
                    authorize(case)  # raises to refuse; the transaction rolls back, nothing written
                change = action(case)
                if change.events:
                    if not await repository.append_events(conn, rows[0].id, change):
                        raise _VersionConflict(reference)  # nothing written: it may try again
                    await self._notify(session, change)
                return _result(change)

        # Without a savepoint an IntegrityError (after the version check passed: another writer the
        # case lock should have kept out) leaves this attempt's update behind: the turn must fail.
        return await self._with_retries(attempt, retry_integrity_errors=current_unit() is None)

    def _begin_without_savepoint(self):
        begin = getattr(self.sessions, "begin_without_savepoint", None)
        return begin() if begin is not None else self.sessions.begin()

    async def _with_retries(self, attempt: Callable[[], Awaitable[CaseResult]], *,
                            retry_integrity_errors: bool = True) -> CaseResult:
        for number in range(1, self.max_attempts + 1):
            try:
                return await attempt()
            except IntegrityError as error:
                if not retry_integrity_errors or not _is_concurrent_write(error):
                    raise
                log.info("concurrent case update, attempt %d of %d", number, self.max_attempts)
            except _VersionConflict:
                log.info("concurrent case update, attempt %d of %d", number, self.max_attempts)
        raise ConcurrentUpdateError(wording.CONCURRENT_UPDATE)

    async def _cases_where(self, condition) -> list[Case]:
        """The cases matching `condition` with their events (none when there is no condition)."""
        if condition is None:
            return []
        async with reading(self._reader) as conn:
            rows, events_by_case = await repository.cases_where(conn, condition)
        return [self._restore(row, events_by_case.get(row.id, [])) for row in rows]

    def _restore(self, row, events: Sequence) -> Case:
        return self.engine.restore(
            reference=row.reference,
            routine_key=row.routine_key,
            facts=row.facts,
            events=tuple(repository.event_from_row(event) for event in events),
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
        if is_sqlite(session) or current_unit() is None:
            return await repository.next_number(session, year)
        if self._numbers is None:
            self._numbers = side_engine(engine_of(self.sessions))
        async with self._numbers.connect() as conn:
            return await repository.next_number(conn, year)

    async def _notify(self, session: AsyncSession, change: Change) -> None:
        for listener in self.listeners:
            await listener(session, change.case, change.events)


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
