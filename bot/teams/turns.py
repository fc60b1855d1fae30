"""A turn is one unit of work, and its replies go out after it committed.

For each activity from Teams (messages, card clicks, conversation updates):

1. Under the conversation's lock (bot/teams/turn_guards.py; on PostgreSQL taken in the same round
   trip as this read), the activity's journal entry is looked up. Found: the turn committed before.
   Its replies that did not reach the user are sent now, and an invoke gets the response it got
   then; the turn does not run again.
2. Not found: the turn runs inside one database transaction (bot/unit_of_work.py). What it sends
   is held back (`ReplyBuffer`), not posted.
3. The journal entry, with the held replies and the invoke response, is written in the same
   transaction as the case events, the outbox rows and the dialog state; then it all commits.
   If the turn fails before, everything rolls back and the apology "nothing was saved" is true.
4. The replies are sent. Each one that reached the connector is counted in the journal (on
   PostgreSQL in the round trip that releases the lock). If one
   fails, the HTTP answer to Teams is an error (`RepliesNotDelivered`), so Teams delivers the
   activity again and step 1 sends what is missing; the user's next message in the conversation
   does the same, introduced by a short note.

Proactive turns (the notice worker's `continue_conversation`) are not journalled: they send at once.
docs/reliability.md walks through what happens when the process dies at each moment.
"""

from __future__ import annotations

import hashlib
import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Awaitable, Callable, NamedTuple

from botbuilder.core import InvokeResponse, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityEventNames, ActivityTypes, ResourceResponse
from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot import jsontext
from bot.db import autocommit, one_statement, sqlite_autocommit
from bot.dialect import is_sqlite
from bot.domain.clock import Clock, system_clock
from bot.unit_of_work import DriverStatement, engine_of, turn_unit

from . import wording as texts
from .activity_json import activity_to_json, read_activity
from .connector_http import reply_budget
from .state_tables import ProcessedActivityRow
from .storage import STATE_ROW_SQLITE, prefetched_state
from .turn_guards import SharedLock, shared_lock

log = logging.getLogger(__name__)

NextLogic = Callable[[], Awaitable]
SEND, UPDATE = "send", "update"
INVOKE_RESPONSE_KEY = TurnContext._INVOKE_RESPONSE_KEY  # noqa: SLF001 - where the adapter looks for it

_JOURNAL = ProcessedActivityRow.__table__
_LOOKUP = select(_JOURNAL.c.key, _JOURNAL.c.received_at, _JOURNAL.c.replies, _JOURNAL.c.reply_count, _JOURNAL.c.replies_sent,
                 _JOURNAL.c.invoke_response).where(or_(
                     _JOURNAL.c.key == bindparam("key"),
                     (_JOURNAL.c.conversation_key == bindparam("conversation"))
                     & (_JOURNAL.c.replies_sent < _JOURNAL.c.reply_count)))
# `_LOOKUP` and `_COUNT_SENT` as SQLite's plain SQL, for db.sqlite_autocommit (received_at comes back
# as SQLAlchemy stored it).
_LOOKUP_SQLITE = (f"SELECT key, received_at, replies, reply_count, replies_sent, invoke_response FROM {_JOURNAL.name} "
                  "WHERE key = ? OR (conversation_key = ? AND replies_sent < reply_count)")
_COUNT_SENT_SQLITE = f"UPDATE {_JOURNAL.name} SET replies_sent = ? WHERE key = ?"
# Straight to asyncpg in a turn on the lock's connection (PostgreSQL): less than half the CPU.
_RECORD = DriverStatement(insert(_JOURNAL).values({name: bindparam(name) for name in (
    "key", "received_at", "conversation_key", "replies", "reply_count", "replies_sent", "invoke_response")}))
_COUNT_SENT = update(_JOURNAL).where(_JOURNAL.c.key == bindparam("k")).values(replies_sent=bindparam("sent"))
_HANDED_ON = (update(_JOURNAL).where(_JOURNAL.c.key.in_(bindparam("keys", expanding=True)))
              .values(replies_sent=_JOURNAL.c.reply_count))


