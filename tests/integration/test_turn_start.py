"""PostgreSQL: a turn's start takes the conversation's lock and reads in one round trip (migration 0008,
bot/teams/turns.py), and what goes with the unlock never keeps the lock held."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timezone
from types import SimpleNamespace

import asyncpg
import pytest

from bot.db import create_engine, migrate
from bot.dialect import is_sqlite
from bot.teams import turns
from bot.teams.turn_guards import ConversationSerializer, SharedLock, shared_lock

LOCK = 4242


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
async def pg_url(database_url):
    if is_sqlite(database_url):
        pytest.skip("PostgreSQL's advisory locks")
    engine = create_engine(database_url)
    await migrate(engine)
    await engine.dispose()
    return database_url.replace("postgresql+asyncpg://", "postgresql://")


async def _advisory_locks(conn) -> int:
    """Advisory locks held on this test's database (other tests may hold some on theirs)."""
    return await conn.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                               "database = (SELECT oid FROM pg_database WHERE datname = current_database())")


async def test_a_turn_start_that_waited_for_the_lock_sees_the_turn_that_committed_meanwhile(pg_url):
    """The redelivery race: the first delivery's turn commits its journal entry and unlocks while the
    second delivery waits for the lock. The second must find that entry, or it runs the turn again.
    (One statement that locked and read would read from a snapshot taken before it waited.)"""
    first, second = await asyncpg.connect(pg_url), await asyncpg.connect(pg_url)
    try:
        await first.execute("SELECT pg_advisory_lock($1)", LOCK)
        waiting = asyncio.create_task(
            second.fetch(turns._TURN_START, LOCK, _key("activity"), _key("conversation"), "state-key"))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # it waits for the lock
        await first.execute("INSERT INTO processed_activity (key, received_at, conversation_key, reply_count, "
                            "replies_sent) VALUES ($1, $2, $3, 0, 0)",
                            _key("activity"), datetime.now(timezone.utc), _key("conversation"))
        await first.execute("INSERT INTO bot_state (key, document, etag, updated_at) VALUES ($1, '{}', 'e1', now())",
                            "state-key")
        await first.execute("SELECT pg_advisory_unlock($1)", LOCK)
        rows = await asyncio.wait_for(waiting, 5)
        assert sorted((row["source"], row["key"]) for row in rows) == [("state", "state-key"),
                                                                       ("turn", _key("activity"))]
        assert await _advisory_locks(first) == 1  # the second now holds it
    finally:
        await first.close()
        await second.close()


async def test_the_count_goes_with_the_unlock_and_a_failed_count_still_unlocks(pg_url):
    conn = await asyncpg.connect(pg_url)
    try:
        await conn.execute("INSERT INTO processed_activity (key, received_at, conversation_key, reply_count, "
                           "replies_sent) VALUES ($1, now(), $2, 3, 0)", _key("a"), _key("c"))
        lock = SharedLock(conn, LOCK)
        await lock.take_with(turns._TURN_START, _key("a"), _key("c"), None)
        lock.release_with(turns._count_sent_literal(_key("a"), 2))
        await lock.release()
        assert await conn.fetchval("SELECT replies_sent FROM processed_activity WHERE key = $1", _key("a")) == 2
        assert await _advisory_locks(conn) == 0

        lock = SharedLock(conn, LOCK)
        await lock.take()
        lock.release_with("UPDATE no_such_table SET x = 1")
        await lock.release()
        assert await _advisory_locks(conn) == 0
    finally:
        await conn.close()


async def test_the_next_holder_of_the_lock_reads_the_count_that_went_with_the_unlock(pg_url):
    """The count must be committed before the lock is free: a redelivery waiting for the lock reads it
    at once and would send the reply again without it. A deferred trigger makes the commit slow, so an
    unlock that came before the commit would show."""
    first, second = await asyncpg.connect(pg_url), await asyncpg.connect(pg_url)
    try:
        await first.execute("""
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER slow_commit AFTER UPDATE ON processed_activity
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();""")
        await first.execute("INSERT INTO processed_activity (key, received_at, conversation_key, reply_count, "
                            "replies_sent) VALUES ($1, now(), $2, 1, 0)", _key("a"), _key("c"))
        lock = SharedLock(first, LOCK)
        await lock.take()
        waiting = asyncio.create_task(second.fetch(turns._TURN_START, LOCK, _key("a"), _key("c"), None))
        await asyncio.sleep(0.2)
        lock.release_with(turns._count_sent_literal(_key("a"), 1))
        await lock.release()
        rows = await asyncio.wait_for(waiting, 5)
        assert [row["replies_sent"] for row in rows] == [1]
    finally:
        await first.close()
        await second.close()


