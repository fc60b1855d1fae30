"""What the fault tests need around the real `python -m bot`: a child process that can be killed
with SIGKILL and started again on the same port, a Bot Connector whose answers can be scripted to
fail (per conversation: an HTTP status, a hang, or a refused connection), a Teams client that
redelivers the way Teams does, and a reader of what the database holds afterwards."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from tests.support.bot_process import BotProcess, larmlotsen
from tests.support.connector import FakeConnector, SentActivity
from tests.support.ports import free_port

CARD = "application/vnd.microsoft.card.adaptive"
APOLOGY_NOTHING_SAVED = "ingenting sparades"



# --- the bot process ------------------------------------------------------------------------------


def bot_process(database_url: str, log_dir: Path, name: str = "bot", **env) -> BotProcess:
    """`python -m bot` on a fixed port; `kill()` is SIGKILL, `start()` brings it back on that port."""
    return larmlotsen(database_url, log_dir / f"{name}.log", name=name, **{"DB_POOL_SIZE": 5, "LOG_LEVEL": "INFO", **env})


class Fleet:
    """The bot behind Teams' endpoint while it is being killed: one live process; `replace()`
    starts the next one, lets the old one go on working a moment, then kills it with SIGKILL (a
    process that dies at a random point of its work, and a restart that does not keep Teams
    waiting for the interpreter to start)."""

    def __init__(self, database_url: str, log_dir: Path, rng, **env) -> None:
        self.database_url, self.log_dir, self.rng, self.env = database_url, log_dir, rng, env
        self.generation = 0
        self.current = self._new()
        self.kill_times: list[float] = []

    def _new(self) -> BotProcess:
        self.generation += 1
        return bot_process(self.database_url, self.log_dir, name=f"bot-{self.generation}", **self.env)

    @property
    def messages_url(self) -> str:
        return self.current.messages_url

    async def start(self, http: aiohttp.ClientSession) -> None:
        self.current.start()
        await self.current.wait_ready(http)

    async def replace(self, http: aiohttp.ClientSession, *, work_s: float) -> None:
        successor = self._new()
        successor.start()
        await successor.wait_ready(http)
        await asyncio.sleep(work_s)
        old, self.current = self.current, successor
        old.kill()
        self.kill_times.append(time.monotonic())

    @property
    def kills(self) -> int:
        return len(self.kill_times)

    def stop(self) -> None:
        self.current.stop()

    def logs(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("bot-*.log")))


# --- the Bot Connector, with scripted faults -------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One scripted answer to one request of the bot: `status` (with headers), or `hang_s` seconds of
    silence after which the connection is dropped unanswered."""

    status: int | None = None
    headers: dict | None = None
    hang_s: float = 0.0

    @property
    def kind(self) -> str:
        if self.hang_s:
            return "hang"
        if self.status == 429:
            return "429 Retry-After"
        return str(self.status)


@dataclass
class ScriptedConnector(FakeConnector):
    """FakeConnector whose requests for one conversation can be scripted to fail, and which can
    also listen on a second address that can be switched off (a refused connection)."""

    scripts: dict[str, list[Fault]] = field(default_factory=dict)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each entry of `sent`
    faults_served: dict[str, int] = field(default_factory=dict)
    flaky: TestServer | None = None
    flaky_port: int = 0

    def script(self, conversation_id: str, *faults: Fault) -> None:
        self.scripts.setdefault(conversation_id, []).extend(faults)

    @property
    def flaky_url(self) -> str:
        return f"http://127.0.0.1:{self.flaky_port}/"

    async def start(self) -> "ScriptedConnector":
        await super().start()
        self.flaky_port = free_port()
        await self.open_flaky()
        return self

    async def open_flaky(self) -> None:
        if self.flaky is None:
            self.flaky = TestServer(self.app(), host="127.0.0.1", port=self.flaky_port)
            await self.flaky.start_server()

    async def close_flaky(self) -> None:
        """From now on, a connection to `flaky_url` is refused."""
        if self.flaky is not None:
            await self.flaky.close()
            self.flaky = None

    async def close(self) -> None:
        await self.close_flaky()
        await super().close()

    async def _scripted(self, request: web.Request) -> web.StreamResponse | None:
        queue = self.scripts.get(request.match_info["conversation"])
        if not queue:
            return None
        fault = queue.pop(0)
        self.faults_served[fault.kind] = self.faults_served.get(fault.kind, 0) + 1
        if fault.hang_s:
            await asyncio.sleep(fault.hang_s)
            if request.transport is not None:
                request.transport.close()  # dropped without an answer
            return web.Response(status=500)
        return web.json_response({"error": {"code": "ScriptedFault"}}, status=fault.status, headers=fault.headers)

    async def _send(self, request: web.Request) -> web.StreamResponse:
        return await self._scripted(request) or await self._timed(super()._send(request))

    async def _update(self, request: web.Request) -> web.StreamResponse:
        return await self._scripted(request) or await self._timed(super()._update(request))

    async def _timed(self, handling) -> web.StreamResponse:
        before = len(self.sent)
        response = await handling
        self.arrivals.extend([time.monotonic()] * (len(self.sent) - before))
        return response

    def to(self, conversation_id: str, method: str | None = None) -> list[SentActivity]:
        """What was sent into exactly this conversation (a channel thread is a conversation of its own)."""
        return [s for s in self.sent if s.conversation_id == conversation_id and (method is None or s.method == method)]


