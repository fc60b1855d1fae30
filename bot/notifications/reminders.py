"""Reminders and the daily digest, computed from the case data by a periodic scan, never from
in-memory timers: a restart (or a second process) simply scans again.

For every open case of a team with a notice channel, and each step that can be done now and has
a deadline (CaseEngine.deadlines: one hour before closing, five working days before a large
change, "omgående", installation feedback after N working days):
  * near    — from `lead` before the deadline until the deadline, once per opening of the step;
  * overdue — from the deadline on, once per opening of the step.
A reminder is a `reminder_sent` event on the case (CaseService.record_reminder); its notice is
queued by the listener in the same transaction. Its dedupe key makes a second process's
identical reminder fail and roll back, so each reminder is recorded and sent once.

The digest goes out on working days from `digest_time` (local time) on, once per channel and day,
when the team has open cases.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.cases.service import CaseService
from bot.cases import repository
from bot.domain import Actor, Case, DomainError, StepDeadline
from bot.domain.clock import Clock, system_clock, utc
from bot.domain.routines import digest_schedule
from bot.notifications.tables import NoticeRow
from bot.domain import wording as domain_wording
from cards import notices as cards
from cards import wording as w

from .outbox import NewNotice, enqueue
from .subscriptions import NoticeChannel, Subscriptions

log = logging.getLogger(__name__)

BOT_ACTOR = Actor("larmlotsen", "Larmlotsen")


@dataclass(frozen=True)
class ScanResult:
    reminders: int = 0
    digests: int = 0


def _by_channel(cases: list[Case], channels: list[NoticeChannel]) -> dict[int, list[Case]]:
    """Each channel's open cases: a team channel hears about its team's, a group chat about its own."""
    teams = {channel.scope: channel.id for channel in channels if channel.kind == "channel"}
    chats = {channel.scope: channel.id for channel in channels if channel.kind != "channel"}
    found: dict[int, list[Case]] = {channel.id: [] for channel in channels}
    for case in cases:
        for channel_id in {teams.get(case.team_id), chats.get(case.conversation_id)} - {None}:
            found[channel_id].append(case)
    return found


def reminder_due(deadline: StepDeadline, now: datetime, lead: timedelta) -> str | None:
    """'near', 'overdue' or None: which reminder this deadline calls for now."""
    reminded = deadline.last_reminder_at
    if reminded is not None and reminded < deadline.opened_at:
        reminded = None  # a reminder from before the step was last reopened does not count
    if now >= deadline.due_at:
        return "overdue" if reminded is None or reminded < deadline.due_at else None
    if now >= deadline.due_at - lead:
        return "near" if reminded is None else None
    return None


class ReminderScanner:
    def __init__(self, cases: CaseService, subscriptions: Subscriptions, sessions: async_sessionmaker, *,
                 lead: timedelta, digest_time: time, clock: Clock = system_clock,
                 abandoned_grace: timedelta = timedelta(days=14)) -> None:
        self.cases = cases
        self.subscriptions = subscriptions
        self.sessions = sessions
        self.lead = lead
        self.digest_time = digest_time
        self.clock = clock
        self.abandoned_grace = abandoned_grace
        self.wake: Callable[[], None] | None = None  # the worker's, set when it exists

    async def run(self, every_s: float) -> None:
        while True:
            try:
                await self.scan()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next scan tries again
                log.exception("reminder scan failed; trying again in %s s", every_s)
            await asyncio.sleep(every_s)

    async def scan(self, now: datetime | None = None) -> ScanResult:
        now = now or self.clock()
        channels = await self.subscriptions.active_channels()
        if not channels:
            return ScanResult()
        # Every open case in one query, sorted into channels here: the scan costs the same
        # whether there are 2 teams or 200, and never reads a closed case.
        reminders = 0
        by_channel = _by_channel(await self.cases.open_cases(), channels)
        for case in {id(case): case for cases in by_channel.values() for case in cases}.values():
            reminders += await self._remind(case, now)
        digests = 0
        if self._digest_due(now):
            waiting = await self._digests_not_queued(channels, now)
            if waiting:
                # Read again after the reminders: the digest shows them as recorded.
                by_channel = _by_channel(await self.cases.open_cases(), waiting)
                for channel in waiting:
                    digests += await self._queue_digest(channel, by_channel[channel.id], now)
        if reminders or digests:
            log.info("scan: %d reminder(s), %d digest(s) queued", reminders, digests)
        return ScanResult(reminders, digests)

    async def _open_cases(self, channel: NoticeChannel) -> list[Case]:
        if channel.kind == "channel":
            return await self.cases.open_cases_for_team(team_id=channel.scope)
        return await self.cases.open_cases_for_team(conversation_id=channel.scope)

    async def _remind(self, case: Case, now: datetime) -> int:
        sent = 0
        for deadline in self.cases.engine.deadlines(case):
            which = reminder_due(deadline, now, self.lead)
            if which is None:
                continue
            try:
                await self.cases.record_reminder(case.reference, deadline.step_id, BOT_ACTOR,
                                                 text=(domain_wording.REMINDER_LOG if deadline.page_given
                                                       else domain_wording.REMINDER_LOG_CONFIGURED)[which], now=now)
                sent += 1
            except (IntegrityError, DomainError) as error:
                # Another process recorded the same reminder first, or the step was done meanwhile.
                log.info("reminder for case %s step %s not recorded: %s", case.reference, deadline.step_id,
                         error.__class__.__name__)
        return sent

    # --- the digest ---------------------------------------------------------------------------------

    def _digest_due(self, now: datetime) -> bool:
        calendar = self.cases.engine.calendar
        day = calendar.local_date(now)
        return calendar.is_working_day(day) and now >= calendar.at_local(day, self.digest_time)

    async def _queue_digest(self, channel: NoticeChannel, cases: list[Case], now: datetime) -> int:
        if not cases:
            return 0  # a daily "nothing open" would only be noise in the channel
        engine = self.cases.engine
        day = engine.calendar.local_date(now)
        rows = [cards.DigestRow(case, engine.due_at(case, case.next_step) if case.next_step else None) for case in cases]
        overdue = sorted(((case, d.step_id, d.due_at) for case in cases for d in engine.overdue(case, now)),
                         key=lambda item: item[2])
        abandoned = await self._abandoned(channel)
        message = {"mode": "post", "summary": w.summary_digest(len(cases)),
                   "card": cards.digest_card(day, rows, overdue, now, abandoned,
                                             schedule=digest_schedule(self.digest_time),
                                             closing_basis=engine.closing_basis())}
        notice = NewNotice(channel.id, f"{channel.id}:digest", "digest", self._digest_key(channel, now), message)
        async with self.sessions.begin() as session:
            # Insert-or-ignore: two processes scanning at once still queue one digest.
            await enqueue(session, notice, now, ignore_duplicate=True, wake=self.wake)
        return 1

    async def _abandoned(self, channel: NoticeChannel) -> list[tuple[str, datetime]]:
        """Open cases of the channel's team marked abandoned by retention, with their purge time."""
        place = {"team_id": channel.scope} if channel.kind == "channel" else {"conversation_id": channel.scope}
        async with self.sessions() as session:
            rows = await repository.abandoned_open_cases(session, **place)
        return [(row.reference, utc(row.abandoned_at) + self.abandoned_grace) for row in rows]

    async def _digests_not_queued(self, channels: list[NoticeChannel], now: datetime) -> list[NoticeChannel]:
        """The channels whose digest of today is not queued yet (one query for all of them)."""
        keys = {self._digest_key(channel, now): channel for channel in channels}
        async with self.sessions() as session:
            queued = set((await session.scalars(select(NoticeRow.dedupe_key).where(NoticeRow.dedupe_key.in_(keys)))).all())
        return [channel for key, channel in keys.items() if key not in queued]

    def _digest_key(self, channel: NoticeChannel, now: datetime) -> str:
        return f"digest:{channel.id}:{self.cases.engine.calendar.local_date(now).isoformat()}"
