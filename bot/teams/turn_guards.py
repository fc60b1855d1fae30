"""Middleware that runs around every authenticated turn, before the bot sees it.

* TenantAllowlist: only tenants on TENANT_ALLOWLIST get in (when it is set).
* ConversationSerializer: turns of one conversation run one at a time, across processes too,
  so two activities never race on the same dialog state.
* RedeliveryGuard: Teams redelivers an activity when the bot is slow; an id already handled is
  acknowledged without running the turn again. The ids live in the database, so this holds across
  instances and restarts; they expire after DEDUPE_TTL_HOURS.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import ActivityTypes
from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from . import identity
from . import wording as texts
from bot.db import autocommit, is_sqlite, one_statement
from .state_tables import ProcessedActivityRow

_PROCESSED = ProcessedActivityRow.__table__

log = logging.getLogger(__name__)

NextLogic = Callable[[], Awaitable]


def tenant_of(context: TurnContext) -> str | None:
    return identity.tenant_of(context.activity)


class TenantAllowlist(Middleware):
    def __init__(self, allowed: tuple[str, ...]) -> None:
        self._allowed = {tenant.lower() for tenant in allowed}

    async def on_turn(self, context: TurnContext, logic: NextLogic):
        if not self._allowed:
            return await logic()
        tenant = tenant_of(context)
        if tenant and tenant.lower() in self._allowed:
            return await logic()
        log.warning("refused activity id=%s from tenant %s (not on TENANT_ALLOWLIST)", context.activity.id, tenant)
        if context.activity.type == ActivityTypes.message:
            await context.send_activity(texts.TENANT_REFUSED)
        return None


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
        async with self._local_lock(conversation.id), self._shared_lock(conversation.id):
            return await logic()

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
            yield
            return
        number = _lock_number(key)
        async with self._lock_engine.connect() as conn:
            # Straight to asyncpg: SQLAlchemy's statement machinery cost more CPU than the lock.
            driver = (await conn.get_raw_connection()).driver_connection
            await driver.execute("SELECT pg_advisory_lock($1)", number)
            try:
                yield
            finally:
                await driver.execute("SELECT pg_advisory_unlock($1)", number)


def activity_key(context: TurnContext) -> str | None:
    activity = context.activity
    if not activity.id:
        return None
    conversation_id = activity.conversation.id if activity.conversation else ""
    raw = f"{activity.channel_id}\x1f{conversation_id}\x1f{activity.id}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class RedeliveryGuard(Middleware):
    # Invokes are answered from the current case state and are idempotent by design; they also
    # need a response body, which a skipped turn could not give.
    _EXEMPT_TYPES = {ActivityTypes.invoke}

    def __init__(self, sessions: async_sessionmaker | AsyncEngine, ttl: timedelta) -> None:
        self._engine = sessions if isinstance(sessions, AsyncEngine) else sessions.kw["bind"]
        self._autocommit = autocommit(self._engine)
        dialect_insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        self._claim_statement = dialect_insert(_PROCESSED).on_conflict_do_nothing(index_elements=[_PROCESSED.c.key])
        self._ttl = ttl

    async def on_turn(self, context: TurnContext, logic: NextLogic):
        key = activity_key(context)
        if key is None or context.activity.type in self._EXEMPT_TYPES:
            return await logic()
        if not await self._claim(key):
            log.info("activity id=%s already processed: acknowledged, not run again", context.activity.id)
            return None
        try:
            return await logic()
        except BaseException:
            await self._release(key)  # a failed turn may be retried by the redelivery
            raise

    async def _claim(self, key: str) -> bool:
        """One self-committing INSERT … ON CONFLICT DO NOTHING: it either claims the id or finds it."""
        async with one_statement(self._autocommit) as conn:
            result = await conn.execute(self._claim_statement, {"key": key, "received_at": datetime.now(timezone.utc)})
            return result.rowcount == 1

    async def _release(self, key: str) -> None:
        async with one_statement(self._autocommit) as conn:
            await conn.execute(_RELEASE, {"key": key})

    async def purge_expired(self) -> int:
        cutoff = datetime.now(timezone.utc) - self._ttl
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(_PROCESSED).where(_PROCESSED.c.received_at < cutoff))
            return result.rowcount or 0


_RELEASE = delete(_PROCESSED).where(_PROCESSED.c.key == bindparam("key"))
