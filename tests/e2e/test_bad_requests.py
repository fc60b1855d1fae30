"""Malformed or hostile requests get a 4xx, never a 500, and change nothing."""

from __future__ import annotations

import json

import pytest

from cards.wording import HELP_TITLE
from tests.support import teams
from tests.support.botserver import BotServer, bot_settings

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "data, headers",
    [
        (b"{not json", JSON),
        (b"", JSON),
        (b"[1, 2, 3]", JSON),
        (b'{"type": "message"}', JSON),  # no serviceUrl, no conversation
        (json.dumps({"type": 5}).encode(), JSON),
        ('{"type":"message","text":"x"}'.encode(), {"Content-Type": "text/plain"}),
        (b'{"type":"message"}', {}),
        (b"\xff\xfe\x00", JSON),
    ],
)
async def test_malformed_requests_get_400(sqlite_bot, connector, data, headers):
    reply = await sqlite_bot.post_raw(data, headers)
    assert reply.status == 400
    assert connector.sent == []


async def test_wrong_field_types_get_400(sqlite_bot, connector):
    activity = teams.message(teams.personal(), sqlite_bot.service_url, "hjälp")
    for field, bad in (("text", 12), ("from", "anna"), ("entities", {"a": 1}), ("conversation", "c")):
        broken = dict(activity, **{field: bad}, id=f"bad-{field}")
        reply = await sqlite_bot.post(broken)
        assert reply.status == 400, field
    assert connector.sent == []


async def test_body_over_the_limit_gets_413(sqlite_bot, connector):
    activity = teams.message(teams.personal(), sqlite_bot.service_url, "x" * (300 * 1024))
    reply = await sqlite_bot.post(activity)
    assert reply.status == 413
    assert connector.sent == []


async def test_with_credentials_an_unauthenticated_request_gets_401(sqlite_url, connector):
    settings = bot_settings(sqlite_url, app_id="11111111-2222-3333-4444-555555555555",
                            app_password="secret", app_tenant_id="72f988bf-0000-4000-8000-000000000001")
    server = await BotServer(settings, connector).start()
    try:
        activity = teams.message(teams.personal(), server.service_url, "hjälp")
        assert (await server.post(activity)).status == 401
        forged = {"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"}
        assert (await server.post(dict(activity, id="forged"), headers=forged)).status == 401
        assert (await server.post(dict(activity, id="basic"), headers={"Authorization": "Basic abc"})).status == 401
    finally:
        await server.stop()
    assert connector.sent == []


async def test_tenant_not_on_the_allowlist_is_refused_politely(sqlite_url, connector):
    settings = bot_settings(sqlite_url, tenant_allowlist=("aaaaaaaa-0000-4000-8000-000000000000",))
    server = await BotServer(settings, connector).start()
    try:
        chat = teams.personal()
        reply = await server.post(teams.message(chat, server.service_url, "hjälp"))
        assert reply.status == 200
        assert connector.texts() == ["Larmlotsen är inte öppen för din organisation. "
                                     "Kontakta er IT-avdelning om du behöver tillgång."]
        assert await server.runtime.storage.read([f"msteams/conversations/{chat.id}"]) == {}
    finally:
        await server.stop()


async def test_tenant_on_the_allowlist_gets_in(sqlite_url, connector):
    settings = bot_settings(sqlite_url, tenant_allowlist=(teams.TENANT_ID.upper(),))
    server = await BotServer(settings, connector).start()
    try:
        await server.post(teams.message(teams.personal(), server.service_url, "hjälp"))
        assert connector.sent[0].cards[0]["body"][0]["text"] == HELP_TITLE  # the help card, not a refusal
    finally:
        await server.stop()


async def test_messages_before_ready_get_503(sqlite_url, connector, monkeypatch):
    import bot.app

    async def never_ready(runtime):
        return None

    monkeypatch.setattr(bot.app, "_get_ready", never_ready)
    server = BotServer(bot_settings(sqlite_url), connector)
    with pytest.raises(TimeoutError):
        server_started = server.start()
        import asyncio
        await asyncio.wait_for(server_started, 1.0)
    await server.stop()
