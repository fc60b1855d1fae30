"""A botbuilder `Storage` over SQLAlchemy: dialog and conversation state in the bot's database.

One row per key; items are flattened with jsonpickle exactly as botbuilder's own storages do, and
carry an eTag with botbuilder's optimistic-concurrency contract:
  * no eTag or "*": the write is unconditional;
  * a stale eTag: the write is refused (EtagConflictError) and nothing in the batch is written;
  * an empty eTag: refused as a programming error.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Dict, Iterable, Iterator, List

from botbuilder.core import ConversationState, Storage, StoreItem, TurnContext
from botbuilder.core.bot_state import CachedBotState
from botbuilder.dialogs.dialog_instance import DialogInstance
from botbuilder.dialogs.dialog_state import DialogState
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot import jsontext
from bot.db import autocommit, one_statement
from .state_tables import BotStateRow
from .turn_guards import held_connection
from bot.dialect import upsert_statement
from bot.domain.clock import Clock, system_clock
from bot.unit_of_work import DriverStatement, current_unit, engine_of, reading

# Core statements on the table, built once: the ORM's per-statement work (entity loading, unit of
# work, IN expansion) was a third of a turn's CPU (docs/performance.md).
_STATE = BotStateRow.__table__
_READ_ONE = select(_STATE.c.key, _STATE.c.document, _STATE.c.etag).where(_STATE.c.key == bindparam("key"))
_READ_MANY = select(_STATE.c.key, _STATE.c.document, _STATE.c.etag).where(
    _STATE.c.key.in_(bindparam("keys", expanding=True)))
# The read on the connection that holds the conversation's lock (PostgreSQL, turn_guards.held_connection),
# before the turn's transaction opens: straight to asyncpg.
_HELD_READ = f"SELECT key, document, etag FROM {_STATE.name} WHERE key = ANY($1::text[])"

# A conversation's state row read with the turn's journal look-up, under the conversation's lock
# (bot/teams/turns.py; PostgreSQL: the same round trip, SQLite: the same read transaction): the
# first read of that key in the turn takes it instead of asking the database again. Nothing else
# writes the key while the lock is held, the turn itself has written nothing before its first read,
# and the write checks the row's etag all the same; later reads go to the database.
_prefetched: ContextVar[dict | None] = ContextVar("larmlotsen_prefetched_state", default=None)


@contextmanager
def prefetched_state(key: str, row: tuple[str, str] | None) -> Iterator[None]:
    """Within the block, the first read of `key` gets `row` (document, etag; None: no row)."""
    token = _prefetched.set({key: row})
    try:
        yield
    finally:
        _prefetched.reset(token)


# `key`'s row for `prefetched_state`, read with the turn's journal look-up on SQLite (bot/teams/turns.py,
# db.sqlite_autocommit): rows of (document, etag).
STATE_ROW_SQLITE = f"SELECT document, etag FROM {_STATE.name} WHERE key = ?"


def _forget_prefetched(keys: Iterable[str]) -> None:
    """A key written or deleted in the turn is read from the database from then on."""
    early = _prefetched.get()
    if early:
        for key in keys:
            early.pop(key, None)


def _take_prefetched(keys: list[str]) -> Dict[str, object] | None:
    early = _prefetched.get()
    if not early or len(keys) != 1 or keys[0] not in early:
        return None
    row = early.pop(keys[0])
    return {} if row is None else {keys[0]: _decode(*row)}


# Both writes go straight to asyncpg in a turn on the lock's connection (unit_of_work.DriverStatement).
_UPDATE_IF_CURRENT = DriverStatement(
    update(_STATE)
    .where(_STATE.c.key == bindparam("k"), _STATE.c.etag == bindparam("expected"))
    .values(document=bindparam("doc"), etag=bindparam("new_etag"), updated_at=bindparam("at"))
)
_EXISTS = select(_STATE.c.key).where(_STATE.c.key == bindparam("key"))
_INSERT = insert(_STATE)


def _upsert_for(dialect_name: str):
    return DriverStatement(upsert_statement(dialect_name, _STATE, index_elements=[_STATE.c.key],
                                            update_columns=["document", "etag", "updated_at"]))


class EtagConflictError(KeyError):
    """A write carried an eTag that is no longer current (someone else wrote first)."""


def _etag_of(item) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _set_etag(item, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    elif hasattr(item, "e_tag"):
        item.e_tag = etag


# --- the document format: jsonpickle's, with a fast path for what dialog state holds ------------
# jsonpickle is general and slow (≈ 0.1 ms per flatten of an intake's state, and BotState flattens
# 2-4 times a turn). Plain JSON values, the dialog stack's two classes and shared references are
# written and read here exactly as jsonpickle writes and reads them (same "py/object" and "py/id"
# tags, same numbering); anything else falls back to jsonpickle itself.
#
# jsonpickle writes a user dict's keys as they are, so a key such as "py/id" or "py/tuple" would be
# read back as its tag (a shared reference, a tuple). The fast path escapes every user key that
# starts with "py/" or with the escape itself by putting _ESCAPE in front, and takes one off when
# reading: any JSON state round-trips exactly, and a document without such keys is jsonpickle's own.

_FAST_CLASSES = {DialogState: "botbuilder.dialogs.dialog_state.DialogState",
                 DialogInstance: "botbuilder.dialogs.dialog_instance.DialogInstance"}
_FAST_NAMES = {name: cls for cls, name in _FAST_CLASSES.items()}
_PLAIN = (str, int, float, bool, type(None))
_ESCAPE = "\x00"
_ESCAPED_PREFIXES = ("py/", _ESCAPE)


class _NotPlain(Exception):
    """A value the fast path does not handle: jsonpickle takes the whole document."""


def _flatten_fast(root):
    numbers: dict[int, int] = {}  # id(container) -> its reference number, in visiting order

    def visit(value):
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is not dict and kind is not list and kind not in _FAST_CLASSES:
            raise _NotPlain
        number = numbers.get(id(value))
        if number is not None:
            return {"py/id": number}
        numbers[id(value)] = len(numbers)
        if kind is list:
            return [visit(item) for item in value]
        flat = {} if kind is dict else {"py/object": _FAST_CLASSES[kind]}
        for key, item in (value if kind is dict else value.__dict__).items():
            if type(key) is not str:
                raise _NotPlain
            if key.startswith(_ESCAPED_PREFIXES):
                key = _ESCAPE + key
            flat[key] = visit(item)
        return flat

    return visit(root)


def _restore_fast(flat):
    objects: list = []  # restored containers, in the order jsonpickle numbers them

    def visit(value):
        kind = type(value)
        if kind is list:
            restored = []
            objects.append(restored)
            restored.extend(visit(item) for item in value)
            return restored
        if kind is not dict:
            return value
        if "py/id" in value:
            return objects[value["py/id"]]
        class_name = value.get("py/object")
        if class_name is not None:
            cls = _FAST_NAMES.get(class_name)
            if cls is None:
                raise _NotPlain
            restored = cls.__new__(cls)
            objects.append(restored)
            attributes = restored.__dict__
        else:
            restored = attributes = {}
            objects.append(restored)
        for key, item in value.items():
            if key.startswith("py/"):
                if key == "py/object":
                    continue
                raise _NotPlain
            if key.startswith(_ESCAPE):
                key = key[1:]
            attributes[key] = visit(item)
        return restored

    return visit(flat)


def _flatten(item):
    try:
        return _flatten_fast(item)
    except (_NotPlain, RecursionError):
        return Pickler().flatten(item)


def _encode(item) -> str:
    flat = _flatten(item)
    if isinstance(flat, dict):
        flat.pop("e_tag", None)
    return jsontext.dumps(flat)


def _decode(document: str, etag: str):
    flat = jsontext.loads(document)
    if isinstance(flat, dict):
        flat["e_tag"] = etag
    try:
        item = _restore_fast(flat)
    except (_NotPlain, IndexError, TypeError):
        item = Unpickler().restore(flat)
    if not isinstance(flat, dict):
        _set_etag(item, etag)
    return item


class SqlStorage(Storage):
    def __init__(self, sessions: async_sessionmaker | AsyncEngine, *, clock: Clock = system_clock) -> None:
        super().__init__()
        self._clock = clock
        self._engine = engine_of(sessions)
        self._autocommit = autocommit(self._engine)
        self._upsert = _upsert_for(self._engine.dialect.name)

    async def read(self, keys: Iterable[str]) -> Dict[str, object]:
        if keys is None:
            raise Exception("Keys are required when reading")  # message fixed by the conformance suite
        keys = list(keys)
        if not keys:
            return {}
        early = _take_prefetched(keys)
        if early is not None:
            return early
        held = held_connection()
        unit = current_unit()
        if held is not None and (unit is None or not unit.is_open):
            rows = await held.fetch(_HELD_READ, keys)  # (key, document, etag)
            return {key: _decode(document, etag) for key, document, etag in rows}
        statement, params = (_READ_ONE, {"key": keys[0]}) if len(keys) == 1 else (_READ_MANY, {"keys": keys})
        async with reading(self._autocommit) as conn:
            rows = (await conn.execute(statement, params)).all()
        return {row.key: _decode(row.document, row.etag) for row in rows}

    async def write(self, changes: Dict[str, StoreItem]) -> None:
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        _forget_prefetched(changes)
        writes = [self._prepare(key, item) for key, item in changes.items()]
        unit = current_unit()
        if unit is not None:  # inside a turn: part of the turn's one transaction
            conn = await unit.connection()
            for write in writes:
                await self._write_one(conn, write)
        elif len(writes) == 1 and await self._write_single(writes[0]):
            _set_etag(changes[writes[0]["k"]], writes[0]["new_etag"])
            return
        else:
            async with self._engine.begin() as conn:  # a batch is all or nothing
                for write in writes:
                    await self._write_one(conn, write)
        for write in writes:
            _set_etag(changes[write["k"]], write["new_etag"])

    def _prepare(self, key: str, item) -> dict:
        expected = _etag_of(item)
        if expected == "":
            raise ValueError(f"storage write for '{key}': an empty eTag is not allowed")
        return {"k": key, "expected": expected, "doc": _encode(item), "new_etag": uuid.uuid4().hex,
                "at": self._clock()}

    async def _write_single(self, write: dict) -> bool:
        """The usual turn-end write as one self-committing statement (one round trip on PostgreSQL).
        False when it needs the careful path: a conditional write that matched no row."""
        async with one_statement(self._autocommit) as conn:
            if write["expected"] in (None, "*"):
                await self._upsert.rowcount(conn, _row_values(write))
                return True
            return await _UPDATE_IF_CURRENT.rowcount(conn, write) == 1

    async def _write_one(self, conn, write: dict) -> None:
        if write["expected"] in (None, "*"):
            await self._upsert.rowcount(conn, _row_values(write))
            return
        if await _UPDATE_IF_CURRENT.rowcount(conn, write) == 1:
            return
        if (await conn.execute(_EXISTS, {"key": write["k"]})).first():
            raise EtagConflictError(f"eTag conflict for storage key '{write['k']}'")
        await conn.execute(_INSERT, _row_values(write))

    async def delete(self, keys: List[str]) -> None:
        keys = list(keys or [])
        if not keys:
            return
        _forget_prefetched(keys)
        async with self._engine.begin() as conn:
            await conn.execute(delete(_STATE).where(_STATE.c.key.in_(keys)))

    async def purge_idle(self, older_than: timedelta) -> int:
        """Forget the state of conversations idle for longer than `older_than`."""
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(_STATE).where(_STATE.c.updated_at < self._clock() - older_than))
            return result.rowcount or 0


class _DocumentCachedState(CachedBotState):
    """BotState's cached state, whose change detection compares the stored document format."""

    def compute_hash(self, obj: object) -> str:
        return _encode(obj)


class SqlConversationState(ConversationState):
    """ConversationState with cheap change detection: BotState hashes the state with jsonpickle's
    flatten at load, before and after every save; this compares the document SqlStorage writes."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached_state = self.get_cached_state(turn_context)
        if force or not cached_state or not cached_state.state:
            storage_key = self.get_storage_key(turn_context)
            items = await self._storage.read([storage_key])
            turn_context.turn_state[self._context_service_key] = _DocumentCachedState(items.get(storage_key))


def _row_values(write: dict) -> dict:
    return {"key": write["k"], "document": write["doc"], "etag": write["new_etag"], "updated_at": write["at"]}
