"""A local fake Bot Connector: the service Teams runs at `serviceUrl`, recording what the bot sends."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class SentActivity:
    method: str
    conversation_id: str
    reply_to: str | None
    body: dict

    @property
    def text(self) -> str:
        return self.body.get("text") or ""

    @property
    def cards(self) -> list[dict]:
        return [a["content"] for a in self.body.get("attachments") or []
                if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]


@dataclass
class FakeConnector:
    """Answers like the Bot Connector; `fail_next` lets a test make it fail on purpose."""

    sent: list[SentActivity] = field(default_factory=list)
    created_conversations: list[dict] = field(default_factory=list)
    failures: list[tuple[int, dict, str]] = field(default_factory=list)
    delay_s: float = 0.0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/")).rstrip("/") + "/"

    def fail_next(self, status: int, headers: dict | None = None, times: int = 1, code: str = "Failure") -> None:
        self.failures.extend([(status, headers or {}, code)] * times)

    def clear(self) -> None:
        self.sent.clear()

    def texts(self) -> list[str]:
        return [s.text for s in self.sent]

    def all_cards(self) -> list[dict]:
        return [card for s in self.sent for card in s.cards]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        return app

    async def start(self) -> "FakeConnector":
        self.server = TestServer(self.app(), host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _maybe_fail(self) -> web.Response | None:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.failures:
            status, headers, code = self.failures.pop(0)
            return web.json_response({"error": {"code": code}}, status=status, headers=headers)
        return None

    async def _send(self, request: web.Request) -> web.Response:
        failure = await self._maybe_fail()
        if failure is not None:
            return failure
        body = json.loads(await request.text())
        self.sent.append(SentActivity("POST", request.match_info["conversation"],
                                      request.match_info.get("reply_to"), body))
        return web.json_response({"id": f"sent-{next(self._ids)}"})

    async def _update(self, request: web.Request) -> web.Response:
        failure = await self._maybe_fail()
        if failure is not None:
            return failure
        body = json.loads(await request.text())
        self.sent.append(SentActivity("PUT", request.match_info["conversation"], request.match_info["activity"], body))
        return web.json_response({"id": request.match_info["activity"]})

    async def _create_conversation(self, request: web.Request) -> web.Response:
        failure = await self._maybe_fail()
        if failure is not None:
            return failure
        body = json.loads(await request.text())
        self.created_conversations.append(body)
        number = next(self._ids)
        return web.json_response({"id": f"created-{number}", "activityId": f"sent-{number}"})
