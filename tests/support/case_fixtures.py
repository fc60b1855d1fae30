"""Fixtures of the domain and case-log tests: databases for SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
import pytest_asyncio
from sqlalchemy import text

from bot.cases.service import CaseService
from bot.db import create_engine, migrate, session_factory
from bot.domain import Actor, CaseEngine, DomainConfig

PG_ADMIN_URL = os.environ.get("LARMLOTSEN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

ANNA = Actor("aad-anna", "Anna Andersson")
BERTIL = Actor("aad-bertil", "Bertil Berg")


def at_local(year, month, day, hour=9, minute=0):
    """A Stockholm wall-clock moment as an aware UTC datetime."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(timezone.utc)


@pytest.fixture
def engine() -> CaseEngine:
    return CaseEngine(DomainConfig())


# --- PostgreSQL: one throwaway database per test session ---------------------------------------------


def _run(coroutine) -> None:
    """Run a coroutine to completion in its own thread and loop (fixtures may be set up while a
    test's event loop is already running)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _pg_admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=3)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _migrate_url(url: str) -> None:
    db = create_engine(url)
    try:
        await migrate(db)
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def pg_url():
    """URL of a fresh, migrated PostgreSQL database, dropped after the session."""
    name = f"larmlotsen_t_{secrets.token_hex(4)}"
    try:
        _run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {error!r}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    _run(_migrate_url(url))
    yield url
    _run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def db_engine(request, tmp_path):
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        db = create_engine(f"sqlite:///{tmp_path / 'cases.db'}")
        await migrate(db)
    else:
        db = create_engine(request.getfixturevalue("pg_url"), pool_size=20)
        async with db.begin() as conn:
            await conn.execute(
                text("TRUNCATE case_events, cases, case_reference_counters RESTART IDENTITY CASCADE")
            )
    yield db
    await db.dispose()


@pytest.fixture
def sessions(db_engine):
    return session_factory(db_engine)


@pytest.fixture
def service(sessions, engine) -> CaseService:
    return CaseService(sessions, engine)
