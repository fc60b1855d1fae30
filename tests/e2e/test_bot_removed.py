"""The bot removed from a team or group chat, through /api/messages the way Teams tells it (the app
uninstalled, the bot in membersRemoved) or found out on a send (403 BotNotInConversationRoster):
that notice channel is switched off, its pending notices are cancelled, the log says so, and
`notiser` shows it. Adding the bot again turns the notices back on."""

from __future__ import annotations

import logging

import pytest

from tests.support import teams

from .test_channel_notices import CHANNEL_ID, channel_posts, speed_up, start_new_order


async def _team_with_pending_notices(bot, connector):
    """A subscribed team channel with notices not delivered yet (the worker is held)."""
    speed_up(bot)
    bot.runtime.notifications.tasks[0].cancel()
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    await bot.post(teams.message(channel, bot.service_url, "mitt team"))
    await start_new_order(bot, teams.personal(), priority=False)
    await start_new_order(bot, teams.personal(), priority=True)
    rows = await bot.runtime.notifications.outbox.all()
    assert len(rows) >= 2 and {row.status for row in rows} == {"pending"}
    return channel


async def _status_from_personal_chat(bot, connector) -> str:
    await bot.post(teams.message(teams.personal(), bot.service_url, "notiser"))
    return str(connector.sent[-1].cards[0])


async def _assert_switched_off_and_cancelled(bot, connector, caplog):
    rows = await bot.runtime.notifications.outbox.all()
    assert rows and {row.status for row in rows} == {"cancelled"}, [row.status for row in rows]
    channel = await bot.runtime.notifications.subscriptions.channel(CHANNEL_ID)
    assert not channel.active and channel.bot_removed
    status = await _status_from_personal_chat(bot, connector)
    assert "togs bort" in status and f"Inställda notiser: {len(rows)}" in status
    assert "cancelled" in caplog.text and "removed" in caplog.text
    sent_before = len(channel_posts(connector))
    await start_new_order(bot, teams.personal(), priority=False)  # a new case: nothing for the channel
    await bot.runtime.notifications.worker.drain()
    assert len(channel_posts(connector)) == sent_before


@pytest.mark.parametrize("removal", [teams.app_uninstalled, teams.bot_removed],
                         ids=["installationUpdate remove", "bot in membersRemoved"])
async def test_the_bot_removed_switches_the_channel_off_and_cancels_its_notices(bot, connector, caplog, removal):
    caplog.set_level(logging.INFO)
    channel = await _team_with_pending_notices(bot, connector)
    connector.clear()
    reply = await bot.post(removal(channel, bot.service_url))
    assert reply.status == 200
    assert connector.sent == [], "nothing is posted where the bot no longer is"
    await _assert_switched_off_and_cancelled(bot, connector, caplog)


async def test_a_send_refused_with_bot_not_in_conversation_roster_switches_the_channel_off(bot, connector, caplog):
    caplog.set_level(logging.INFO)
    speed_up(bot)
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    await bot.post(teams.message(channel, bot.service_url, "mitt team"))
    bot.runtime.notifications.tasks[0].cancel()  # delivered by hand below, so the 403 meets the first send
    # One at a time: a send already under way when the first one is refused would (here, not in Teams) go through.
    bot.runtime.notifications.worker.tuning.concurrency = 1
    await start_new_order(bot, teams.personal(), priority=False)
    await start_new_order(bot, teams.personal(), priority=True)
    connector.fail_next(403, code="BotNotInConversationRoster")
    await bot.runtime.notifications.worker.drain()
    assert "BotNotInConversationRoster" in caplog.text
    await _assert_switched_off_and_cancelled(bot, connector, caplog)


async def test_another_403_is_a_failed_notice_not_a_removal(bot, connector):
    speed_up(bot)
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    bot.runtime.notifications.tasks[0].cancel()
    await start_new_order(bot, teams.personal(), priority=False)
    connector.fail_next(403, code="Forbidden")
    await bot.runtime.notifications.worker.drain()
    assert (await bot.runtime.notifications.subscriptions.channel(CHANNEL_ID)).active


async def test_adding_the_bot_again_turns_the_notices_back_on_but_notiser_av_stays_off(bot, connector):
    speed_up(bot)
    channel = teams.channel()
    await bot.post(teams.message(channel, bot.service_url, "notiser här"))
    await bot.post(teams.app_uninstalled(channel, bot.service_url))
    subscriptions = bot.runtime.notifications.subscriptions
    assert not (await subscriptions.channel(CHANNEL_ID)).active
    await bot.post(teams.bot_added(channel, bot.service_url))
    assert (await subscriptions.channel(CHANNEL_ID)).active, "re-added: notices on again"
    await bot.post(teams.message(channel, bot.service_url, "notiser av"))
    await bot.post(teams.bot_removed(channel, bot.service_url))
    await bot.post(teams.bot_added(channel, bot.service_url))
    assert (await subscriptions.channel(CHANNEL_ID)).active, "removed after `notiser av`, re-added: on"
    await bot.post(teams.message(channel, bot.service_url, "notiser av"))
    await bot.post(teams.bot_added(channel, bot.service_url))
    assert not (await subscriptions.channel(CHANNEL_ID)).active, "staff's choice is kept"
