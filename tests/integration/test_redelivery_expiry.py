"""Journal entries of processed activities expire after DEDUPE_TTL_HOURS, and idle conversation state too."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, update

from bot.db import create_engine, migrate, session_factory
from bot.teams.state_tables import BotStateRow, ProcessedActivityRow
from bot.teams.storage import SqlStorage
from bot.teams.turns import AtomicTurns


async def test_old_journal_entries_and_idle_states_are_purged(database_url):
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = session_factory(engine)
    turns = AtomicTurns(sessions, timedelta(hours=48))
    now = datetime.now(timezone.utc)
    async with sessions.begin() as session:
        await session.execute(insert(ProcessedActivityRow), [{"key": "old", "received_at": now},
                                                             {"key": "new", "received_at": now}])
    storage = SqlStorage(sessions)
    await storage.write({"idle": {"n": 1}, "busy": {"n": 2}})
    long_ago = now - timedelta(days=100)
    async with sessions.begin() as session:
        await session.execute(update(ProcessedActivityRow).where(ProcessedActivityRow.key == "old")
                              .values(received_at=long_ago))
        await session.execute(update(BotStateRow).where(BotStateRow.key == "idle").values(updated_at=long_ago))
    assert await turns.purge_expired() == 1
    assert await storage.purge_idle(timedelta(days=90)) == 1
    async with sessions() as session:
        assert (await session.execute(select(ProcessedActivityRow.key))).scalars().all() == ["new"]
    assert list(await storage.read(["idle", "busy"])) == ["busy"]
    await engine.dispose()
