"""The database: one async SQLAlchemy engine for SQLite (embedded default) or PostgreSQL.

The bot picks the async driver itself, so operators write the plain URLs they know
(`sqlite:///data/x.db`, `postgresql://user@host/db`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool

from . import jsontext
from .config import ensure_sqlite_dir
from .dialect import is_sqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed 64-bit number: it names the lock that keeps two starting instances from migrating at once.
MIGRATION_LOCK_ID = 0x4C41524D4C4F54
# An execution option: on SQLite, begin this connection's transactions with BEGIN IMMEDIATE.
SQLITE_IMMEDIATE = "larmlotsen_sqlite_immediate"
# A pooled PostgreSQL connection idle for longer than this is pinged before it is handed out.
PING_IF_IDLE_S = 10.0
# JSON columns (a case's facts, a notice's card) written and read as bot/jsontext.py does.
_JSON_COLUMNS = {"json_serializer": jsontext.dumps, "json_deserializer": jsontext.loads}


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


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    url = async_url(database_url)
    if is_sqlite(url):
        return _create_sqlite_engine(url)
    # hide_parameters: error messages and SQL echo never show what users typed.
    # Up to 2 × pool_size connections, each kept once opened: with an overflow, every connection
    # above pool_size was closed on its return and opened again by the next turn (at 50
    # conversations several new PostgreSQL backends a second, and their CPU on both sides).
    engine = create_async_engine(url, pool_size=2 * pool_size, max_overflow=0, pool_recycle=1800,
                                 hide_parameters=True, **_JSON_COLUMNS)
    _ping_when_idle(engine, PING_IF_IDLE_S)
    _plain_savepoints(engine)
    return engine


def _plain_savepoints(engine: AsyncEngine) -> None:
    """SAVEPOINT, RELEASE and ROLLBACK TO sent as the plain SQL they are: SQLAlchemy compiles its
    savepoint clauses anew every time (they have no cache key), several times the cost of the
    statement itself on SQLite; a turn takes one savepoint per case action. The names are
    SQLAlchemy's own (sa_savepoint_N)."""
    dialect = engine.dialect
    dialect.do_savepoint = lambda connection, name: connection.exec_driver_sql(f"SAVEPOINT {name}")
    if is_sqlite(engine):
        dialect.do_release_savepoint = (
            lambda connection, name: connection.exec_driver_sql(f"RELEASE SAVEPOINT {name}"))
    else:
        # PostgreSQL keeps a savepoint that is not released until its transaction ends, and its
        # work commits with the transaction either way; ROLLBACK TO an earlier savepoint undoes the
        # later ones too, released or not. So RELEASE changes nothing a turn could see, and leaving
        # it out saves a round trip per case action.
        dialect.do_release_savepoint = lambda connection, name: None
    dialect.do_rollback_to_savepoint = (
        lambda connection, name: connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}"))


def _ping_when_idle(engine: AsyncEngine, idle_s: float) -> None:
    """pool_pre_ping, but only for connections that sat idle: SQLAlchemy's pre-ping costs three
    round trips on asyncpg (BEGIN, ping, ROLLBACK) at every checkout, several times per turn,
    while a connection in steady use is known to be alive. A dead one is replaced unseen."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _remember_checkin(_dbapi_connection, record):
        if record is not None:
            record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure: the pool retries with a new connection
            raise DisconnectionError(f"stale pooled connection: {error.__class__.__name__}") from error


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, for reads and single-statement writes: on PostgreSQL without BEGIN/COMMIT
    round trips (each statement is its own transaction); SQLite keeps its plain engine, where
    reads open no transaction anyway."""
    if is_sqlite(engine):
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def side_engine(engine: AsyncEngine, pool_size: int = 1) -> AsyncEngine:
    """A small autocommit pool of its own on the same PostgreSQL database, for a statement that
    must commit apart from the turn's transaction. Its own pool: a turn that holds a connection of
    the main pool never waits for another one of it (that could deadlock under load)."""
    url = engine.url.render_as_string(hide_password=False)
    return autocommit(create_engine(url, pool_size=pool_size))


def one_statement(engine: AsyncEngine):
    """A connection for one self-contained write: committed by PostgreSQL's autocommit (`engine`
    from autocommit()), or by a short transaction on SQLite."""
    return engine.begin() if is_sqlite(engine) else engine.connect()


def _run_statement(connection, begin, operation, parameters):
    """One statement: cursor, execute, fetch, close (and the transaction's deferred BEGIN first,
    when this is its first statement)."""
    cursor = connection.cursor()
    try:
        if begin:
            cursor.execute(begin)
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return description, rows, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


