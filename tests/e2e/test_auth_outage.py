"""Authentication that fails safe and stays responsive: with credentials set, the token signing
keys are fetched off the request path. When they cannot be had (an endpoint that accepts and
never answers, one that refuses, a name that does not resolve), /healthz answers and reports it,
and /api/messages answers 503 with Retry-After (Teams delivers again) — never 401, which Teams
would not retry. With the keys, a genuine token gets in and a forged one does not."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import aiohttp
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import MicrosoftAppCredentials
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.teams import openid
from bot.teams.openid import SigningKeys, SigningKeysUnavailable

from tests.support import teams
from tests.support.botserver import BotServer, bot_settings
from tests.support.ports import free_port

APP_ID = "11111111-2222-3333-4444-555555555555"
CREDENTIALS = dict(app_id=APP_ID, app_password="secret", app_type="MultiTenant")


def _key(kid: str):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    public.update(kid=kid, use="sig", endorsements=["msteams"])
    return private, public


def _token(private, kid: str, service_url: str) -> str:
    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": service_url,
              "nbf": now - 60, "exp": now + 3600}
    return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


class KeyServer:
    """An OpenID metadata document and its key set, served locally."""

    def __init__(self, public_keys: list[dict]) -> None:
        self.public_keys = public_keys
        self.server: TestServer | None = None

    @property
    def metadata_url(self) -> str:
        return str(self.server.make_url("/.well-known/openidconfiguration"))

    async def start(self) -> "KeyServer":
        async def metadata(request):
            return web.json_response({"issuer": "https://api.botframework.com",
                                      "jwks_uri": str(self.server.make_url("/keys"))})

        async def keys(request):
            return web.json_response({"keys": self.public_keys})

        app = web.Application()
        app.router.add_get("/.well-known/openidconfiguration", metadata)
        app.router.add_get("/keys", keys)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self


class SilentServer:
    """Accepts connections and never answers."""

    def __init__(self) -> None:
        self.accepted = 0
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self) -> "SilentServer":
        async def hold(reader, writer):
            self.accepted += 1
            await asyncio.sleep(3600)

        self.server = await asyncio.start_server(hold, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        self.server.close()


@pytest.fixture(autouse=True)
def short_fetch(monkeypatch):
    monkeypatch.setattr(openid, "FETCH_TIMEOUT_S", 2.0)
    monkeypatch.setattr(openid, "FIRST_FETCH_WAIT_S", 0.5)


@pytest.fixture(autouse=True)
def no_real_token_endpoint(monkeypatch):
    # The bot's own token for its replies would come from Entra ID: not reachable from a test.
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "bot-token")


async def _healthz(server: BotServer) -> tuple[int, dict]:
    async with server.http.get(server.url("/healthz"), timeout=aiohttp.ClientTimeout(total=5)) as response:
        return response.status, await response.json()


async def _outage_is_a_503(server: BotServer, connector, caplog) -> None:
    private, _ = _key("k1")
    activity = teams.message(teams.personal(), server.service_url, "hjälp")
    headers = {"Authorization": f"Bearer {_token(private, 'k1', server.service_url)}"}
    for attempt in range(3):  # Teams' deliveries: each answered, none a 401
        reply = await server.post(dict(activity), headers=headers)
        assert reply.status == 503, reply
        assert reply.body == {"error": "authentication temporarily unavailable"}
    async with server.http.post(server.url("/api/messages"), json=activity, headers=headers) as response:
        assert response.headers["Retry-After"] == str(openid.RETRY_AFTER_S)
    assert connector.sent == []
    assert "unauthorised" not in caplog.text
    assert "authentication outage" in caplog.text


async def test_a_metadata_endpoint_that_never_answers_leaves_the_bot_responsive(sqlite_url, connector, caplog):
    silent = await SilentServer().start()
    url = f"http://127.0.0.1:{silent.port}/.well-known/openidconfiguration"
    server = await BotServer(bot_settings(sqlite_url, openid_metadata_url=url, **CREDENTIALS), connector).start()
    try:
        status, body = await _healthz(server)  # answered while the fetch hangs
        assert silent.accepted >= 1 and body["authentication"]["state"] in ("not fetched yet", "unavailable")
        await _outage_is_a_503(server, connector, caplog)
        for _ in range(40):
            status, body = await _healthz(server)
            if body["authentication"]["state"] == "unavailable":
                break
            await asyncio.sleep(0.1)
        assert status == 200 and body["status"] == "degraded", "reported, the instance stays in service"
        assert body["authentication"] == {"state": "unavailable", "last_error": "no answer in time"}
    finally:
        await server.stop()
        await silent.close()


async def test_a_refusing_metadata_endpoint_is_an_outage_not_a_401(sqlite_url, connector, caplog):
    url = f"http://127.0.0.1:{free_port()}/.well-known/openidconfiguration"
    server = await BotServer(bot_settings(sqlite_url, openid_metadata_url=url, **CREDENTIALS), connector).start()
    try:
        await _outage_is_a_503(server, connector, caplog)
        status, body = await _healthz(server)
        assert body["status"] == "degraded" and body["authentication"]["state"] == "unavailable"
        assert body["authentication"]["last_error"].startswith("cannot connect")
        assert "AUTHENTICATION OUTAGE" in caplog.text
    finally:
        await server.stop()


class _NoDns(aiohttp.abc.AbstractResolver):
    async def resolve(self, host, port=0, family=socket.AF_INET):
        raise OSError(socket.EAI_NONAME, f"{host} does not resolve")

    async def close(self):
        pass


async def test_a_name_that_does_not_resolve_is_an_outage():
    keys = SigningKeys("https://login.example/openid", "http://keys.example/openid",
                       connector_factory=lambda: aiohttp.TCPConnector(resolver=_NoDns()))
    with pytest.raises(SigningKeysUnavailable) as outage:
        await keys.get("k1")
    assert outage.value.cause.startswith("cannot connect")
    assert keys.health()["state"] == "unavailable"


async def test_with_the_keys_a_genuine_token_gets_in_and_a_forged_one_does_not(sqlite_url, connector):
    private, public = _key("k1")
    stranger, _ = _key("k2")
    key_server = await KeyServer([public]).start()
    settings = bot_settings(sqlite_url, openid_metadata_url=key_server.metadata_url, **CREDENTIALS)
    server = await BotServer(settings, connector).start()
    try:
        activity = teams.message(teams.personal(), server.service_url, "hjälp")
        genuine = {"Authorization": f"Bearer {_token(private, 'k1', server.service_url)}"}
        assert (await server.post(activity, headers=genuine)).status == 200
        assert len(connector.sent) == 1, "the turn ran and answered"
        forged = {"Authorization": f"Bearer {_token(stranger, 'k1', server.service_url)}"}
        assert (await server.post(dict(activity, id="forged"), headers=forged)).status == 401
        unknown = {"Authorization": f"Bearer {_token(stranger, 'k2', server.service_url)}"}
        assert (await server.post(dict(activity, id="unknown-key"), headers=unknown)).status == 401
        status, body = await _healthz(server)
        assert status == 200 and body["authentication"]["state"] == "ok"
    finally:
        await server.stop()
        await key_server.server.close()
