"""One turn, one transaction: the database side of a turn as a unit of work.

While a turn runs (bot/teams/turns.py), every database access of the bot's code goes through the turn's
one connection and its one transaction: the case events, the outbox rows, the dialog state and the
activity's journal entry commit together, or none of them does.

The unit is found through a context variable, so the code underneath (CaseService, the notices,
the state storage) keeps asking its session factory or engine as before:

* `UnitAwareSessions` (the bot's session factory): `sessions()` gives the turn's session and
  `sessions.begin()` a savepoint in the turn's transaction (so a caller's own retry or
  IntegrityError handling still works), `sessions.begin_without_savepoint()` the turn's session
  as it is; outside a turn they behave as always.
* `reading(engine)`: a connection for reads; the turn's connection once the turn has one.
* `writing(engine)`: a connection for a self-contained write; inside a turn, the turn's.

The turn's connection is opened at the first write, not at the start of the turn: reads before it
take a pooled connection for a moment (on SQLite, where there is one, other turns are not held up
by a turn that only reads). On PostgreSQL the turn's transaction runs on the connection that already
holds the conversation's lock (bot/teams/turn_guards.py), borrowed rather than taken from the pool;
the statements of a turn's hot path (the case row and its events, the case's update with its event,
the notice channel, the dialog state's write) are `DriverStatement`s, sent there straight to asyncpg.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import cached_property
from typing import AsyncIterator, Callable

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as _asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from .db import SQLITE_IMMEDIATE, autocommit, one_statement

_current: ContextVar["TurnUnit | None"] = ContextVar("larmlotsen_turn_unit", default=None)


class TurnUnit:
    def __init__(self, engine: AsyncEngine, borrowed: AsyncConnection | None = None) -> None:
        """`borrowed`: an autocommit PostgreSQL connection the turn already holds (the one holding
        its conversation's lock, bot/teams/turn_guards.py), to run the transaction on instead of a
        pooled one: no checkout, and BEGIN and COMMIT go to the driver as they are."""
        self._engine = engine
        self._borrowed = borrowed
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    async def connection(self) -> AsyncConnection:
        """The turn's connection, with its transaction begun (opened on first use)."""
        if self._connection is None and self._borrowed is not None:
            # SQLAlchemy sends no BEGIN on an autocommit connection; its statements run inside this one.
            await _driver(self._borrowed).execute("BEGIN")
            await self._borrowed.begin()
            self._connection = self._borrowed
        if self._connection is None:
            connection = await self._engine.connect()
            try:
                await connection.execution_options(**{SQLITE_IMMEDIATE: True})
                await connection.begin()
            except BaseException:
                await connection.close()
                raise
            self._connection = connection
        return self._connection

    def driver_under(self, connection) -> "asyncpg.Connection | None":
        """The asyncpg connection under `connection` if the turn's transaction runs on it, begun on
        the driver (the lock's connection): statements sent there straight are in the turn."""
        borrowed = self._borrowed
        if borrowed is None or self._connection is not borrowed:
            return None
        if getattr(connection, "sync_connection", None) is not borrowed.sync_connection:
            return None
        return _driver(borrowed)

    async def session(self) -> AsyncSession:
        if self._session is None:
            self._session = AsyncSession(bind=await self.connection(), expire_on_commit=False)
            self._session.info["after_commit"] = self._after_commit
        return self._session

    async def commit(self, *, by_lender: bool = False) -> list[Callable[[], None]]:
        """Commit; returns the hooks to run once the turn is over (waking the notice worker: the
        turn's own replies go out first). `by_lender`: on a borrowed connection, COMMIT is left to
        the lender, which sends it with its own next statement (turn_guards.SharedLock)."""
        if self._connection is None:
            return []
        if self._session is not None:
            await self._session.flush()
        await self._connection.commit()
        if self._connection is self._borrowed and not by_lender:
            await _driver(self._borrowed).execute("COMMIT")
        await self._close()
        hooks, self._after_commit = self._after_commit, []
        return hooks

    async def rollback(self) -> None:
        if self._connection is None:
            return
        try:
            await self._connection.rollback()
            if self._connection is self._borrowed and _driver(self._borrowed).is_in_transaction():
                await _driver(self._borrowed).execute("ROLLBACK")
        finally:
            await self._close()
            self._after_commit.clear()

    async def _close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        connection, self._connection = self._connection, None
        if connection is not None and connection is not self._borrowed:  # the lender closes its own
            await connection.close()


def _driver(connection: AsyncConnection):
    """The asyncpg connection under a checked-out SQLAlchemy connection."""
    return connection.sync_connection.connection.driver_connection


def current_unit() -> TurnUnit | None:
    return _current.get()


def _converts(type_, dialect, *, result: bool) -> bool:
    """SQLAlchemy runs a value of this type through a processor of its own on asyncpg."""
    impl = type_.dialect_impl(dialect)
    try:
        processor = impl.result_processor(dialect, None) if result else impl.bind_processor(dialect)
    except Exception:  # noqa: BLE001 - a processor that needs the column's database type converts
        return True
    return processor is not None


def _turn_driver_under(connection) -> "asyncpg.Connection | None":
    unit = _current.get()
    return unit.driver_under(connection) if unit is not None else None


class _Row(asyncpg.Record):
    """A driver row read by column name as an attribute, as SQLAlchemy's rows are."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class DriverStatement:
    """A Core statement, compiled once for asyncpg as SQLAlchemy would send it, that goes straight
    to the driver inside a turn whose transaction is on the lock's connection; elsewhere (SQLite,
    outside a turn) it runs through SQLAlchemy as usual. SQLAlchemy's execution around one
    statement costs more CPU than asyncpg's own (≈ 112 against 46 µs, docs/performance.md), and a
    card click runs three such statements. Only for statements whose values SQLAlchemy does not
    convert on asyncpg (the JSON codec is the dialect's, set on every connection); any other is
    refused when first compiled."""

    def __init__(self, statement) -> None:
        self.statement = statement

    @cached_property
    def _compiled(self) -> tuple[str, tuple[str, ...]]:
        """The SQL and its parameters' names in order (compiled at first use: only PostgreSQL's).
        TypeError for a statement with a value SQLAlchemy would convert on its way."""
        dialect = _asyncpg_dialect()
        compiled = self.statement.compile(dialect=dialect)
        converted = [name for name, bind in compiled.binds.items() if _converts(bind.type, dialect, result=False)]
        converted += [column.name for column in getattr(self.statement, "exported_columns", ())
                      if _converts(column.type, dialect, result=True)]
        if converted:
            raise TypeError(f"not for the driver: SQLAlchemy converts {', '.join(converted)}")
        return compiled.string, tuple(compiled.positiontup)

    async def rows(self, connection: AsyncConnection, params) -> list:
        """Every row, each readable by column name as an attribute."""
        driver = _turn_driver_under(connection)
        if driver is None:
            return (await connection.execute(self.statement, params)).all()
        sql, names = self._compiled
        return await driver.fetch(sql, *[params[name] for name in names], record_class=_Row)

    async def rowcount(self, connection: AsyncConnection, params) -> int:
        """The number of rows the statement wrote."""
        driver = _turn_driver_under(connection)
        if driver is None:
            return (await connection.execute(self.statement, params)).rowcount
        sql, names = self._compiled
        status = await driver.execute(sql, *[params[name] for name in names])  # "INSERT 0 1", "UPDATE 1"
        return int(status.rsplit(" ", 1)[-1])


@asynccontextmanager
async def turn_unit(engine: AsyncEngine, borrowed: AsyncConnection | None = None) -> AsyncIterator[TurnUnit]:
    """Make a new unit the current one for the code run inside (the caller commits it)."""
    unit = TurnUnit(engine, borrowed)
    token = _current.set(unit)
    try:
        yield unit
    except BaseException:
        await unit.rollback()
        raise
    finally:
        _current.reset(token)
        await unit.rollback()  # nothing left open if the caller did not commit


def after_commit(session: AsyncSession, hook: Callable[[], None]) -> bool:
    """Run `hook` after the turn committed (and sent its replies), if `session` is a turn's;
    False when it is not."""
    hooks = session.info.get("after_commit")
    if hooks is None:
        return False
    if hook not in hooks:
        hooks.append(hook)
    return True


@asynccontextmanager
async def reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    unit = current_unit()
    if unit is not None and unit.is_open:
        yield await unit.connection()
        return
    async with engine.connect() as connection:
        yield connection


@asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for one self-contained write; `engine` as given to db.one_statement."""
    unit = current_unit()
    if unit is not None:
        yield await unit.connection()
        return
    async with one_statement(engine) as connection:
        yield connection


