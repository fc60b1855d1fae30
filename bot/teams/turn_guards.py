"""Middleware that runs around every authenticated turn, before the bot sees it.

* TenantAllowlist: only tenants on TENANT_ALLOWLIST get in (when it is set).
* ConversationSerializer: turns of one conversation run one at a time, across processes too,
  so two activities never race on the same dialog state.
* bot/teams/turns.py, AtomicTurns (inside the serializer): the turn as one transaction, and an activity
  Teams delivers again answered from its journal rather than run twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import ActivityTypes
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from . import identity
from . import wording as texts
from bot.db import autocommit
from bot.dialect import is_sqlite

log = logging.getLogger(__name__)

NextLogic = Callable[[], Awaitable]


class TenantAllowlist(Middleware):
    def __init__(self, allowed: tuple[str, ...]) -> None:
        self._allowed = {tenant.lower() for tenant in allowed}

    async def on_turn(self, context: TurnContext, logic: NextLogic):
        if not self._allowed:
            return await logic()
        tenant = identity.tenant_of(context.activity)
        if tenant and tenant.lower() in self._allowed:
            return await logic()
        log.warning("refused activity id=%s from tenant %s (not on TENANT_ALLOWLIST)", context.activity.id, tenant)
        if context.activity.type == ActivityTypes.message:
            await context.send_activity(texts.TENANT_REFUSED)
        return None


class SharedLock:
    """A conversation's PostgreSQL advisory lock, on a connection of its own (asyncpg, autocommit),
    for one turn. `take()` takes it once; `take_with()` sends a statement that takes it itself before
    it reads (the turn's start, turns.py), so lock and first read are one round trip. PostgreSQL
    counts a session's advisory locks, so `take_with()` after `take()` holds it twice and the release
    unlocks as often as it was asked: a serializer that took the lock up front costs one round trip,
    not a stuck conversation. Statements handed to `release_with()` go with the unlock, in the same
    round trip."""

    def __init__(self, driver, number: int, connection: AsyncConnection | None = None) -> None:
        self.driver = driver
        self.number = number
        self.connection = connection  # the SQLAlchemy connection over `driver`, lent to the turn's unit
        self.asks = 0  # statements sent that take the lock (each may have failed after taking it)
        self.taken = False
        self._with_unlock: list[str] = []
        self._commit_hooks: list[Callable[[], None]] | None = None  # a transaction to commit with the unlock

    @property
    def asked(self) -> bool:
        return self.asks > 0

    async def take(self) -> None:
        if not self.asked:
            self.asks += 1
            await self.driver.execute("SELECT pg_advisory_lock($1)", self.number)
            self.taken = True

    async def take_with(self, query: str, *args) -> list:
        """`query`'s rows; its first parameter is the lock number, and it takes the lock first."""
        self.asks += 1
        records = await self.driver.fetch(query, self.number, *args)
        self.taken = True
        return records

    def commit_at_release(self, hooks: list[Callable[[], None]]) -> None:
        """The turn's transaction, open on this connection, commits with the unlock, in one round
        trip; `hooks` run once it has. Should the commit fail, the release raises: the turn failed."""
        self._commit_hooks = hooks

    def release_with(self, statement: str) -> None:
        """Run `statement` (literal SQL, no parameters) just before the lock is released."""
        self._with_unlock.append(statement)

    async def release(self) -> None:
        if not self.asked:
            return
        statements, self._with_unlock = self._with_unlock, []
        # One unlock per ask; one for a lock a failed statement never took returns false, harmlessly.
        unlock = "SELECT " + ", ".join([f"pg_advisory_unlock({self.number:d})"] * self.asks)
        if self._commit_hooks is not None:
            await self._commit_and_unlock(unlock)
            return
        if self.driver.is_in_transaction():  # a turn's transaction left open: never committed by the unlock
            log.error("the conversation's lock connection was still in a transaction; rolled back")
            await self.driver.execute("ROLLBACK")
        if statements:
            try:
                # One simple query. Its own transaction commits before the unlock: in the implicit
                # transaction of a multi-statement query the unlock would come before the commit, and
                # the next holder of the lock would read the journal without this count.
                await self.driver.execute("; ".join(["BEGIN", *statements, "COMMIT", unlock]))
                return
            except Exception:  # noqa: BLE001 - what went with the unlock is best effort; the unlock is not
                log.warning("a statement sent with the conversation's unlock failed", exc_info=True)
                if self.driver.is_in_transaction():  # left aborted by the failed statement
                    await self.driver.execute("ROLLBACK")
        await self.driver.execute(unlock)

    async def _commit_and_unlock(self, unlock: str) -> None:
        hooks, self._commit_hooks = self._commit_hooks, None
        try:
            # COMMIT ends the transaction the turn began with BEGIN; the unlock runs after it.
            await self.driver.execute(f"COMMIT; {unlock}")
        except Exception:
            if self.driver.is_in_transaction():
                await self.driver.execute("ROLLBACK")
            await self.driver.execute(unlock)
            raise
        for hook in hooks:
            hook()


# The conversation's shared lock for the turn running in this task (PostgreSQL). Its connection serves
# the turn's journal look-up and count of replies sent (turns.py) and its dialog-state read before the
# turn's transaction opens (storage.py): the same database and the same autocommit as a pooled
# connection, without taking more from the pool. It is emptied when the turn ends, so a task
# started during the turn never uses it afterwards.
_held: ContextVar[list | None] = ContextVar("larmlotsen_conversation_lock_connection", default=None)


def shared_lock() -> SharedLock | None:
    """This turn's conversation lock (PostgreSQL), taken or not yet; else None."""
    held = _held.get()
    return held[0] if held else None


def held_connection():
    """The asyncpg connection holding this turn's conversation lock (PostgreSQL), else None."""
    lock = shared_lock()
    return lock.driver if lock is not None and lock.taken else None


def _lock_number(conversation_id: str) -> int:
    """A stable signed 64-bit number for PostgreSQL's advisory locks."""
    digest = hashlib.sha256(conversation_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ConversationSerializer(Middleware):
    """One turn at a time per conversation: an in-process lock, plus a PostgreSQL advisory lock so
    that several bot instances behind one endpoint serialise too.

    The advisory locks use their own small engine: a turn holding a lock connection may still take
    a connection from the main pool, but never the other way round, so the pools cannot deadlock.
    """

    def __init__(self, lock_engine: AsyncEngine | None, *, taken_inside: bool = False) -> None:
        """`taken_inside`: the shared lock is taken by the next middleware with its first read (AtomicTurns,
        turns.py), not here before it, which saves a round trip; a turn that ends with the lock never
        taken is logged. Left False in front of AtomicTurns, the lock is held twice and released in full."""
        # Autocommit: lock and unlock are one round trip each, with no transaction around the turn.
        self._lock_engine = None if lock_engine is None or is_sqlite(lock_engine) else autocommit(lock_engine)
        self._taken_inside = taken_inside
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiters: dict[str, int] = {}

    async def on_turn(self, context: TurnContext, logic: NextLogic):
        conversation = context.activity.conversation
        if conversation is None or not conversation.id:
            return await logic()
        async with self._local_lock(conversation.id), self._shared_lock(conversation.id) as shared:
            holder = [shared] if shared is not None else None
            token = _held.set(holder)
            try:
                if shared is not None and not self._taken_inside:
                    await shared.take()
                return await logic()
            finally:
                _held.reset(token)
                if holder:
                    holder.clear()
                if shared is not None and not shared.asked:
                    log.error("activity id=%s: the turn ran without its conversation's shared lock",
                              context.activity.id)

    @asynccontextmanager
    async def _local_lock(self, key: str):
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiters[key] = self._waiters.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiters[key] -= 1
            if self._waiters[key] == 0:  # forget idle conversations so the dict stays small
                del self._waiters[key]
                del self._locks[key]

    @asynccontextmanager
    async def _shared_lock(self, key: str):
        if self._lock_engine is None:
            yield None
            return
        async with self._lock_engine.connect() as conn:
            # Straight to asyncpg: SQLAlchemy's statement machinery cost more CPU than the lock.
            shared = SharedLock((await conn.get_raw_connection()).driver_connection, _lock_number(key), conn)
            try:
                yield shared
            finally:
                try:
                    await shared.release()
                except BaseException:
                    # A connection that may still hold the lock never goes back to the pool: closed, it
                    # releases the lock on the server.
                    await conn.invalidate()
                    raise
