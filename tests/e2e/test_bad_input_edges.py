"""Edges of bad input that used to end in a 5xx: a JSON body nested tens of thousands deep, a
card action whose verb is not a string, an Authorization header or export link with non-ASCII or
malformed contents. Each gets a 4xx and changes nothing; the bot goes on answering."""

from __future__ import annotations

import asyncio

import pytest

from tests.support import teams
from tests.support.botserver import BotServer, bot_settings

JSON = {"Content-Type": "application/json"}
CREDENTIALS = dict(app_id="11111111-2222-3333-4444-555555555555", app_password="secret", app_type="MultiTenant")


async def _raw_request(server: BotServer, method: str, path: str, headers: list[tuple[bytes, bytes]],
                       body: bytes = b"") -> int:
    """HTTP/1.1 over a plain socket: header bytes exactly as given (a client library would refuse them)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.server.port)
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: 127.0.0.1", f"Content-Length: {len(body)}".encode(),
             b"Connection: close"] + [name + b": " + value for name, value in headers]
    writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


@pytest.mark.parametrize("depth", [60_000, 5_000, 200])
async def test_deeply_nested_json_gets_400(sqlite_bot, connector, depth):
    activity = teams.message(teams.personal(), sqlite_bot.service_url, "hjälp")
    nested = "[" * depth + "]" * depth
    body = teams_json(activity).replace('"hjälp"', '"hjälp", "value": ' + nested)
    reply = await sqlite_bot.post_raw(body.encode(), JSON)
    assert reply.status == 400, reply
    assert connector.sent == []
    assert (await sqlite_bot.post(activity)).status == 200, "and the bot goes on"


def teams_json(activity: dict) -> str:
    import json

    return json.dumps(activity, ensure_ascii=False)


@pytest.mark.parametrize("verb", [["completeStep"], {"v": 1}, 7, None, True])
async def test_a_card_action_with_a_verb_that_is_not_a_string_gets_400(sqlite_bot, connector, verb):
    chat = teams.personal()
    invoke = teams.card_execute(chat, sqlite_bot.service_url, "completeStep", {"caseId": "TL-2026-0001"})
    invoke["value"]["action"]["verb"] = verb
    reply = await sqlite_bot.post(invoke)
    assert reply.status == 400, reply
    assert connector.sent == []


@pytest.mark.parametrize("value", ["nej", ["a"], {"action": "x"}, {"action": {"verb": "x", "data": "y"}}])
async def test_a_card_action_of_the_wrong_shape_gets_400(sqlite_bot, connector, value):
    invoke = teams.card_execute(teams.personal(), sqlite_bot.service_url, "completeStep", {})
    invoke["value"] = value
    assert (await sqlite_bot.post(invoke)).status == 400


AUTHORIZATIONS = [
    "Bearer ärende".encode("utf-8"),
    "Bearer ärende".encode("latin-1"),
    b"Bearer \xff\xfe\xfd",
    b"Bearer a.b",
    b"Bearer " + b"e" * 5000,
    b"Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.",
    b"Bearer",
    b"\xc3\xa4\xc3\xa4",
]


@pytest.mark.parametrize("authorization", AUTHORIZATIONS)
async def test_a_malformed_or_non_ascii_authorization_gets_a_4xx(sqlite_url, connector, authorization):
    server = await BotServer(bot_settings(sqlite_url, **CREDENTIALS), connector).start()
    try:
        body = teams_json(teams.message(teams.personal(), server.service_url, "hjälp")).encode()
        status = await _raw_request(server, "POST", "/api/messages",
                                    [(b"Content-Type", b"application/json"), (b"Authorization", authorization)], body)
        assert 400 <= status < 500 and status != 404, status
    finally:
        await server.stop()
    assert connector.sent == []


@pytest.mark.parametrize("token", ["%C3%A4rende.%C3%A4", "abc.%C3%A4%C3%A4", "abc", ".", "a" * 3000 + ".b",
                                   "eyJ9.x", "%00.%00"])
async def test_a_malformed_or_non_ascii_export_link_gets_403(sqlite_bot, token):
    status = await _raw_request(sqlite_bot, "GET", f"/export/{token}", [])
    assert status == 403, (token, status)