def test_only_a_sha256_key_is_written_as_literal_sql():
    assert turns._count_sent_literal(_key("a"), 2).endswith(f"WHERE key = '{_key('a')}'")
    with pytest.raises(ValueError):
        turns._count_sent_literal("x' OR '1'='1", 2)


async def test_a_lock_connection_whose_unlock_failed_is_closed_not_pooled(database_url, monkeypatch):
    """Back in the pool still holding the lock, it would stall the conversation's next turn for good."""
    if is_sqlite(database_url):
        pytest.skip("PostgreSQL's advisory locks")
    engine = create_engine(database_url, pool_size=1)
    serializer = ConversationSerializer(engine)
    real_release = SharedLock.release

    async def failing_release(self):
        raise ConnectionError("the unlock did not get through")

    monkeypatch.setattr(SharedLock, "release", failing_release)
    context = SimpleNamespace(activity=SimpleNamespace(id="1", conversation=SimpleNamespace(id="c-1")))

    async def logic():
        assert shared_lock().taken

    try:
        with pytest.raises(ConnectionError):
            await serializer.on_turn(context, logic)
        monkeypatch.setattr(SharedLock, "release", real_release)
        async with engine.connect() as conn:  # a new connection: the old one was closed, its lock gone
            count = (await conn.exec_driver_sql(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())")).scalar_one()
        assert count == 0
    finally:
        await engine.dispose()


async def test_a_lock_taken_up_front_and_again_with_the_turns_start_is_released_in_full(pg_url):
    """A serializer left to take the lock itself (its default) in front of AtomicTurns, which takes it
    again with its first read: the turn runs, and once it ends nobody holds the conversation's lock."""
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+asyncpg://"), pool_size=1)
    serializer = ConversationSerializer(engine)
    context = SimpleNamespace(activity=SimpleNamespace(id="1", conversation=SimpleNamespace(id="c-1")))
    seen = {}

    async def logic():
        lock = shared_lock()
        rows = await lock.take_with(turns._TURN_START, _key("a"), _key("c"), None)
        seen["rows"] = rows
        seen["held"] = await lock.driver.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        lock.release_with(turns._count_sent_literal(_key("a"), 0))

    watcher = await asyncpg.connect(pg_url)
    try:
        await serializer.on_turn(context, logic)
        assert seen == {"rows": [], "held": 1}  # one lock, held twice by the same session
        assert await _advisory_locks(watcher) == 0
    finally:
        await watcher.close()
        await engine.dispose()


async def test_a_transaction_left_to_the_unlock_commits_before_the_lock_is_free_and_then_runs_its_hooks(pg_url):
    conn, watcher = await asyncpg.connect(pg_url), await asyncpg.connect(pg_url)
    seen = []
    try:
        lock = SharedLock(conn, LOCK)
        await lock.take()
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO processed_activity (key, received_at, conversation_key, reply_count, "
                           "replies_sent) VALUES ($1, now(), $2, 0, 0)", _key("a"), _key("c"))
        lock.commit_at_release([lambda: seen.append(conn.is_in_transaction())])
        await lock.release()
        assert seen == [False]  # the hook ran once the transaction had committed
        assert await watcher.fetchval("SELECT count(*) FROM processed_activity WHERE key = $1", _key("a")) == 1
        assert await _advisory_locks(watcher) == 0
    finally:
        await conn.close()
        await watcher.close()


async def test_a_commit_that_fails_with_the_unlock_fails_the_turn_keeps_nothing_and_still_unlocks(pg_url):
    """A turn whose COMMIT went with the unlock and failed must not pass for saved: the release raises
    (Teams gets an error and delivers again), nothing of the turn stays, its hooks never run."""
    conn, watcher = await asyncpg.connect(pg_url), await asyncpg.connect(pg_url)
    seen = []
    try:
        await conn.execute("""
            CREATE TABLE parent (id int PRIMARY KEY);
            CREATE TABLE child (id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);""")
        lock = SharedLock(conn, LOCK)
        await lock.take()
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO processed_activity (key, received_at, conversation_key, reply_count, "
                           "replies_sent) VALUES ($1, now(), $2, 0, 0)", _key("a"), _key("c"))
        await conn.execute("INSERT INTO child VALUES (1)")  # refused only at COMMIT
        lock.commit_at_release([lambda: seen.append("hook")])
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await lock.release()
        assert seen == []
        assert await watcher.fetchval("SELECT count(*) FROM processed_activity") == 0
        assert await _advisory_locks(watcher) == 0
        assert not conn.is_in_transaction()
    finally:
        await conn.close()
        await watcher.close()
