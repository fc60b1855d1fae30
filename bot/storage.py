"""A botbuilder `Storage` over SQLAlchemy: dialog and conversation state in the bot's database.

One row per key; items are flattened with jsonpickle exactly as botbuilder's own storages do, and
carry an eTag with botbuilder's optimistic-concurrency contract:
  * no eTag or "*": the write is unconditional;
  * a stale eTag: the write is refused (EtagConflictError) and nothing in the batch is written;
  * an empty eTag: refused as a programming error.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterable, List

from botbuilder.core import Storage, StoreItem
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from .dialect import upsert
from .models import BotStateRow


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


def _encode(item) -> str:
    flat = Pickler().flatten(item)
    if isinstance(flat, dict):
        flat.pop("e_tag", None)
    return json.dumps(flat, ensure_ascii=False, separators=(",", ":"))


def _decode(document: str, etag: str):
    flat = json.loads(document)
    if isinstance(flat, dict):
        flat["e_tag"] = etag
    item = Unpickler().restore(flat)
    if not isinstance(flat, dict):
        _set_etag(item, etag)
    return item


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SqlStorage(Storage):
    def __init__(self, sessions: async_sessionmaker) -> None:
        super().__init__()
        self._sessions = sessions

    async def read(self, keys: Iterable[str]) -> Dict[str, object]:
        if keys is None:
            raise Exception("Keys are required when reading")  # message fixed by the conformance suite
        keys = list(keys)
        if not keys:
            return {}
        async with self._sessions() as session:
            rows = (await session.execute(select(BotStateRow).where(BotStateRow.key.in_(keys)))).scalars()
            return {row.key: _decode(row.document, row.etag) for row in rows}

    async def write(self, changes: Dict[str, StoreItem]) -> None:
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        async with self._sessions.begin() as session:
            for key, item in changes.items():
                new_etag = uuid.uuid4().hex
                await self._write_one(session, key, item, new_etag)
                _set_etag(item, new_etag)

    async def _write_one(self, session, key: str, item, new_etag: str) -> None:
        expected = _etag_of(item)
        if expected == "":
            raise ValueError(f"storage write for '{key}': an empty eTag is not allowed")
        document = _encode(item)
        now = _now()
        if expected in (None, "*"):
            await session.execute(
                upsert(session, BotStateRow, {"key": key, "document": document, "etag": new_etag, "updated_at": now},
                       index_elements=["key"], update_columns=["document", "etag", "updated_at"])
            )
            return
        result = await session.execute(
            update(BotStateRow)
            .where(BotStateRow.key == key, BotStateRow.etag == expected)
            .values(document=document, etag=new_etag, updated_at=now)
        )
        if result.rowcount == 1:
            return
        exists = (await session.execute(select(BotStateRow.key).where(BotStateRow.key == key))).first()
        if exists:
            raise EtagConflictError(f"eTag conflict for storage key '{key}'")
        session.add(BotStateRow(key=key, document=document, etag=new_etag, updated_at=now))
        await session.flush()

    async def delete(self, keys: List[str]) -> None:
        keys = list(keys or [])
        if not keys:
            return
        async with self._sessions.begin() as session:
            await session.execute(delete(BotStateRow).where(BotStateRow.key.in_(keys)))

    async def purge_idle(self, older_than: timedelta) -> int:
        """Forget the state of conversations idle for longer than `older_than`."""
        async with self._sessions.begin() as session:
            result = await session.execute(delete(BotStateRow).where(BotStateRow.updated_at < _now() - older_than))
            return result.rowcount or 0
