"""SQLite statements run on the event loop's thread (bot/db.py), with the same results, errors and
transactions as SQLAlchemy's stock adapter; one that meets another process's lock waits for it on
aiosqlite's worker thread, and so do the large reads and deletes marked off the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

import aiosqlite.core

from bot.db import SQLITE_IMMEDIATE, create_engine, sqlite_off_the_loop


@pytest.fixture
async def engine(sqlite_url):
    engine = create_engine(sqlite_url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield engine
    await engine.dispose()


@pytest.fixture
def hops(monkeypatch):
    """How many functions were queued to aiosqlite's worker thread."""
    counted = {"n": 0}
    stock = aiosqlite.core.Connection._execute

    async def counting(self, fn, *args, **kwargs):
        counted["n"] += 1
        return await stock(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counting)
    return counted


async def test_rows_rowcount_and_lastrowid_as_the_stock_adapter_gives_them(engine):
    async with engine.begin() as conn:
        inserted = await conn.execute(text("INSERT INTO t (name) VALUES ('a')"))
        await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": "b"}, {"n": "c"}])
        updated = await conn.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
        empty = (await conn.execute(text("SELECT id FROM t WHERE id < 0"))).all()
    assert inserted.lastrowid == 1
    assert updated.rowcount == 2
    assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "c!")]
    assert empty == []


async def test_a_failed_statement_raises_the_dbapi_error_and_the_transaction_rolls_back(engine):
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name) VALUES ('x')"))
            await conn.execute(text("INSERT INTO t (name) VALUES ('x')"))
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_a_savepoint_rolls_back_inside_the_outer_transaction(engine):
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('kept')"))
        with pytest.raises(IntegrityError):
            async with conn.begin_nested():
                await conn.execute(text("INSERT INTO t (name) VALUES ('gone')"))
                await conn.execute(text("INSERT INTO t (name) VALUES ('kept')"))
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT name FROM t"))).scalars().all() == ["kept"]


async def test_the_deferred_begin_immediate_holds_the_write_lock_from_the_first_statement(engine, sqlite_url):
    import sqlite3

    path = sqlite_url.split("sqlite:///", 1)[1]
    async with engine.connect() as conn:
        await conn.execution_options(**{SQLITE_IMMEDIATE: True})
        async with conn.begin():
            await conn.execute(text("SELECT count(*) FROM t"))  # a read, yet the write lock is taken
            other = sqlite3.connect(path, timeout=0)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("INSERT INTO t (name) VALUES ('other')")
            finally:
                other.close()


async def test_statements_and_their_transaction_run_without_a_trip_to_the_worker_thread(engine, hops):
    async with engine.connect() as conn:  # warm: the pool's connection exists
        await conn.execute(text("SELECT 1"))
    hops["n"] = 0
    async with engine.connect() as conn:
        await conn.execute(text("SELECT name FROM t"))
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('a')"))
        await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": "b"}, {"n": "c"}])
    assert hops["n"] == 0  # the stock adapter: 8 for the read, 11 for the write


async def test_statements_marked_off_the_loop_go_to_the_worker_thread(engine, hops):
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    hops["n"] = 0
    with sqlite_off_the_loop():
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name) VALUES ('a')"))
    assert hops["n"] == 2  # BEGIN with the INSERT, then COMMIT


def _hold_the_write_lock(path: str, taken: threading.Event, release: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t (name) VALUES ('other')")
        taken.set()
        release.wait(10)
        other.execute("COMMIT")
    finally:
        other.close()


@pytest.mark.parametrize("immediate", [True, False], ids=["begin-immediate", "write-after-deferred-begin"])
async def test_a_statement_that_meets_another_process_lock_waits_for_it_off_the_loop(engine, sqlite_url, hops,
                                                                                    immediate):
    path = sqlite_url.split("sqlite:///", 1)[1]
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_the_write_lock, args=(path, taken, release))
    holder.start()
    await asyncio.to_thread(taken.wait, 10)
    loop_turns = 0

    async def count_loop_turns():
        nonlocal loop_turns
        while not release.is_set():
            loop_turns += 1
            if loop_turns == 5:  # the loop kept running while the statement waited: let it through
                release.set()
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(count_loop_turns())
    try:
        async with engine.connect() as conn:
            await conn.execution_options(**{SQLITE_IMMEDIATE: immediate})
            async with conn.begin():
                await conn.execute(text("INSERT INTO t (name) VALUES ('mine')"))
    finally:
        release.set()
        await ticker
        await asyncio.to_thread(holder.join, 10)
    assert loop_turns >= 5
    assert hops["n"] >= 1
    async with engine.connect() as conn:
        assert sorted((await conn.execute(text("SELECT name FROM t"))).scalars().all()) == ["mine", "other"]
