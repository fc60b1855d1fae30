"""The outbox of notices: written in the case event's own transaction, claimed by workers.

Claiming (PostgreSQL, several processes): `SELECT … FOR UPDATE SKIP LOCKED` picks due notices
that nobody holds, and the claim is a lease (`claimed_until`), so a crashed worker's notices are
taken over once the lease runs out. Only the first pending notice of a lane (one case in one
channel) can be claimed, so a case's card is posted before it is updated, in order.
With SQLite one bot process is assumed (FOR UPDATE is not rendered there; the single pooled
connection serialises the claim).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import delete, event, exists, func, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dialect import insert_ignore, upsert
from bot.domain.clock import utc
from bot.notifications.tables import CaseCardRow, NoticeRow
from bot.unit_of_work import after_commit

log = logging.getLogger(__name__)

PENDING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"


@dataclass(frozen=True)
class NewNotice:
    channel_id: int
    lane: str
    kind: str
    dedupe_key: str
    message: dict[str, Any]
    case_reference: str | None = None


@dataclass(frozen=True)
class ClaimedNotice:
    id: int
    channel_id: int
    lane: str
    kind: str
    case_reference: str | None
    message: dict[str, Any]
    attempts: int
    created_at: datetime


async def enqueue(session: AsyncSession, notice: NewNotice, now: datetime, *, ignore_duplicate: bool = False,
                  wake: Callable[[], None] | None = None) -> None:
    """Add a notice inside the caller's transaction. A duplicate dedupe key raises IntegrityError
    (rolling back the caller's event) unless `ignore_duplicate`. `wake` is called once the
    transaction commits, so a worker delivers at once rather than at its next poll."""
    values = dict(channel_id=notice.channel_id, lane=notice.lane, kind=notice.kind,
                  case_reference=notice.case_reference, dedupe_key=notice.dedupe_key, message=notice.message,
                  status=PENDING, attempts=0, next_attempt_at=now, created_at=now)
    if ignore_duplicate:
        await session.execute(insert_ignore(session, NoticeRow, values, index_elements=["dedupe_key"]))
    else:
        session.add(NoticeRow(**values))
        await session.flush()
    if wake is not None:
        _wake_after_commit(session, wake)


def _wake_after_commit(session: AsyncSession, wake: Callable[[], None]) -> None:
    if after_commit(session, wake):
        return  # a turn's session: the turn commits, then wakes the worker
    sync_session = session.sync_session
    if sync_session.info.get("notices_wake"):
        return
    sync_session.info["notices_wake"] = True

    def committed(_session) -> None:
        _session.info.pop("notices_wake", None)
        wake()  # runs on the event loop's thread (SQLAlchemy's async greenlet)

    event.listen(sync_session, "after_commit", committed, once=True)
    event.listen(sync_session, "after_rollback", lambda s: s.info.pop("notices_wake", None), once=True)


async def withdraw_case_notices(session: AsyncSession, references: list[str], now: datetime) -> None:
    """The cases are purged: what was still to be posted about them is not posted any more, and the
    finished notices about them are forgotten (they carry the cases' text)."""
    await session.execute(update(NoticeRow).where(NoticeRow.case_reference.in_(references), NoticeRow.status == PENDING)
                          .values(status=CANCELLED, finished_at=now, last_error="case purged",
                                  claimed_until=None, claimed_by=None, message={}))
    await session.execute(delete(NoticeRow).where(NoticeRow.case_reference.in_(references), NoticeRow.status != PENDING))


async def case_cards_of(session: AsyncSession, references: list[str]) -> list[CaseCardRow]:
    """The posted cards of these cases, in every channel."""
    return list((await session.execute(select(CaseCardRow).where(CaseCardRow.case_reference.in_(references))))
                .scalars().all())


async def forget_case_cards(session: AsyncSession, references: list[str]) -> None:
    await session.execute(delete(CaseCardRow).where(CaseCardRow.case_reference.in_(references)))


class Outbox:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions

    async def claim(self, *, worker: str, limit: int, lease: timedelta, now: datetime) -> list[ClaimedNotice]:
        """Take up to `limit` due notices for `lease`; nobody else delivers them meanwhile."""
        earlier = aliased(NoticeRow)
        blocked_by_earlier = exists().where(earlier.lane == NoticeRow.lane, earlier.id < NoticeRow.id,
                                            earlier.status == PENDING)
        query = (
            select(NoticeRow)
            .where(NoticeRow.status == PENDING, NoticeRow.next_attempt_at <= now,
                   or_(NoticeRow.claimed_until.is_(None), NoticeRow.claimed_until <= now),
                   ~blocked_by_earlier)
            .order_by(NoticeRow.next_attempt_at, NoticeRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=NoticeRow)
        )
        async with self._sessions.begin() as session:
            rows = (await session.scalars(query)).all()
            for row in rows:
                row.claimed_until, row.claimed_by = now + lease, worker
            return [ClaimedNotice(row.id, row.channel_id, row.lane, row.kind, row.case_reference, row.message,
                                  row.attempts, utc(row.created_at)) for row in rows]

    async def mark_sent(self, notice: ClaimedNotice, *, worker: str, message_id: str, now: datetime,
                        case_card_version: int | None = None) -> bool:
        """Record the delivery (and, for a case card, its message id); False if the claim was lost."""
        async with self._sessions.begin() as session:
            done = await self._finish(session, notice, worker, status=SENT, now=now, message_id=message_id)
            if done and case_card_version is not None and message_id:
                values = dict(channel_id=notice.channel_id, case_reference=notice.case_reference,
                              message_id=message_id, version=case_card_version, updated_at=now)
                await session.execute(upsert(session, CaseCardRow, values,
                                             index_elements=["channel_id", "case_reference"],
                                             update_columns=["message_id", "version", "updated_at"]))
            return done

    async def mark_retry(self, notice: ClaimedNotice, *, worker: str, at: datetime, error: str) -> bool:
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(NoticeRow)
                .where(NoticeRow.id == notice.id, NoticeRow.claimed_by == worker, NoticeRow.status == PENDING)
                .values(attempts=NoticeRow.attempts + 1, next_attempt_at=at, claimed_until=None, claimed_by=None,
                        last_error=error[:200])
            )
            return result.rowcount == 1

    async def mark_failed(self, notice: ClaimedNotice, *, worker: str, error: str, now: datetime) -> bool:
        async with self._sessions.begin() as session:
            return await self._finish(session, notice, worker, status=FAILED, now=now, error=error)

    async def mark_cancelled(self, notice: ClaimedNotice, *, worker: str, reason: str, now: datetime) -> bool:
        async with self._sessions.begin() as session:
            return await self._finish(session, notice, worker, status=CANCELLED, now=now, error=reason)

    async def _finish(self, session: AsyncSession, notice: ClaimedNotice, worker: str, *, status: str,
                      now: datetime, message_id: str | None = None, error: str | None = None) -> bool:
        values: dict[str, Any] = dict(status=status, attempts=NoticeRow.attempts + 1, finished_at=now,
                                      claimed_until=None, claimed_by=None)
        if message_id is not None:
            values["message_id"] = message_id
        if error is not None:
            values["last_error"] = error[:200]
        result = await session.execute(
            update(NoticeRow)
            .where(NoticeRow.id == notice.id, NoticeRow.claimed_by == worker, NoticeRow.status == PENDING)
            .values(**values)
        )
        return result.rowcount == 1

    async def release_claims(self, worker: str) -> int:
        """A worker that stops hands its unfinished claims back, so a restart need not wait for the lease."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(NoticeRow).where(NoticeRow.claimed_by == worker, NoticeRow.status == PENDING)
                .values(claimed_until=None, claimed_by=None)
            )
            return result.rowcount

    async def purge_finished(self, before: datetime) -> int:
        """Forget delivered, failed and cancelled notices finished before `before`: they carry card
        text (customer references, names) and are no part of the case log."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(NoticeRow).where(NoticeRow.status != PENDING, NoticeRow.finished_at < before)
            )
            return result.rowcount

    async def case_card(self, channel_id: int, case_reference: str) -> CaseCardRow | None:
        async with self._sessions() as session:
            return await session.scalar(select(CaseCardRow).where(CaseCardRow.channel_id == channel_id,
                                                                  CaseCardRow.case_reference == case_reference))

    # --- for the status command and the tests -----------------------------------------------------

    async def counts(self, channel_id: int) -> dict[str, int]:
        async with self._sessions() as session:
            rows = await session.execute(select(NoticeRow.status, func.count()).where(NoticeRow.channel_id == channel_id)
                                         .group_by(NoticeRow.status))
            return {status: count for status, count in rows}

    async def retrying(self, channel_id: int) -> tuple[int, str | None]:
        """Pending notices that have failed at least once, and the latest such error."""
        async with self._sessions() as session:
            waiting = (NoticeRow.channel_id == channel_id, NoticeRow.status == PENDING, NoticeRow.attempts > 0)
            count = await session.scalar(select(func.count()).where(*waiting))
            error = await session.scalar(select(NoticeRow.last_error).where(*waiting).order_by(NoticeRow.id.desc())
                                         .limit(1))
            return count or 0, error

    async def failed(self, channel_id: int, limit: int = 20) -> list[NoticeRow]:
        async with self._sessions() as session:
            rows = await session.scalars(select(NoticeRow).where(NoticeRow.channel_id == channel_id,
                                                                 NoticeRow.status == FAILED)
                                         .order_by(NoticeRow.id.desc()).limit(limit))
            return list(rows)

    async def all(self) -> list[NoticeRow]:
        async with self._sessions() as session:
            return list(await session.scalars(select(NoticeRow).order_by(NoticeRow.id)))

    async def next_due(self) -> datetime | None:
        """When the earliest pending notice becomes due (for the worker's sleep)."""
        async with self._sessions() as session:
            moment = await session.scalar(select(func.min(NoticeRow.next_attempt_at)).where(NoticeRow.status == PENDING))
            return utc(moment)