# PostgreSQL: the turn's start in one round trip on the connection that holds the conversation's lock
# (turn_guards.SharedLock): the migration 0008 function takes the lock, then reads the same rows as
# `_LOOKUP` and the conversation's state row ('state' rows: key, document in `replies`, etag in
# `invoke_response`), which storage.py hands to the turn's first read of the state.
_TURN_START = ("SELECT source, key, received_at, replies, reply_count, replies_sent, invoke_response "
               "FROM turn_start($1, $2, $3, $4)")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _count_sent_literal(key: str, sent: int) -> str:
    """`_COUNT_SENT` as literal SQL, to go with the unlock: the key is a SHA-256 in hex, the count an int."""
    if not _SHA256_HEX.fullmatch(key):
        raise ValueError("a journal key is a SHA-256 in hex")
    return f"UPDATE {_JOURNAL.name} SET replies_sent = {int(sent):d} WHERE key = '{key}'"


class _JournalRow(NamedTuple):
    key: str
    received_at: datetime
    replies: str | None
    reply_count: int
    replies_sent: int
    invoke_response: str | None


class RepliesNotDelivered(Exception):
    """The turn committed, but a reply did not reach the connector: Teams should deliver again."""


def activity_key(context: TurnContext) -> str | None:
    activity = context.activity
    if not activity.id:
        return None
    conversation_id = activity.conversation.id if activity.conversation else ""
    return _hash(f"{activity.channel_id}\x1f{conversation_id}\x1f{activity.id}")


def conversation_key(context: TurnContext) -> str:
    activity = context.activity
    return _hash(f"{activity.channel_id}\x1f{activity.conversation.id if activity.conversation else ''}")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def is_proactive(activity: Activity) -> bool:
    return activity.type == ActivityTypes.event and activity.name == ActivityEventNames.continue_conversation


# --- the held replies ------------------------------------------------------------------------------


