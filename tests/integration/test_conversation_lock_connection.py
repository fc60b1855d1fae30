"""The connection that holds a conversation's lock (PostgreSQL) serves the turn's journal and
state reads while the turn runs, and no longer once the turn is over."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bot.db import create_engine
from bot.dialect import is_sqlite
from bot.teams.turn_guards import ConversationSerializer, held_connection


def _context(conversation_id: str):
    return SimpleNamespace(activity=SimpleNamespace(conversation=SimpleNamespace(id=conversation_id)))


async def test_the_lock_connection_is_the_turns_only_while_the_turn_runs(database_url):
    engine = create_engine(database_url, pool_size=1)
    serializer = ConversationSerializer(engine)
    seen: dict = {}
    after_the_turn = asyncio.Event()

    async def late_reader():  # started during the turn, reads after it
        await after_the_turn.wait()
        seen["late"] = held_connection()

    async def logic():
        held = held_connection()
        seen["during"] = held
        if held is not None:
            seen["locked"] = await held.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        seen["task"] = asyncio.create_task(late_reader())

    try:
        await serializer.on_turn(_context("conversation-1"), logic)
        after_the_turn.set()
        await seen["task"]
    finally:
        await engine.dispose()
    if is_sqlite(database_url):
        assert seen["during"] is None  # SQLite has no lock connection: the single writer serialises
    else:
        assert seen["during"] is not None and seen["locked"] == 1
    assert seen["late"] is None
    assert held_connection() is None
