"""Shared fixtures: a database per test (SQLite, and PostgreSQL where reachable), a fake Bot
Connector, and the real bot behind aiohttp."""

from __future__ import annotations

import pytest

from tests.support import pg
from tests.support.botserver import BotServer, bot_settings
from tests.support.connector import FakeConnector

pytest_plugins = ["tests.support.case_fixtures", "tests.support.notice_fixtures"]

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
async def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/larmlotsen.db"
        return
    if not await pg.reachable():
        pytest.skip(pg.SKIP_REASON)
    async with pg.temporary_database() as url:
        yield url


@pytest.fixture
async def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/larmlotsen.db"


@pytest.fixture
async def connector():
    fake = await FakeConnector().start()
    yield fake
    await fake.close()


@pytest.fixture
async def bot(database_url, connector):
    server = await BotServer(bot_settings(database_url), connector).start()
    yield server
    await server.stop()


@pytest.fixture
async def sqlite_bot(sqlite_url, connector):
    server = await BotServer(bot_settings(sqlite_url), connector).start()
    yield server
    await server.stop()
