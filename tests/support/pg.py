"""Throwaway PostgreSQL databases for tests, on the server this machine runs (trust auth)."""

from __future__ import annotations

import os
import uuid
from contextlib import asynccontextmanager
from typing import AsyncIterator

import asyncpg

ADMIN_URL = os.environ.get("LARMLOTSEN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_reachable: bool | None = None
SKIP_REASON = (
    f"PostgreSQL is not reachable at {ADMIN_URL} (set LARMLOTSEN_TEST_PG to a server with trust auth): "
    "the PostgreSQL variants of these tests are SKIPPED"
)


async def reachable() -> bool:
    global _reachable
    if _reachable is None:
        try:
            conn = await asyncpg.connect(ADMIN_URL, timeout=3)
            await conn.close()
            _reachable = True
        except (OSError, asyncpg.PostgresError, TimeoutError):
            _reachable = False
    return _reachable


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


async def create_database() -> str:
    name = f"larmlotsen_t_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return _with_database(ADMIN_URL, name)


async def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@asynccontextmanager
async def temporary_database() -> AsyncIterator[str]:
    """A new database's URL, dropped (even with connections left open) when the block ends."""
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)
