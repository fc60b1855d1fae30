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
from sqlalchemy.ext.asyncio import AsyncEngine

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


# The PostgreSQL connection (asyncpg, autocommit) that holds the conversation's advisory lock for the
# turn running in this task. The turn's journal look-up and count of replies sent (turns.py) and its
# dialog-state read before the turn's transaction opens (storage.py) use it: the same database and
# the same autocommit as a pooled connection, without taking more from the pool.
# It is emptied when the turn ends, so a task started during the turn never uses it afterwards.
_held: ContextVar[list | None] = ContextVar("larmlotsen_conversation_lock_connection", default=None)


def held_connection():
    """The asyncpg connection holding this turn's conversation lock (PostgreSQL), else None."""
    held = _held.get()
    return held[0] if held else None


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

    def __init__(self, lock_engine: AsyncEngine | None) -> None:
        # Autocommit: lock and unlock are one round trip each, with no transaction around the turn.
        self._lock_engine = None if lock_engine is None or is_sqlite(lock_engine) else autocommit(lock_engine)
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiters: dict[str, int] = {}

    async def on_turn(self, context: TurnContext, logic: NextLogic):
        conversation = context.activity.conversation
        if conversation is None or not conversation.id:
            return await logic()
        async with self._local_lock(conversation.id), self._shared_lock(conversation.id) as held:
            holder = [held] if held is not None else None
            token = _held.set(holder)
            try:
                return await logic()
            finally:
                _held.reset(token)
                if holder:
                    holder.clear()

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
        number = _lock_number(key)
        async with self._lock_engine.connect() as conn:
            # Straight to asyncpg: SQLAlchemy's statement machinery cost more CPU than the lock.
            driver = (await conn.get_raw_connection()).driver_connection
            await driver.execute("SELECT pg_advisory_lock($1)", number)
            try:
                yield driver
            finally:
                await driver.execute("SELECT pg_advisory_unlock($1)", number)
