"""Processed activity ids expire after DEDUPE_TTL_HOURS, and idle conversation state too."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from bot.db import create_engine, migrate, session_factory
from bot.teams.state_tables import BotStateRow, ProcessedActivityRow
from bot.teams.storage import SqlStorage
from bot.teams.turn_guards import RedeliveryGuard


async def test_old_activity_ids_and_idle_states_are_purged(database_url):
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = session_factory(engine)
    guard = RedeliveryGuard(sessions, timedelta(hours=48))
    assert await guard._claim("old") and await guard._claim("new")
    assert not await guard._claim("new")
    storage = SqlStorage(sessions)
    await storage.write({"idle": {"n": 1}, "busy": {"n": 2}})
    long_ago = datetime.now(timezone.utc) - timedelta(days=100)
    async with sessions.begin() as session:
        await session.execute(update(ProcessedActivityRow).where(ProcessedActivityRow.key == "old")
                              .values(received_at=long_ago))
        await session.execute(update(BotStateRow).where(BotStateRow.key == "idle").values(updated_at=long_ago))
    assert await guard.purge_expired() == 1
    assert await storage.purge_idle(timedelta(days=90)) == 1
    async with sessions() as session:
        assert (await session.execute(select(ProcessedActivityRow.key))).scalars().all() == ["new"]
    assert list(await storage.read(["idle", "busy"])) == ["busy"]
    assert await guard._claim("old"), "an expired id may be processed again"
    await engine.dispose()