async def sqlite_autocommit(engine: AsyncEngine, statements: list[tuple[str, tuple]]) -> list[list[tuple]]:
    """Statements on SQLite, each its own transaction, straight on the driver of a pooled connection
    (its rows for each): no SQLAlchemy connection, transaction or execution context (two reads through
    them cost ≈ 180 µs of CPU, here ≈ 25 µs, docs/performance.md). For a turn's reads at its start and
    its count of replies sent (bot/teams/turns.py); a statement that finds the database busy waits as
    every statement does."""
    pooled = await engine.raw_connection()
    try:
        driver = pooled.driver_connection
        results = []
        for operation, parameters in statements:
            _, rows, _, _ = await _here_or_waiting(driver, _run_statement, driver._conn, None, operation, parameters)
            results.append(rows)
        return results
    finally:
        pooled.close()  # back to the pool; nothing is left open to roll back


def _run_many(connection, begin, operation, seq_of_parameters):
    cursor = connection.cursor()
    try:
        if begin:
            cursor.execute(begin)
        cursor.executemany(operation, seq_of_parameters)
        return cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def _end(connection, _begin, how: str):
    """COMMIT or ROLLBACK."""
    return connection.commit() if how == "commit" else connection.rollback()


# How long a statement may wait for another process's write lock (SQLite's busy_timeout). On the
# event loop's thread a statement never waits: the connection's own busy_timeout is 0.
SQLITE_LOCK_WAIT_MS = 30000
_on_the_worker_thread: ContextVar[bool] = ContextVar("sqlite_on_the_worker_thread", default=False)


@contextmanager
def sqlite_off_the_loop():
    """SQLite statements run in here go to aiosqlite's worker thread: for the few large reads and
    deletes (an export, a retention purge) that would otherwise hold the event loop."""
    token = _on_the_worker_thread.set(True)
    try:
        yield
    finally:
        _on_the_worker_thread.reset(token)


def _is_busy(error: Exception) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def _waiting(function):
    """`function` with SQLite's busy handler on: it waits for another process's lock."""
    def run(connection, begin, *args):
        connection.execute(f"PRAGMA busy_timeout={SQLITE_LOCK_WAIT_MS}")
        try:
            return function(connection, begin, *args)
        finally:
            connection.execute("PRAGMA busy_timeout=0")
    return run


def _run(await_, driver, function, begin, *args):
    """Run a statement on the event loop's thread: on a local file it takes tens of microseconds,
    while a trip to aiosqlite's worker thread and back costs the loop ≈ 0.15 ms of CPU (two thread
    wake-ups). A statement that finds another process holding the lock fails at once here
    (busy_timeout 0) and is run again on the worker thread, where it waits as SQLite's busy
    handler would have; a statement that is refused with SQLITE_BUSY has done nothing, so
    running it again is what the busy handler does too."""
    connection = driver._conn
    if _on_the_worker_thread.get():
        return await_(driver._execute(_waiting(function), connection, begin, *args))
    return await_(_here_or_waiting(driver, function, connection, begin, *args))


async def _here_or_waiting(driver, function, connection, begin, *args):
    # A coroutine, though it runs at once: SQLAlchemy's async connection checks that a statement
    # awaited something (AwaitRequired), and awaiting this costs no trip through the event loop.
    try:
        return function(connection, begin, *args)
    except sqlite3.OperationalError as error:
        if not _is_busy(error):
            raise
        if begin and connection.in_transaction:
            begin = None  # the BEGIN went through; the statement after it waited
    return await driver._execute(_waiting(function), connection, begin, *args)


def make_aiosqlite_direct() -> None:
    """SQLAlchemy's aiosqlite adapter sends every statement to aiosqlite's worker thread in four
    hops (cursor, execute, fetchall, close), and a rollback with no transaction open in one more.
    Each hop wakes the worker thread and then the event loop. Here a statement runs on the event
    loop's thread (`_run`), a transaction's BEGIN travels with its first statement
    (`defer_begin`), and a commit or rollback with nothing to end is skipped; results, rowcount,
    lastrowid and errors are the same."""
    from collections import deque

    from sqlalchemy.dialects.sqlite import aiosqlite as adapted

    cursor_class, connection_class = adapted.AsyncAdapt_aiosqlite_cursor, adapted.AsyncAdapt_aiosqlite_connection
    if getattr(cursor_class.execute, "direct", False):
        return
    stock_execute, stock_executemany = cursor_class.execute, cursor_class.executemany
    stock_rollback, stock_commit = connection_class.rollback, connection_class.commit

    def execute(self, operation, parameters=None):
        driver = self._connection
        if self.server_side:
            _send_deferred_begin(self.await_, driver)
            return stock_execute(self, operation, parameters)
        begin = _take_deferred_begin(driver)
        try:
            description, rows, lastrowid, rowcount = _run(self.await_, driver, _run_statement, begin, operation,
                                                          parameters)
        except Exception as error:  # noqa: BLE001 - mapped exactly as the stock adapter maps it
            self._adapt_connection._handle_exception(error)
        if description:
            self.description = description
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows)
        else:
            self.description = None
            self.lastrowid, self.rowcount = lastrowid, rowcount

    def executemany(self, operation, seq_of_parameters):
        driver = self._connection
        begin = _take_deferred_begin(driver)
        try:
            self.lastrowid, self.rowcount = _run(self.await_, driver, _run_many, begin, operation, seq_of_parameters)
            self.description = None
        except Exception as error:  # noqa: BLE001
            self._adapt_connection._handle_exception(error)

    def ending(stock, how):
        def end(self):
            driver = self._connection
            _take_deferred_begin(driver)  # a transaction that ran no statement has nothing to end
            # Read while no statement of this connection is in flight (the adapter awaits each
            # one): sqlite3 answers it from the library's autocommit flag.
            if driver._connection is None or not driver._connection.in_transaction:
                return
            try:
                _run(self.await_, driver, _end, None, how)
            except Exception as error:  # noqa: BLE001 - as the stock adapter maps it
                self._handle_exception(error)

        end.stock = stock
        return end

    execute.direct = True
    execute.stock, executemany.stock = stock_execute, stock_executemany
    cursor_class.execute, cursor_class.executemany = execute, executemany
    connection_class.rollback, connection_class.commit = ending(stock_rollback, "rollback"), ending(stock_commit, "commit")


