"""Notices end to end through /api/messages: a team subscribes (bot added, `notiser här`), a
case started in personal chat lands in the home team's channel, its card is updated in place
as steps are done, `notiser av` stops them and `notiser` shows the state."""

from __future__ import annotations

import asyncio
import re

from tests.support import teams
from tests.support.cards import actions_of_type

from tests.support.notices import fast_policy

CHANNEL_ID = teams.TEAM_ID  # the General channel's id is the team id


def speed_up(bot) -> None:
    """Fast retries, and no periodic scan: on a working day after 08:30 it would post the day's
    digest into the channel the test subscribes (the scan has its own tests, with a frozen clock)."""
    notifications = bot.runtime.notifications
    notifications.tasks[1].cancel()
    notifications.worker.policy = fast_policy()
    notifications.worker.tuning.poll_s = 0.05


async def wait_for(predicate, timeout_s: float = 10.0):
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        found = predicate()
        if found:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting")


def channel_posts(connector, *, method: str = "POST", conversation: str = CHANNEL_ID):
    return [s for s in connector.sent if s.method == method and s.conversation_id == conversation and s.cards]


def links(card) -> list[str]:
    return [action["url"] for action in actions_of_type(card, "Action.OpenUrl")]


async def start_new_order(bot, chat, *, priority: bool) -> str:
    await bot.post(teams.message(chat, bot.service_url, "ny beställning"))
    await bot.post(teams.message(chat, bot.service_url, "ja" if priority else "nej"))
    await bot.post(teams.message(chat, bot.service_url, "nej"))
    await bot.post(teams.card_submit(chat, bot.service_url, {"intake": "customerRef", "skip": True}))
    return re.search(r"TL-\d{4}-\d{4}", bot.connector.sent[-1].text).group(0)


async def test_a_priority_order_from_personal_chat_reaches_the_home_teams_channel(bot, connector):
    speed_up(bot)
    await bot.post(teams.bot_added(teams.channel(), bot.service_url))  # Anna adds the bot to her team
    connector.clear()
    reference = await start_new_order(bot, teams.personal(), priority=True)

    posted = await wait_for(lambda: channel_posts(connector))
    assert len(posted) == 1
    card = posted[0].cards[0]
    assert reference in str(card)
    header = card["body"][0]
    assert header["style"] == "attention" and "prioriterad" in str(header).lower()
    assert "tel:+46850840613" in links(card)
    assert "08-508 40 613" in str(card)


async def test_the_case_card_is_updated_in_place_and_steps_are_lines_in_its_thread(bot, connector):
    speed_up(bot)
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    assert "Klart" in connector.sent[-1].text
    chat = teams.personal()
    await bot.post(teams.message(channel, bot.service_url, "mitt team"))
    reference = await start_new_order(bot, chat, priority=False)
    card_post = (await wait_for(lambda: channel_posts(connector)))[0]
    card_id = f"sent-{[s for s in connector.sent].index(card_post) + 1}"

    await bot.post(teams.message(chat, bot.service_url, f"klar {reference}"))
    updates = await wait_for(lambda: channel_posts(connector, method="PUT"))
    assert updates[0].reply_to == card_id, "the same message is replaced"
    assert "Steg 1 klart" in str(updates[0].cards[0])
    thread = f"{CHANNEL_ID};messageid={card_id}"
    line = (await wait_for(lambda: channel_posts(connector, conversation=thread)))[0]
    assert "steg 1 klart" in str(line.cards[0])
    assert len(channel_posts(connector)) == 1, "no second card for the same case"


async def test_notices_off_stops_them_and_status_tells(bot, connector):
    speed_up(bot)
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    await bot.post(teams.message(channel, bot.service_url, "notiser"))
    assert "den här kanalen" in str(connector.sent[-1].cards[0])

    await bot.post(teams.message(channel, bot.service_url, "notiser av"))
    assert "avstängda" in connector.sent[-1].text
    await bot.post(teams.message(channel, bot.service_url, "notiser"))
    assert "avstängda" in str(connector.sent[-1].cards[0])
    connector.clear()
    await start_new_order(bot, teams.personal(), priority=False)
    await asyncio.sleep(0.3)
    assert channel_posts(connector) == []


async def test_a_failed_notice_is_shown_by_the_status_command(bot, connector):
    speed_up(bot)
    notifications = bot.runtime.notifications
    notifications.tasks[0].cancel()  # deliver by hand below, so the failure hits the notice
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    reference = await start_new_order(bot, teams.personal(), priority=False)
    connector.fail_next(403)  # e.g. the bot was removed from the channel: not worth retrying
    await notifications.worker.drain()
    rows = [row for row in await notifications.outbox.all() if row.status == "failed"]
    assert [row.case_reference for row in rows] == [reference]
    await bot.post(teams.message(channel, bot.service_url, "notiser"))
    status = str(connector.sent[-1].cards[0])
    assert "Kunde inte skickas: 1" in status and reference in status and "http 403" in status


async def test_notiser_here_is_refused_in_personal_chat(bot, connector):
    await bot.post(teams.message(teams.personal(), bot.service_url, "notiser här"))
    assert "kanal" in connector.sent[-1].text


