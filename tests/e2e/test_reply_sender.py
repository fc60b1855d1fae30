"""Replies cannot hang a conversation: a turn's replies go out on the event loop within a bounded
time (REPLY_TIMEOUT_SECONDS), a 429's Retry-After is honoured within it, and a connector that
does not answer makes the turn answer Teams 503 (the reply is kept and sent on redelivery) while
the conversation stays free for the next activity."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.teams.connector_http import ConnectorHttp, ConnectorTimeout, reply_budget
from botbuilder.schema import Activity, ConversationAccount

from tests.support import teams
from tests.support.botserver import BotServer, bot_settings
from tests.support.connector import FakeConnector

from .test_conversation import say

BOUND_S = 1  # REPLY_TIMEOUT_SECONDS in these tests: short, so a hang costs the suite little


@dataclass
class HangingConnector(FakeConnector):
    """FakeConnector that can hold the next requests unanswered until `release()`, and notes when
    and with which Authorization header each request came."""

    hang_next: int = 0
    hung: int = 0  # requests held
    answered_late: int = 0  # held requests answered after release()
    released: asyncio.Event = field(default_factory=asyncio.Event)
    requests: list[tuple[float, str | None]] = field(default_factory=list)

    def release(self) -> None:
        self.released.set()

    async def _send(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((time.monotonic(), request.headers.get("Authorization")))
        if self.hang_next:
            self.hang_next -= 1
            self.hung += 1
            await self.released.wait()  # (cancelled when the bot gives up and drops the connection)
            self.answered_late += 1
            return web.json_response({"error": {"code": "TooLate"}}, status=504)
        return await super()._send(request)


@pytest.fixture
async def slow_connector():
    fake = await HangingConnector().start()
    yield fake
    fake.release()
    await fake.close()


@pytest.fixture
async def bounded_bot(database_url, slow_connector):
    server = await BotServer(bot_settings(database_url, reply_timeout_seconds=BOUND_S), slow_connector).start()
    yield server
    await server.stop()


async def test_a_hanging_connector_gets_503_within_the_bound_and_the_reply_on_redelivery(bounded_bot, slow_connector):
    chat = teams.personal()
    activity = teams.message(chat, bounded_bot.service_url, "flytt")
    slow_connector.hang_next = 1
    first = await bounded_bot.post(activity)
    assert first.status == 503 and first.body == {"error": "reply not delivered, please deliver again"}
    assert slow_connector.hung == 1 and slow_connector.answered_late == 0, \
        "Teams was answered while the connector still held the reply"
    assert slow_connector.sent == []
    again = await bounded_bot.post(activity)  # Teams delivers the same activity again
    assert again.status == 200
    assert len(slow_connector.sent) == 1 and slow_connector.sent[0].cards, "the kept reply, once"
    assert not any("ingenting sparades" in text for text in slow_connector.texts())


async def test_the_conversation_is_free_again_while_the_connector_still_hangs(bounded_bot, slow_connector):
    chat = teams.personal()
    slow_connector.hang_next = 1
    assert (await say(bounded_bot, chat, "flytt")).status == 503
    assert slow_connector.hung == 1
    # The next message of the same conversation is not kept waiting behind the hung reply: it runs,
    # and brings the reply that did not arrive first.
    assert (await say(bounded_bot, chat, "avbryt")).status == 200
    assert slow_connector.answered_late == 0, "answered before the first request ever got an answer"
    texts = slow_connector.texts()
    assert texts[0].startswith("Mitt förra svar till dig kom inte fram")
    assert slow_connector.sent[1].cards, "the intake question that did not arrive"
    assert "avbrutit" in texts[-1]


async def test_429_retry_after_is_honoured_within_the_turn(bounded_bot, slow_connector):
    slow_connector.fail_next(429, {"Retry-After": "0.6"})
    reply = await say(bounded_bot, teams.personal(), "flytt")
    assert reply.status == 200, "one Retry-After within the bound costs no redelivery"
    assert len(slow_connector.sent) == 1
    (throttled, _), (retried, _) = slow_connector.requests
    assert retried - throttled >= 0.6, "tried again only after the time the connector asked for"


async def test_a_retry_after_beyond_the_bound_is_left_to_teams(bounded_bot, slow_connector):
    chat = teams.personal()
    activity = teams.message(chat, bounded_bot.service_url, "flytt")
    slow_connector.fail_next(429, {"Retry-After": "60"})
    assert (await bounded_bot.post(activity)).status == 503
    assert len(slow_connector.requests) == 1, "no second try within the turn"
    assert (await bounded_bot.post(activity)).status == 200
    assert len(slow_connector.sent) == 1


async def test_a_few_503s_are_absorbed_within_the_turn(bounded_bot, slow_connector):
    slow_connector.fail_next(503, times=2)
    reply = await say(bounded_bot, teams.personal(), "flytt")
    assert reply.status == 200
    assert len(slow_connector.requests) == 3 and len(slow_connector.sent) == 1


# --- the sender on its own ---------------------------------------------------------------------------


class _Credentials:
    """What the sender reads of the SDK's MicrosoftAppCredentials."""

    def __init__(self, app_id: str) -> None:
        self.microsoft_app_id = app_id
        self.oauth_scope = "https://api.botframework.com"
        self.fetches = 0

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.fetches += 1
        return f"token-{self.fetches}"


def _activity(connector: FakeConnector) -> Activity:
    return Activity(type="message", text="hej", service_url=connector.url,
                    conversation=ConversationAccount(id="a:1;messageid=7"))


async def test_the_bearer_token_comes_from_the_credentials_and_is_cached(slow_connector):
    sender = ConnectorHttp(timeout_s=5)
    credentials = _Credentials("app-id")
    try:
        for _ in range(3):
            await sender.send(_activity(slow_connector), credentials)
        await sender.send(_activity(slow_connector), _Credentials(""))
        await sender.send(_activity(slow_connector), None)
    finally:
        await sender.close()
    assert [auth for _, auth in slow_connector.requests] == ["Bearer token-1"] * 3 + [None, None]
    assert credentials.fetches == 1
    assert {s.conversation_id for s in slow_connector.sent} == {"a:1;messageid=7"}, "the id is sent intact"


async def test_a_send_outside_a_turn_is_one_attempt_bounded_in_time(slow_connector):
    sender = ConnectorHttp(timeout_s=0.3)
    slow_connector.fail_next(503)
    try:
        with pytest.raises(Exception) as failed:
            await sender.send(_activity(slow_connector), None)
        assert getattr(failed.value, "status", None) == 503 and len(slow_connector.requests) == 1
        slow_connector.hang_next = 1
        with pytest.raises(ConnectorTimeout):
            with reply_budget(0.3):
                await sender.send(_activity(slow_connector), None)
        assert slow_connector.hung == 1 and slow_connector.answered_late == 0
    finally:
        slow_connector.release()
        await sender.close()