_DEFERRED_BEGIN = "_larmlotsen_deferred_begin"


def defer_begin(dbapi_connection, statement: str) -> None:
    """Send `statement` (BEGIN or BEGIN IMMEDIATE) with the next statement on this connection."""
    setattr(dbapi_connection._connection, _DEFERRED_BEGIN, statement)


def _take_deferred_begin(driver) -> str | None:
    statement = getattr(driver, _DEFERRED_BEGIN, None)
    if statement is not None:
        setattr(driver, _DEFERRED_BEGIN, None)
    return statement


def _send_deferred_begin(await_, driver) -> None:
    begin = _take_deferred_begin(driver)
    if begin:
        await_(driver.execute(begin))


def _create_sqlite_engine(url: str) -> AsyncEngine:
    ensure_sqlite_dir(url)
    make_aiosqlite_direct()
    in_memory = ":memory:" in url or url.rstrip("/").endswith("sqlite+aiosqlite:")
    if in_memory:
        engine = create_async_engine(url, poolclass=StaticPool, hide_parameters=True, **_JSON_COLUMNS)
    else:
        # One pooled connection: SQLite has one writer anyway, and a single connection avoids
        # "database is locked" under concurrent turns. Sessions must therefore never nest.
        engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=30, hide_parameters=True,
                                     **_JSON_COLUMNS)
    _plain_savepoints(engine)

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=0")  # waits happen on the worker thread (_run)
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Up to 32 MiB of pages kept (SQLite's default is 2 MiB): the every-minute reminder scan
        # reads every open case and its events, spread over the whole file once it holds 100,000
        # cases; with 2 MiB they were read again from the OS at every scan (docs/performance.md).
        cursor.execute("PRAGMA cache_size=-32768")
        # Deleted rows (purged cases, expired turns) are overwritten, not left readable in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
        # SQLAlchemy, not the driver, says when a transaction begins (the driver's own handling
        # skips BEGIN before a SAVEPOINT, and releasing it would then commit): a turn's savepoints
        # must stay inside the turn's transaction (bot/unit_of_work.py).
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _sqlite_begin(conn):  # pragma: no cover - trivial
        # A turn's transaction takes the write lock when it begins (waiting up to busy_timeout), so
        # it never fails half-way because another process (a restarting instance) wrote after it
        # had read; reads keep WAL's lock-free snapshot.
        # The BEGIN is sent together with the transaction's first statement (one worker-thread hop).
        immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE)
        defer_begin(conn.connection.dbapi_connection, "BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    """Sessions that join the running turn's transaction, if there is one (bot/unit_of_work.py)."""
    from .unit_of_work import UnitAwareSessions

    return UnitAwareSessions(engine, expire_on_commit=False)


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection) -> None:
    from alembic import command

    command.upgrade(_alembic_config(connection), "head")


def head_revision(versions_dir: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The newest revision among the migration scripts, read from their text (importing Alembic
    costs ≈ 0.2 s and a few MiB at every start, for nothing when the schema is current)."""
    revisions, parents = set(), set()
    for script in versions_dir.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = re.search(r"^revision(?::[^=]+)?\s*=\s*[\"']([^\"']+)[\"']", source, re.MULTILINE)
        parent = re.search(r"^down_revision(?::[^=]+)?\s*=\s*(.+)$", source, re.MULTILINE)
        if revision is None or parent is None:
            return None  # a script this reader does not understand: let Alembic decide
        revisions.add(revision.group(1))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", parent.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def schema_is_current(engine: AsyncEngine) -> bool:
    """True when the database is already at the newest revision (one query, no Alembic)."""
    head = head_revision()
    if head is None:
        return False
    try:
        async with engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except DBAPIError:  # no such table yet (a new database); a real outage shows again in migrate()
        return False
    return versions == [head]


async def migrate(engine: AsyncEngine) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    if await schema_is_current(engine):
        log.info("database schema is at the newest revision")
        return
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
