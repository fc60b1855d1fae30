"""Admin actions only where they belong, by identities Teams vouches for; unsafe settings refused."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigurationError, load_settings
from tests.support import teams
from tests.support.botserver import BotServer, bot_settings

ADMIN = teams.ANNA
PERSONAL_ONLY = "fungerar bara i en personlig chatt"


async def say(server, chat, words, user=ADMIN):
    return await server.post(teams.message(chat, server.service_url, words, user))


@pytest.fixture
async def admin_bot(database_url, connector):
    server = await BotServer(bot_settings(database_url, admin_ids=(ADMIN.aad_object_id,)), connector).start()
    yield server
    await server.stop()


def _links(connector) -> list[str]:
    return [action["url"] for card in connector.all_cards() for action in card.get("actions", [])
            if action.get("type") == "Action.OpenUrl" and "/export/" in action.get("url", "")]


def _local(server, url: str) -> str:
    return server.url(url[url.index("/export/"):])


async def test_export_and_purge_in_a_channel_post_no_link(admin_bot, connector):
    room = teams.channel()
    for words in ("export", "export 2026-01-01 2026-03-31", "gallra"):
        await say(admin_bot, room, words)
        assert PERSONAL_ONLY in connector.texts()[-1]
    group = teams.Conversation(id="19:group-chat@thread.v2", kind="groupChat")
    await say(admin_bot, group, "export")
    assert PERSONAL_ONLY in connector.texts()[-1]
    assert _links(connector) == []
    assert "/export/" not in str([sent.body for sent in connector.sent])


async def test_a_download_link_works_once(admin_bot, connector):
    await say(admin_bot, teams.personal(), "export")
    [url] = _links(connector)
    async with admin_bot.http.get(_local(admin_bot, url)) as response:
        assert response.status == 200
        assert (await response.read()).decode("utf-8-sig").startswith("ärende;")
    async with admin_bot.http.get(_local(admin_bot, url)) as response:
        assert response.status == 410
        assert "already been used" in (await response.json())["error"]
    await say(admin_bot, teams.personal(), "export")  # a new export gives a new link
    fresh = _links(connector)[-1]
    assert fresh != url
    async with admin_bot.http.get(_local(admin_bot, fresh)) as response:
        assert response.status == 200


async def test_a_link_is_refused_once_its_admin_is_no_longer_one(sqlite_url, connector):
    settings = bot_settings(sqlite_url, admin_ids=(ADMIN.aad_object_id,), export_secret="shared")
    server = await BotServer(settings, connector).start()
    try:
        await say(server, teams.personal(), "export")
        [url] = _links(connector)
    finally:
        await server.stop()
    server = await BotServer(bot_settings(sqlite_url, admin_ids=(teams.BERTIL.aad_object_id,),
                                          export_secret="shared"), connector).start()
    try:
        async with server.http.get(_local(server, url)) as response:
            assert response.status == 403
    finally:
        await server.stop()


async def test_an_admin_id_in_from_id_without_aad_object_id_is_not_an_admin(admin_bot, connector):
    chat = teams.personal()
    spoofed = teams.message(chat, admin_bot.service_url, "export")
    spoofed["from"] = {"id": ADMIN.aad_object_id, "name": "Anna Andersson"}  # no aadObjectId
    assert (await admin_bot.post(spoofed)).status == 200
    assert connector.texts()[-1].startswith("Det kommandot är bara för administratörer")
    assert _links(connector) == []


async def test_an_admin_of_another_tenant_is_not_an_admin(database_url, connector):
    settings = bot_settings(database_url, admin_ids=(ADMIN.aad_object_id,),
                            tenant_allowlist=(teams.TENANT_ID, "bbbbbbbb-0000-4000-8000-000000000000"))
    server = await BotServer(settings, connector).start()
    try:
        chat = teams.Conversation(id="a:personal-other", tenant_id="bbbbbbbb-0000-4000-8000-000000000000")
        await say(server, chat, "export")
        assert _links(connector)  # allowed tenant, admin id: an admin
    finally:
        await server.stop()
    settings = bot_settings(database_url, admin_ids=(ADMIN.aad_object_id,), app_tenant_id=teams.TENANT_ID)
    server = await BotServer(settings, connector).start()
    try:
        connector.clear()
        chat = teams.Conversation(id="a:personal-foreign", tenant_id="cccccccc-0000-4000-8000-000000000000")
        await say(server, chat, "export")
        assert connector.texts()[-1].startswith("Det kommandot är bara för administratörer")
    finally:
        await server.stop()


async def test_with_credentials_other_channels_than_teams_are_refused(sqlite_url, connector):
    credentials = dict(app_id="11111111-2222-3333-4444-555555555555", app_password="secret",
                       app_tenant_id=teams.TENANT_ID, admin_ids=(ADMIN.aad_object_id,))
    server = await BotServer(bot_settings(sqlite_url, **credentials), connector).start()
    try:
        for channel in ("directline", "webchat", "emulator"):
            activity = teams.message(teams.personal(), server.service_url, "export")
            activity["channelId"] = channel
            reply = await server.post(activity)
            assert reply.status == 403 and reply.body == {"error": "channel not allowed"}
        teams_activity = teams.message(teams.personal(), server.service_url, "export")
        assert (await server.post(teams_activity)).status == 401  # Teams' activities go on to authentication
    finally:
        await server.stop()
    assert connector.sent == []
    opened = bot_settings(sqlite_url, **credentials, allowed_channels=("msteams", "webchat"))
    server = await BotServer(opened, connector).start()
    try:
        activity = teams.message(teams.personal(), server.service_url, "hjälp")
        activity["channelId"] = "webchat"
        assert (await server.post(activity)).status == 401  # listed: on to authentication
    finally:
        await server.stop()


def test_allowed_channels_are_read_from_the_environment():
    assert load_settings({}).allowed_channels == ("msteams",)
    assert load_settings({"ALLOWED_CHANNELS": "msteams, WebChat"}).allowed_channels == ("msteams", "webchat")


@pytest.mark.parametrize("env, word", [
    ({"RETENTION_MONTHS": "0"}, "RETENTION_MONTHS"),
    ({"RETENTION_MONTHS": "-3"}, "RETENTION_MONTHS"),
    ({"STATE_TTL_DAYS": "0"}, "STATE_TTL_DAYS"),
    ({"STATE_TTL_DAYS": "-1"}, "STATE_TTL_DAYS"),
    ({"ABANDONED_GRACE_DAYS": "0"}, "ABANDONED_GRACE_DAYS"),
    ({"ABANDON_AFTER_MONTHS": "-1"}, "ABANDON_AFTER_MONTHS"),
])
def test_settings_that_would_purge_everything_are_refused(env, word):
    with pytest.raises(ConfigurationError, match=word):
        load_settings(env)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "bot.example.org"])
def test_without_credentials_a_public_bind_needs_the_explicit_flag(host):
    with pytest.raises(ConfigurationError, match="--insecure-public"):
        load_settings({"HOST": host})
    assert load_settings({"HOST": host, "INSECURE_PUBLIC": "true"}).bind_host == host
    assert load_settings({"HOST": "127.0.0.1"}).bind_host == "127.0.0.1"
    assert load_settings({"HOST": "::1"}).bind_host == "::1"


@pytest.mark.parametrize("env", [{"RETENTION_MONTHS": "0"}, {"HOST": "0.0.0.0"}])
def test_the_server_refuses_to_start_with_one_clear_line(env, tmp_path):
    process = subprocess.run([sys.executable, "-m", "bot", "--database-url", f"sqlite:///{tmp_path}/x.db"],
                             env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=60)
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("larmlotsen: configuration error: "), process.stderr