async def test_home_team_follows_use_unless_pinned_with_mitt_team(bot, connector):
    speed_up(bot)
    other_team = "19:team-norr@thread.tacv2"
    await bot.post(teams.message(teams.channel(), bot.service_url, "notiser här"))
    await bot.post(teams.message(teams.channel(other_team), bot.service_url, "notiser här"))
    subscriptions = bot.runtime.notifications.subscriptions
    user = teams.ANNA.aad_object_id
    assert await subscriptions.home_team(user) == other_team, "the last channel used"

    await bot.post(teams.message(teams.channel(), bot.service_url, "mitt team"))
    assert "hör nu till det här teamet" in connector.sent[-1].text
    await bot.post(teams.message(teams.channel(other_team), bot.service_url, "mina ärenden"))
    assert await subscriptions.home_team(user) == teams.TEAM_ID, "pinned: helping out elsewhere does not move it"

    reference = await start_new_order(bot, teams.personal(), priority=False)
    case = await bot.runtime.cases.get_by_reference(reference)
    assert case.team_id == teams.TEAM_ID
    await wait_for(lambda: channel_posts(connector))
    assert channel_posts(connector, conversation=other_team) == []


async def test_mitt_team_in_personal_chat_explains_where_to_type_it(bot, connector):
    await bot.post(teams.message(teams.personal(), bot.service_url, "mitt team"))
    assert "kanal" in connector.sent[-1].text


async def test_a_restart_delivers_what_was_pending(bot, connector):
    speed_up(bot)
    await bot.post(teams.message(teams.channel(), bot.service_url, "notiser här"))
    notifications = bot.runtime.notifications
    notifications.tasks[0].cancel()  # the worker is down when the case starts
    await asyncio.gather(notifications.tasks[0], return_exceptions=True)
    reference = await start_new_order(bot, teams.personal(), priority=False)
    assert channel_posts(connector) == []
    await bot.restart()
    # (The restarted bot's first scan may post today's digest too: look for the case card.)
    await wait_for(lambda: [post for post in channel_posts(connector) if reference in str(post.cards[0])])


async def test_status_in_personal_chat_is_the_home_teams(bot, connector):
    speed_up(bot)
    await bot.post(teams.message(teams.personal(), bot.service_url, "notiser"))
    assert "mitt team" in connector.sent[-1].text
    await bot.post(teams.message(teams.channel(), bot.service_url, "notiser här"))
    await bot.post(teams.message(teams.personal(), bot.service_url, "notiser"))
    assert "en kanal i teamet" in str(connector.sent[-1].cards[0])


async def test_a_committed_notice_wakes_the_worker_at_once(bot, connector):
    speed_up(bot)
    await bot.post(teams.message(teams.channel(), bot.service_url, "notiser här"))
    bot.runtime.notifications.worker.tuning.poll_s = 60
    await asyncio.sleep(0.1)  # the worker is now in a long sleep
    reference = await start_new_order(bot, teams.personal(), priority=False)
    # Within 2 s, though the worker's poll is 60 s: the commit woke it.
    posts = await wait_for(lambda: channel_posts(connector), timeout_s=2)
    assert reference in str(posts[0].cards[0])


async def test_notices_pass_the_tenant_allow_list(database_url, connector):
    from tests.support.botserver import BotServer, bot_settings

    server = await BotServer(bot_settings(database_url, tenant_allowlist=(teams.TENANT_ID,)), connector).start()
    try:
        speed_up(server)
        await server.post(teams.bot_added(teams.channel(), server.service_url))
        reference = await start_new_order(server, teams.personal(), priority=True)
        # The proactive turn carries the tenant, so the allow-list lets the notice through.
        posts = await wait_for(lambda: channel_posts(connector))
        assert reference in str(posts[0].cards[0])
    finally:
        await server.stop()


async def test_a_group_chat_gets_its_own_cases_as_plain_posts(bot, connector):
    speed_up(bot)
    chat = teams.Conversation(id="19:groupchat-hemtjanst@thread.v2", kind="groupChat")
    await bot.post(teams.message(chat, bot.service_url, "notiser här"))
    reference = await start_new_order(bot, chat, priority=False)
    posted = await wait_for(lambda: channel_posts(connector, conversation=chat.id))
    assert reference in str(posted[-1].cards[0])
    await bot.post(teams.message(chat, bot.service_url, f"klar {reference}"))
    await wait_for(lambda: channel_posts(connector, method="PUT", conversation=chat.id))
    line = await wait_for(lambda: [p for p in channel_posts(connector, conversation=chat.id) if "steg 1 klart" in str(p.cards)])
    assert line and not [s for s in connector.sent if ";messageid=" in s.conversation_id], "no threads in a chat"


async def test_status_shows_notices_being_retried(bot, connector):
    speed_up(bot)
    notifications = bot.runtime.notifications
    notifications.tasks[0].cancel()
    await asyncio.gather(notifications.tasks[0], return_exceptions=True)
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    await start_new_order(bot, teams.personal(), priority=False)
    connector.fail_next(429, {"Retry-After": "60"})
    await notifications.worker.run_once()
    await bot.post(teams.message(channel, bot.service_url, "notiser"))
    status = str(connector.sent[-1].cards[0])
    assert "Väntar på att skickas: 1" in status and "försöks igen (http 429)" in status
