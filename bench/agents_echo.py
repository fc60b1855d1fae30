"""The second baseline: the Microsoft 365 Agents SDK's echo agent, wired as the SDK's samples wire it.

`AgentApplication[TurnState]` on the SDK's aiohttp `CloudAdapter`, `MemoryStorage`, a counter in
conversation state, the SDK's JWT middleware in front of /api/messages, and anonymous access (no
credentials: local development, like the stock botbuilder echo bot beside it). No SDK default is
changed. It runs in its own virtual environment (see agents_sdk.py), never in the project's.

    bench/results/agents-sdk-venv/bin/python bench/agents_echo.py --port 3979
"""

from __future__ import annotations

import argparse

from aiohttp import web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware, start_agent_process
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState

# What a sample's .env gives through load_configuration_from_env, for a local anonymous agent.
CONFIGURATION = {"CONNECTIONS": {"SERVICE_CONNECTION": {"SETTINGS": {"ANONYMOUS_ALLOWED": True}}}}


def create_app() -> web.Application:
    storage = MemoryStorage()
    connection_manager = MsalConnectionManager(**CONFIGURATION)
    adapter = CloudAdapter(connection_manager=connection_manager)
    agent = AgentApplication[TurnState](storage=storage, adapter=adapter, connection_manager=connection_manager,
                                        **CONFIGURATION)

    @agent.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        count = state.conversation.get_value("count", lambda: 0) + 1
        state.conversation.set_value("count", count)
        await context.send_activity(f"Echo: {context.activity.text}")

    async def messages(request: web.Request) -> web.Response:
        return await start_agent_process(request, agent, adapter)

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_post("/api/messages", messages)
    app["agent_configuration"] = connection_manager.get_default_connection_configuration()
    app["agent_app"] = agent
    app["adapter"] = adapter
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="the Agents SDK's echo agent (benchmark baseline)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3979)
    args = parser.parse_args()
    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
