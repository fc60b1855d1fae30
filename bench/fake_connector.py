"""A lean fake Bot Connector that runs inside the load generator.

It answers what the bot sends to `serviceUrl` the way the Bot Connector does, and keeps the last
few activities per conversation so a walking conversation can read its question cards and the
started case's reference. `delay_s` makes it answer like a real network hop to Teams.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict, deque

from aiohttp import web

CARD_TYPE = "application/vnd.microsoft.card.adaptive"


class BenchConnector:
    def __init__(self, delay_s: float = 0.0, keep_per_conversation: int = 4) -> None:
        self.delay_s = delay_s
        self.received = 0
        self._inbox: dict[str, deque] = defaultdict(lambda: deque(maxlen=keep_per_conversation))
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    def last(self, conversation_id: str) -> dict | None:
        inbox = self._inbox.get(conversation_id)
        return inbox[-1] if inbox else None

    def forget(self, conversation_id: str) -> None:
        self._inbox.pop(conversation_id, None)

    async def start(self, host: str = "127.0.0.1") -> "BenchConnector":
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://{host}:{port}/"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _send(self, request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        self.received += 1
        self._inbox[request.match_info["conversation"]].append(body)
        return web.json_response({"id": f"sent-{next(self._ids)}"})


def cards_of(activity: dict | None) -> list[dict]:
    if not activity:
        return []
    return [a["content"] for a in activity.get("attachments") or [] if a.get("contentType") == CARD_TYPE]
