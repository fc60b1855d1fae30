"""The real aiohttp app on a real socket, talked to over HTTP the way Teams does."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import APP_KEY, create_app
from bot.config import Settings, load_settings
from bot.domain.clock import Clock, system_clock

from .connector import FakeConnector


@dataclass
class Reply:
    status: int
    body: object


class BotServer:
    def __init__(self, settings: Settings, connector: FakeConnector, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.connector = connector
        self.clock = clock
        self.server: TestServer | None = None
        self.http: aiohttp.ClientSession | None = None

    @property
    def service_url(self) -> str:
        return self.connector.url

    @property
    def runtime(self):
        return self.server.app[APP_KEY]

    async def start(self) -> "BotServer":
        self.server = TestServer(create_app(self.settings, self.clock), host="127.0.0.1")
        await self.server.start_server()
        self.http = aiohttp.ClientSession()
        await self.wait_ready()
        return self

    async def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            async with self.http.get(self.url("/healthz")) as response:
                if response.status == 200:
                    return
            await asyncio.sleep(0.05)
        raise TimeoutError("the bot did not get ready")

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def post(self, activity: dict, headers: dict | None = None) -> Reply:
        async with self.http.post(self.url("/api/messages"), json=activity, headers=headers) as response:
            body = await response.json() if response.content_type == "application/json" else await response.text()
            return Reply(response.status, body)

    async def post_raw(self, data: bytes, headers: dict) -> Reply:
        async with self.http.post(self.url("/api/messages"), data=data, headers=headers) as response:
            return Reply(response.status, await response.text())

    async def stop(self) -> None:
        if self.http is not None:
            await self.http.close()
        if self.server is not None:
            await self.server.close()

    async def restart(self) -> "BotServer":
        await self.stop()
        return await self.start()


# With credentials the bot fetches the token signing keys; tests never reach out beyond this machine.
NO_SIGNING_KEYS_HERE = "http://127.0.0.1:9/.well-known/openidconfiguration"


def bot_settings(database_url: str, **overrides) -> Settings:
    overrides.setdefault("openid_metadata_url", NO_SIGNING_KEYS_HERE)
    return load_settings({}, database_url=database_url, **overrides)
