"""The baseline: botbuilder's stock echo bot, as the official Python sample wires it.

CloudAdapter with the default ConfigurationBotFrameworkAuthentication, ConversationState on
MemoryStorage (a turn counter, so the SDK's state change detection runs as in a stateful bot),
`adapter.process()` as the aiohttp handler, and no change to any SDK default: no client cache,
no retry-policy fix, asyncio's default thread pool for sending replies.

    python bench/echo_bot.py --port 3979
"""

from __future__ import annotations

import argparse

from aiohttp import web
from botbuilder.core import ActivityHandler, ConversationState, MemoryStorage, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class DefaultConfig:
    """What the sample's config.py holds: no credentials (local development)."""

    PORT = 3979
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):
    def __init__(self, conversation_state: ConversationState) -> None:
        self._conversation_state = conversation_state
        self._turns = conversation_state.create_property("Turns")

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        await self._conversation_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turns = await self._turns.get(turn_context, lambda: {"count": 0})
        turns["count"] += 1
        await self._turns.set(turn_context, turns)
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


def create_app() -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(DefaultConfig()))
    bot = EchoBot(ConversationState(MemoryStorage()))

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="botbuilder's stock echo bot (benchmark baseline)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DefaultConfig.PORT)
    args = parser.parse_args()
    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
