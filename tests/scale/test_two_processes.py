"""Two `python -m bot` processes on one PostgreSQL database, behind no sticky sessions: the
activities of the same conversations alternate between them, a redelivered activity reaches the
other process, a double click lands on both at once — and every routine still ends with each step
done exactly once, in order, and with consistent dialog state."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter

import aiohttp
import asyncpg
import pytest

from tests.support import pg, teams
from tests.support.bot_process import BotProcess, larmlotsen
from tests.support.cards import execute_actions
from tests.support.connector import FakeConnector

CONVERSATIONS = 6
ANSWERS = {"priority": "ja", "declines_keys_and_keyless": "nej"}
_REFERENCE = re.compile(r"TL-\d{4}-\d{4,6}")
CARD = "application/vnd.microsoft.card.adaptive"



class Walker:
    """Posts each activity of a conversation to the next process in turn (no sticky sessions)."""

    def __init__(self, http: aiohttp.ClientSession, bots: list[BotProcess], connector: FakeConnector,
                 turns: Counter) -> None:
        self.http = http
        self.bots = bots
        self.connector = connector
        self.turns = turns  # activities posted to each process, by name (shared by every walker)
        self._next = 0

    def _pick(self) -> BotProcess:
        bot = self.bots[self._next % len(self.bots)]
        self._next += 1
        return bot

    async def post(self, activity: dict, bot: BotProcess | None = None):
        bot = bot or self._pick()
        self.turns[bot.name] += 1
        async with self.http.post(bot.messages_url, json=activity) as response:
            body = await response.json() if response.content_type == "application/json" else await response.text()
            assert response.status == 200, (bot.name, response.status, body, bot.log_tail())
            return body

    async def post_to_both(self, activity: dict) -> list:
        """The same activity at both processes at once: a redelivery, or a double click."""
        return await asyncio.gather(*(self.post(activity, bot) for bot in self.bots))

    def last_card(self, chat: teams.Conversation) -> tuple[dict, str]:
        sent = [s for s in self.connector.sent if s.conversation_id == chat.id and s.cards]
        assert sent, f"no card sent to {chat.id}"
        return sent[-1].cards[0], sent[-1].text


def _intake_field(card: dict) -> str | None:
    for action in card.get("actions") or []:
        if action.get("type") == "Action.Submit" and isinstance(action.get("data"), dict):
            return action["data"].get("intake")
    return None


def _first_action(card: dict, verb: str) -> dict | None:
    found = execute_actions(card, verb)
    return found[0] if found else None


async def walk_new_order(walker: Walker, number: int) -> dict:
    """`ny beställning` to the closed case; returns what was clicked, for the checks."""
    user = teams.User(id=f"29:scale-{number}", name=f"Scale User {number}",
                      aad_object_id=f"00000000-0000-4000-8000-{number:012d}")
    chat = teams.personal(user)
    url = walker.connector.url
    await walker.post(teams.message(chat, url, "ny beställning", user))
    card, _ = walker.last_card(chat)
    redelivered = False
    while (fact := _intake_field(card)) != "customerRef":
        answer = teams.card_submit(chat, url, {"intake": fact, "answer": ANSWERS[fact]}, user)
        if not redelivered:  # Teams redelivers this answer, and it reaches the other process too
            await walker.post_to_both(answer)
            redelivered = True
        else:
            await walker.post(answer)
        card, _ = walker.last_card(chat)
    await walker.post(teams.card_submit(chat, url, {"intake": "customerRef", "skip": True}, user))
    card, text = walker.last_card(chat)
    reference = _REFERENCE.search(text).group(0)
    clicked: list[str] = []
    double_clicked = False
    while (action := _first_action(card, "completeStep")) is not None:
        if not double_clicked:  # two invokes of one click, one per process, at the same moment
            bodies = await walker.post_to_both(teams.card_execute(chat, url, "completeStep", action["data"], user))
            double_clicked = True
        else:
            bodies = [await walker.post(teams.card_execute(chat, url, "completeStep", action["data"], user))]
        assert all(body["type"] == CARD for body in bodies), bodies
        clicked.append(action["data"]["stepId"])
        card = bodies[-1]["value"]
    close = _first_action(card, "closeCase")
    assert close is not None, "every step done: the card offers to close the case"
    body = await walker.post(teams.card_execute(chat, url, "closeCase", close["data"], user))
    assert "Avslutat" in json.dumps(body["value"], ensure_ascii=False)
    return {"chat": chat, "user": user, "reference": reference, "clicked": clicked}


async def _case_events(conn: asyncpg.Connection, reference: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT e.seq, e.kind, e.step_id FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE c.reference = $1 ORDER BY e.seq", reference)


async def _state_document(conn: asyncpg.Connection, chat: teams.Conversation) -> dict:
    document = await conn.fetchval("SELECT document FROM bot_state WHERE key = $1",
                                   f"msteams/conversations/{chat.id}")
    return json.loads(document)


@pytest.fixture
async def database():
    if not await pg.reachable():
        pytest.skip(pg.SKIP_REASON + " (two bot processes need a shared PostgreSQL database)")
    async with pg.temporary_database() as url:
        yield url


async def test_two_processes_share_conversations_without_lost_or_duplicated_steps(database, tmp_path):
    connector = await FakeConnector().start()
    bots = [larmlotsen(database, tmp_path / f"{name}.log", name=name, DB_POOL_SIZE=5) for name in ("bot-a", "bot-b")]
    for bot in bots:
        bot.start()  # both at once: they migrate together
    turns = Counter()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            for bot in bots:
                await bot.wait_ready(http)
            walks = await asyncio.gather(*(walk_new_order(Walker(http, bots, connector, turns), n)
                                           for n in range(CONVERSATIONS)))
        assert all(turns[bot.name] > CONVERSATIONS * 5 for bot in bots), turns
        await _add_routine_steps(database, walks)
        conn = await asyncpg.connect(database)
        try:
            for walk in walks:
                replies = [s for s in connector.sent if s.conversation_id == walk["chat"].id]
                assert len(replies) == 4, "4 messages, each answered once: the redelivered one was not run again"
                await _check_case(conn, walk)
                await _check_dialog_state(conn, walk)
            references = await conn.fetchval("SELECT count(DISTINCT reference) FROM cases")
            assert references == CONVERSATIONS
        finally:
            await conn.close()
    finally:
        for bot in bots:
            bot.stop()
        await connector.close()


async def _add_routine_steps(database: str, walks: list[dict]) -> None:
    """The steps each case has for its facts, as the bot's own case service sees them."""
    from bot.cases.service import CaseService
    from bot.db import create_engine, session_factory

    engine = create_engine(database, pool_size=1)
    try:
        cases = CaseService(session_factory(engine))
        for walk in walks:
            case = await cases.get_by_reference(walk["reference"])
            assert case.status.value == "closed"
            walk["steps"] = [step.id for step in case.steps]
    finally:
        await engine.dispose()


async def _check_case(conn: asyncpg.Connection, walk: dict) -> None:
    events = await _case_events(conn, walk["reference"])
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1)), "no gap, no duplicate seq"
    done = [event["step_id"] for event in events if event["kind"] == "step_done"]
    assert done == walk["clicked"], "each step done exactly once, in the order clicked"
    assert len(set(done)) == len(done) == len(walk["steps"]), "every step of the routine, none twice"
    assert events[0]["kind"] == "opened" and events[-1]["kind"] == "closed"
    assert len(events) == len(done) + 2, [tuple(event) for event in events]


async def _check_dialog_state(conn: asyncpg.Connection, walk: dict) -> None:
    state = await _state_document(conn, walk["chat"])
    assert state["DialogState"]["_dialog_stack"] == [], "the intake ended on both processes' view"
    assert state["CaseFocus"] == {walk["user"].aad_object_id: walk["reference"]}