# --- Teams, the client ----------------------------------------------------------------------------


@dataclass
class Delivery:
    status: int | None  # None: no answer (connection error or timeout)
    body: object = None


class TeamsClient:
    """Posts an activity and, like Teams, delivers it again (same id) when the bot did not answer
    2xx: an error status, a dropped connection or no answer within `timeout_s`."""

    def __init__(self, http: aiohttp.ClientSession, bot: "BotProcess | Fleet", *, timeout_s: float = 15.0,
                 attempts: int = 6, pause_s: float = 0.5) -> None:
        self.http = http
        self.bot = bot  # read at each delivery: after a kill, Teams' endpoint reaches the new process
        self.timeout_s = timeout_s
        self.attempts = attempts
        self.pause_s = pause_s
        self.deliveries: list[tuple[str, Delivery]] = []

    async def deliver_once(self, activity: dict) -> Delivery:
        try:
            async with self.http.post(self.bot.messages_url, json=activity,
                                      timeout=aiohttp.ClientTimeout(total=self.timeout_s)) as response:
                body = await response.json() if response.content_type == "application/json" else await response.text()
                delivery = Delivery(response.status, body)
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError):
            delivery = Delivery(None)
        self.deliveries.append((activity["id"], delivery))
        return delivery

    async def post(self, activity: dict) -> Delivery:
        """Delivered until the bot answers 2xx (or Teams gives up: the last answer is returned)."""
        delivery = Delivery(None)
        for _ in range(self.attempts):
            delivery = await self.deliver_once(activity)
            if delivery.status is not None and 200 <= delivery.status < 300:
                return delivery
            if delivery.status is not None and 400 <= delivery.status < 500:
                return delivery  # Teams does not retry a 4xx
            await asyncio.sleep(self.pause_s)
        return delivery

    def cut_off(self) -> int:
        """Activities one of whose deliveries got no answer at all (the process died under it)."""
        return len({activity_id for activity_id, delivery in self.deliveries if delivery.status is None})

    def redeliveries(self) -> int:
        seen: set[str] = set()
        again = 0
        for activity_id, _ in self.deliveries:
            if activity_id in seen:
                again += 1
            seen.add(activity_id)
        return again


# --- what the database holds -----------------------------------------------------------------------


@dataclass
class StoredCase:
    reference: str
    status: str
    customer_ref: str | None
    conversation_id: str | None
    created_by: str
    events: list[tuple[int, str, str | None, str]]  # seq, kind, step id, actor id

    def done_steps(self) -> list[str]:
        """Steps done and not undone, in order."""
        done: list[str] = []
        for _, kind, step_id, _ in self.events:
            if kind == "step_done":
                done.append(step_id)
            elif kind == "step_undone" and step_id in done:
                done.remove(step_id)
        return done

    def kinds(self) -> list[str]:
        return [kind for _, kind, _, _ in self.events]


async def read_cases(database_url: str) -> dict[str, StoredCase]:
    from bot.db import create_engine

    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT c.reference, c.status, c.customer_ref, c.conversation_id, c.created_by_id, "
                "e.seq, e.kind, e.step_id, e.actor_id FROM cases c LEFT JOIN case_events e ON e.case_id = c.id "
                "ORDER BY c.reference, e.seq"))).all()
    finally:
        await engine.dispose()
    cases: dict[str, StoredCase] = {}
    for row in rows:
        case = cases.setdefault(row.reference, StoredCase(row.reference, row.status, row.customer_ref,
                                                          row.conversation_id, row.created_by_id, []))
        if row.seq is not None:
            case.events.append((row.seq, row.kind, row.step_id, row.actor_id))
    return cases


async def pending_notices(database_url: str) -> int:
    return sum(notice["status"] == "pending" for notice in await read_notices(database_url))


async def read_notices(database_url: str) -> list[dict]:
    from bot.db import create_engine

    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT id, kind, status, dedupe_key, message_id, case_reference, message FROM notices ORDER BY id"))).all()
    finally:
        await engine.dispose()
    return [dict(row._mapping) for row in rows]


def card_texts(sent: list[SentActivity]) -> list[str]:
    return [json.dumps(card, ensure_ascii=False) for s in sent for card in s.cards]


def told_nothing_saved(sent: list[SentActivity]) -> bool:
    return any(APOLOGY_NOTHING_SAVED in s.text for s in sent)


# --- walking a conversation -----------------------------------------------------------------------


def intake_field(card: dict) -> str | None:
    for action in card.get("actions") or []:
        if action.get("type") == "Action.Submit" and isinstance(action.get("data"), dict):
            return action["data"].get("intake")
    return None


def answer_for(card: dict) -> str:
    """An answer the question card accepts: its last choice ('nej' for yes/no questions)."""
    for element in card.get("body") or []:
        if element.get("type") == "Input.ChoiceSet":
            return element["choices"][-1]["value"]
        if element.get("type") == "Input.Date":
            raise AssertionError("the fault walks use routines without date questions")
    raise AssertionError(f"no answer input on {card}")


def last_card(connector: ScriptedConnector, conversation_id: str) -> tuple[dict | None, str]:
    sent = [s for s in connector.to(conversation_id, "POST") if s.cards]
    if not sent:
        return None, ""
    return sent[-1].cards[0], sent[-1].text