class _Borrowed:
    """`async with sessions() as session` inside a turn: the turn's session, not closed on exit."""

    def __init__(self, unit: TurnUnit, savepoint: bool) -> None:
        self._unit = unit
        self._savepoint = savepoint
        self._nested = None

    async def __aenter__(self) -> AsyncSession:
        session = await self._unit.session()
        if self._savepoint:
            self._nested = session.begin_nested()
            await self._nested.__aenter__()
        return session

    async def __aexit__(self, *exc) -> None:
        if self._nested is not None:
            await self._nested.__aexit__(*exc)


class UnitAwareSessions(async_sessionmaker):
    """The bot's session factory: the turn's session inside a turn, a new one outside."""

    def __call__(self, **local_kw):
        unit = current_unit()
        if unit is None or local_kw:
            return super().__call__(**local_kw)
        return _Borrowed(unit, savepoint=False)

    def begin(self):
        unit = current_unit()
        if unit is None:
            return super().begin()
        return _Borrowed(unit, savepoint=True)

    def begin_without_savepoint(self):
        """`begin()`, but inside a turn the turn's session as it is, with no savepoint: for work
        whose only failures after its first write end the whole turn (rolled back as one), so
        there is nothing to return to. A savepoint costs two statements on SQLite and a round
        trip on PostgreSQL, at every case action."""
        unit = current_unit()
        if unit is None:
            return super().begin()
        return _Borrowed(unit, savepoint=False)


def engine_of(sessions_or_engine) -> AsyncEngine:
    return sessions_or_engine if isinstance(sessions_or_engine, AsyncEngine) else sessions_or_engine.kw["bind"]


def reader_of(sessions_or_engine) -> AsyncEngine:
    """The engine for reads without a transaction around them (autocommit on PostgreSQL)."""
    return autocommit(engine_of(sessions_or_engine))
