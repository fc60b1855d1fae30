"""What the notice channel says about times that are settings, not the page's, over /api/messages
with the bot's clock set: the case card's "senast kl. …" carries the closing time it rests on,
and wherever the daily digest's time is told (the digest itself, `notiser`, `notiser här`) it is
told as a setting. The settings differ from their defaults here, so a text written into the code
instead of read from configuration fails."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.support import teams
from tests.support.botserver import BotServer, bot_settings
from tests.support.notices import fast_policy

from .test_channel_notices import CHANNEL_ID, channel_posts, wait_for


class SetClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


THURSDAY_0900 = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)  # Thursday 3 December, 09:00 in Stockholm


@pytest.fixture
def clock():
    return SetClock(THURSDAY_0900)


@pytest.fixture
async def channel_bot(database_url, connector, clock):
    settings = bot_settings(database_url, closing_time="17:00", digest_time="07:45")
    server = await BotServer(settings, connector, clock).start()
    notifications = server.runtime.notifications
    notifications.tasks[1].cancel()  # the periodic scan: the digest test below runs it by hand
    notifications.worker.policy = fast_policy()
    notifications.worker.tuning.poll_s = 0.05
    yield server
    await server.stop()


async def say(bot, chat, text: str) -> None:
    await bot.post(teams.message(chat, bot.service_url, text))


async def subscribe(bot, connector):
    channel = teams.channel()
    await say(bot, channel, "notiser här")
    await say(bot, channel, "mitt team")
    return channel


async def start_provider_change_with_lock(bot):
    chat = teams.personal()
    for text in ("utförarbyte", "ja", "2027-01-20", "Vi tar emot (ny utförare)", "ja", "nej", "Löpnr 7"):
        await say(bot, chat, text)
    return chat


async def test_the_channel_case_card_says_the_closing_time_behind_its_deadline_is_a_setting(channel_bot, connector):
    await subscribe(channel_bot, connector)
    chat = await start_provider_change_with_lock(channel_bot)
    await wait_for(lambda: channel_posts(connector))
    await say(channel_bot, chat, "klar")  # the notice came in Paraply: next, tell installation och service
    card = (await wait_for(lambda: channel_posts(connector, method="PUT")))[-1].cards[0]
    text = str(card)
    # Five working days before the wanted date, at a closing time of 17:00 (the setting, not the
    # default 16:00): the page's rule and the setting it is counted with.
    assert "senast 13 jan 2027 kl. 17:00" in text
    assert "Grund: minst 5 arbetsdagar före önskat byte (sidan)" in text
    assert "om installation och service stänger kl. 17:00 (inställning)" in text


async def test_the_digest_and_the_notice_commands_tell_the_digest_time_as_a_setting(channel_bot, connector, clock):
    channel = await subscribe(channel_bot, connector)
    subscribed = next(s.text for s in connector.sent if s.text and s.text.startswith("Klart!"))
    assert "vardagar från kl. 07:45 (inställning)" in subscribed
    await say(channel_bot, channel, "notiser")
    assert "Dagens ärenden kommer hit vardagar från kl. 07:45 (inställning)" in str(connector.sent[-1].cards[0])

    await start_provider_change_with_lock(channel_bot)
    await wait_for(lambda: channel_posts(connector))
    connector.clear()
    clock.now = datetime(2026, 12, 4, 6, 45, tzinfo=timezone.utc)  # Friday 07:45 in Stockholm
    assert (await channel_bot.runtime.notifications.scanner.scan(clock.now)).digests == 1
    digest = (await wait_for(lambda: [p for p in channel_posts(connector, conversation=CHANNEL_ID)
                                      if "Dagens ärenden –" in str(p.cards[0])]))[0].cards[0]
    text = str(digest)
    assert "Dagens ärenden kommer vardagar från kl. 07:45 (inställning)." in text
    # Its "senast" and "försenat" times rest on the closing time, a setting too.
    assert "Grund för tiderna: om installation och service stänger kl. 17:00 (inställning)." in text


async def test_the_team_s_case_list_says_what_its_deadlines_rest_on(channel_bot, connector):
    channel = await subscribe(channel_bot, connector)
    chat = await start_provider_change_with_lock(channel_bot)
    await say(channel_bot, chat, "klar")  # next: contact installation och service five working days before
    await say(channel_bot, channel, "mina ärenden")
    listed = next(str(s.cards[0]) for s in reversed(connector.sent) if s.cards and "Teamets öppna ärenden" in str(s.cards[0]))
    assert "senast 13 jan 2027 kl. 17:00" in listed
    assert "Grund för tiderna: om installation och service stänger kl. 17:00 (inställning)." in listed
