"""The database: one async SQLAlchemy engine for SQLite (embedded default) or PostgreSQL.

The bot picks the async driver itself, so operators write the plain URLs they know
(`sqlite:///data/x.db`, `postgresql://user@host/db`).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool

from .config import ensure_sqlite_dir

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed 64-bit number: it names the lock that keeps two starting instances from migrating at once.
MIGRATION_LOCK_ID = 0x4C41524D4C4F54


class Base(DeclarativeBase):
    """Declarative base for every table of the bot."""


def async_url(url: str) -> str:
    """Map a plain SQLAlchemy URL to its async driver (aiosqlite, asyncpg)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend in ("postgresql", "postgres") and parsed.drivername in (
        "postgres",
        "postgresql",
        "postgresql+psycopg2",
    ):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine_or_url) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, AsyncEngine) else make_url(str(engine_or_url))
    return url.get_backend_name() == "sqlite"


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    url = async_url(database_url)
    if is_sqlite(url):
        return _create_sqlite_engine(url)
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def _create_sqlite_engine(url: str) -> AsyncEngine:
    ensure_sqlite_dir(url)
    in_memory = ":memory:" in url or url.rstrip("/").endswith("sqlite+aiosqlite:")
    if in_memory:
        engine = create_async_engine(url, poolclass=StaticPool)
    else:
        # One pooled connection: SQLite has one writer anyway, and a single connection avoids
        # "database is locked" under concurrent turns. Sessions must therefore never nest.
        engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=30)

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection) -> None:
    from alembic import command

    command.upgrade(_alembic_config(connection), "head")


async def migrate(engine: AsyncEngine) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    async with engine.begin() as conn:
        if not is_sqlite(engine):
            # Several instances may start together: only one migrates at a time.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        await conn.run_sync(_upgrade)
    log.info("database schema is at the newest revision")


async def ping(engine: AsyncEngine, timeout: float = 2.0) -> bool:
    try:
        async with asyncio.timeout(timeout):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        log.warning("database ping failed", exc_info=True)
        return False