@dataclass
class ReplyBuffer:
    """What a turn sends, held until it commits. bot/teams/adapter.py's turn context fills it."""

    replies: list[tuple[str, Activity]] = field(default_factory=list)

    def hold(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        for activity in activities:
            if activity.type == ActivityTypes.invoke_response:
                context.turn_state[INVOKE_RESPONSE_KEY] = activity  # what the adapter does with it
            elif activity.type != ActivityTypes.trace:
                self.replies.append((SEND, activity))
        return [ResourceResponse(id="") for _ in activities]

    def hold_update(self, activity: Activity) -> ResourceResponse:
        self.replies.append((UPDATE, activity))
        return ResourceResponse(id=activity.id or "")


def _encode_replies(replies: list[tuple[str, Activity]]) -> str | None:
    if not replies:
        return None
    return jsontext.dumps([{"op": op, "activity": _without_names(activity_to_json(activity))}
                           for op, activity in replies])


def _without_names(activity: dict) -> dict:
    """The envelope's display names (the user's, the conversation's) are not kept with the journal:
    Teams does not need them to deliver a reply again, and a name may hold a personnummer."""
    for key in ("from", "recipient", "conversation"):
        if isinstance(activity.get(key), dict):
            activity[key] = {k: v for k, v in activity[key].items() if k != "name"}
    return activity


def _decode_replies(raw: str | None) -> list[tuple[str, Activity]]:
    if not raw:
        return []
    return [(item["op"], read_activity(item["activity"])) for item in jsontext.loads(raw)]


def _encode_invoke_response(context: TurnContext) -> str | None:
    held = context.turn_state.get(INVOKE_RESPONSE_KEY)
    response = getattr(held, "value", None)
    if not isinstance(response, InvokeResponse):
        return None
    body = response.body.serialize() if hasattr(response.body, "serialize") else response.body
    return jsontext.dumps({"status": response.status, "body": body})


def _restore_invoke_response(context: TurnContext, raw: str | None) -> None:
    if not raw:
        return
    stored = jsontext.loads(raw)
    context.turn_state[INVOKE_RESPONSE_KEY] = Activity(
        type=ActivityTypes.invoke_response, value=InvokeResponse(status=stored["status"], body=stored["body"]))


@dataclass(frozen=True)
class _Entry:
    key: str
    replies: list[tuple[str, Activity]]
    sent: int
    invoke_response: str | None

    @property
    def unsent(self) -> list[tuple[str, Activity]]:
        return self.replies[self.sent:]


# --- the middleware --------------------------------------------------------------------------------


class AtomicTurns(Middleware):
    def __init__(self, sessions: async_sessionmaker | AsyncEngine, ttl: timedelta, *,
                 reply_budget_s: float = 10.0, clock: Clock = system_clock,
                 state_key: Callable[[TurnContext], str] | None = None) -> None:
        """`state_key`: the conversation state's storage key of a turn, read with the journal look-up."""
        self._state_key = state_key
        self._engine = engine_of(sessions)
        self._clock = clock
        self._autocommit = autocommit(self._engine)
        self._ttl = ttl
        self._reply_budget_s = reply_budget_s

    async def on_turn(self, context: TurnContext, logic: NextLogic):
        shared = shared_lock()
        if is_proactive(context.activity):
            if shared is not None:
                await shared.take()
            return await logic()
        key, conversation = activity_key(context), conversation_key(context)
        state_key = self._state_key_of(context)
        if shared is not None:
            entry, earlier, state = await self._start(shared, key, conversation, state_key)
        else:
            entry, earlier, state = await self._look_up(key, conversation, state_key)
        if entry is not None:
            log.info("activity id=%s was handled before: %d of its %d replies still to send, not run again",
                     context.activity.id, len(entry.unsent), len(entry.replies))
            _restore_invoke_response(context, entry.invoke_response)
            await self._deliver(context, entry.key, entry.unsent, already_sent=entry.sent)
            return None
        with prefetched_state(state_key, state) if state_key is not None else nullcontext():
            replies, after = await self._run_and_commit(context, logic, key, conversation, earlier, shared)
        try:
            await self._deliver(context, key, replies)
        finally:
            for hook in after:
                hook()
        return None

    async def _run_and_commit(self, context: TurnContext, logic: NextLogic, key: str | None, conversation: str,
                              earlier: list[_Entry], shared: SharedLock | None) -> list[tuple[str, Activity]]:
        """On PostgreSQL the turn's transaction runs on the connection holding the conversation's
        lock (`shared`); a turn with nothing to send commits with the unlock, in one round trip."""
        buffer = ReplyBuffer()
        context.turn_state[ReplyBuffer] = buffer
        try:
            async with turn_unit(self._engine, shared.connection if shared is not None else None) as unit:
                await logic()
                replies = _carried(earlier) + buffer.replies
                connection = await unit.connection()
                on_lock = shared is not None and connection is shared.connection
                if key is not None:
                    await _RECORD.rowcount(connection, {
                        "key": key, "received_at": self._clock(), "conversation_key": conversation,
                        "replies": _encode_replies(replies), "reply_count": len(replies), "replies_sent": 0,
                        "invoke_response": _encode_invoke_response(context)})
                if earlier:
                    await connection.execute(_HANDED_ON, {"keys": [entry.key for entry in earlier]})
                with_unlock = on_lock and not replies  # the unlock can commit only its own connection's
                after = await unit.commit(by_lender=with_unlock)
                if with_unlock:
                    shared.commit_at_release(after)
                    after = []
        finally:
            context.turn_state.pop(ReplyBuffer, None)  # an apology after a failure is sent at once
        return replies, after

    def _state_key_of(self, context: TurnContext) -> str | None:
        if self._state_key is None:
            return None
        try:
            return self._state_key(context)
        except (TypeError, AttributeError):  # no conversation to key the state by: read as usual
            return None

    async def _start(self, shared: SharedLock, key: str | None, conversation: str, state_key: str | None):
        """Take the conversation's lock, then `_look_up` and the conversation's state row (document,
        etag; None: none): one round trip."""
        rows, state = [], None
        for record in await shared.take_with(_TURN_START, key or "", conversation, state_key):
            if record[0] == "state":
                state = (record[3], record[6])
            else:
                rows.append(_JournalRow(*record[1:]))
        return *self._entries(key, rows), state

    async def _look_up(self, key: str | None, conversation: str, state_key: str | None):
        """This activity's journal entry, earlier turns of the conversation whose replies did not all
        reach the user, and (SQLite) the conversation's state row. On SQLite two plain reads on the
        driver: the conversation's turns run one at a time in this one process, so nothing writes
        these rows in between."""
        if not is_sqlite(self._engine):
            async with self._autocommit.connect() as conn:
                rows = (await conn.execute(_LOOKUP, {"key": key or "", "conversation": conversation})).all()
            return *self._entries(key, rows), None
        reads = [(_LOOKUP_SQLITE, (key or "", conversation))]
        if state_key is not None:
            reads.append((STATE_ROW_SQLITE, (state_key,)))
        journal, *state = await sqlite_autocommit(self._engine, reads)
        rows = [_JournalRow(row[0], datetime.fromisoformat(row[1]), *row[2:]) for row in journal]
        return *self._entries(key, rows), (state[0][0] if state and state[0] else None)

    @staticmethod
    def _entries(key: str | None, rows) -> tuple[_Entry | None, list[_Entry]]:
        rows = sorted(rows, key=lambda row: row.received_at)
        entries = {row.key: _Entry(row.key, _decode_replies(row.replies), row.replies_sent, row.invoke_response)
                   for row in rows}
        this = entries.pop(key, None) if key else None
        return this, list(entries.values())

    async def _deliver(self, context: TurnContext, key: str | None, replies: list[tuple[str, Activity]], *,
                       already_sent: int = 0) -> None:
        sent = 0
        try:
            with reply_budget(self._reply_budget_s):  # all of a turn's replies, well within Teams' 15 s
                for op, activity in replies:
                    await _send(context, op, activity)
                    sent += 1
        except Exception as error:  # noqa: BLE001 - counted, then Teams is told to deliver again
            log.warning("activity id=%s: reply %d of %d not delivered (%s); the turn is saved, the reply is kept",
                        context.activity.id, already_sent + sent + 1, already_sent + len(replies),
                        error.__class__.__name__)
            await self._count_sent(key, already_sent + sent)
            raise RepliesNotDelivered(context.activity.id) from error
        if replies:
            await self._count_sent(key, already_sent + sent)

    async def _count_sent(self, key: str | None, sent: int) -> None:
        if key is None:
            return
        shared = shared_lock()
        if shared is not None:  # written just before the conversation's lock is released, one round trip
            shared.release_with(_count_sent_literal(key, sent))
            return
        try:
            if is_sqlite(self._engine):
                await sqlite_autocommit(self._engine, [(_COUNT_SENT_SQLITE, (sent, key))])
            else:
                async with one_statement(self._autocommit) as conn:
                    await conn.execute(_COUNT_SENT, {"k": key, "sent": sent})
        except Exception:  # noqa: BLE001 - at worst a redelivery sends a reply the user already has
            log.warning("could not record the replies sent for a turn", exc_info=True)

    async def purge_expired(self) -> int:
        cutoff = self._clock() - self._ttl
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(_JOURNAL).where(_JOURNAL.c.received_at < cutoff))
            return result.rowcount or 0


def _carried(earlier: list[_Entry]) -> list[tuple[str, Activity]]:
    """Replies of earlier turns that never reached the user, introduced by a note."""
    unsent = [reply for entry in earlier for reply in entry.unsent if reply[0] == SEND]
    if not unsent:
        return []
    return [(SEND, Activity(type=ActivityTypes.message, text=texts.EARLIER_REPLY_UNDELIVERED))] + unsent


async def _send(context: TurnContext, op: str, activity: Activity) -> None:
    if op == UPDATE:
        try:
            await context.adapter.update_activity(context, activity)
        except Exception:  # noqa: BLE001 - the card others see is refreshed by their next look at it
            log.warning("could not update a card in place (activity id=%s)", context.activity.id, exc_info=True)
        return
    if not activity.conversation:
        reference = TurnContext.get_conversation_reference(context.activity)
        activity = TurnContext.apply_conversation_reference(activity, reference)
    await context.adapter.send_activities(context, [activity])

