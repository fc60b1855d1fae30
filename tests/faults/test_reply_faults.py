"""A failed reply must not duplicate what the user did, nor make the bot say nothing was saved
when it was: the real `python -m bot` against a Bot Connector that fails on purpose."""

from __future__ import annotations

import re

import aiohttp
import pytest

from tests.support import teams

from .harness import BotProcess, Fault, ScriptedConnector, TeamsClient, answer_for, intake_field, last_card, \
    read_cases, told_nothing_saved

REFERENCE = re.compile(r"TL-\d{4}-\d{4,6}")
# msrest tries a reply four times (one try and three retries) before the turn sees the error.
FAILS_EVERY_RETRY = 4


@pytest.fixture
async def connector():
    fake = await ScriptedConnector().start()
    yield fake
    await fake.close()


async def test_failed_reply_to_the_last_intake_answer_makes_one_case_and_no_false_apology(
        database_url, connector, tmp_path):
    bot = BotProcess(database_url, tmp_path)
    bot.start()
    try:
        async with aiohttp.ClientSession() as http:
            await bot.wait_ready(http)
            client = TeamsClient(http, bot, pause_s=0.2)
            chat = teams.personal()
            url = connector.url
            assert (await client.post(teams.message(chat, url, "ny beställning"))).status == 200
            card, _ = last_card(connector, chat.id)
            while (fact := intake_field(card)) != "customerRef":
                await client.post(teams.card_submit(chat, url, {"intake": fact, "answer": answer_for(card)}))
                card, _ = last_card(connector, chat.id)

            connector.script(chat.id, *[Fault(status=500)] * FAILS_EVERY_RETRY)
            skip = {"intake": "customerRef", "skip": True}
            await client.post(teams.card_submit(chat, url, skip))
            # The user saw no answer at once, so they click the button again.
            await client.post(teams.card_submit(chat, url, skip))
    finally:
        bot.stop()

    cases = await read_cases(database_url)
    assert len(cases) == 1, f"one click on 'hoppa över' made {sorted(cases)}"
    sent = connector.to(chat.id)
    assert not told_nothing_saved(sent), "the case was saved, yet the user was told nothing was"
    reference = next(iter(cases))
    assert any(reference in s.text for s in sent), "the user learns which case was started"
