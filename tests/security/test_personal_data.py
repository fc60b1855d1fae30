"""No personnummer or samordningsnummer reaches the database or the logs, whatever field it is
typed into; the user gets a Swedish explanation instead."""

from __future__ import annotations

import logging
import re

from sqlalchemy import inspect, text

from tests.support import teams

# Luhn-valid test numbers: a personnummer and a samordningsnummer (day + 60), in several forms.
PERSONAL_NUMBERS = ["19121212-1212", "121212+1212", "191212121212", "7001702385"]
DIGITS = {re.sub(r"\D", "", number)[-10:] for number in PERSONAL_NUMBERS}


async def say(bot, chat, words):
    return await bot.post(teams.message(chat, bot.service_url, words))


async def test_personal_numbers_never_reach_the_database_or_the_logs(bot, connector, caplog):
    caplog.set_level(logging.INFO)
    chat = teams.personal()
    await say(bot, chat, "flytt")
    await say(bot, chat, "ja")
    for number in PERSONAL_NUMBERS:
        await say(bot, chat, f"kund {number}")  # the customer reference
        assert "personnummer" in str(connector.sent[-1].cards[0])
    await say(bot, chat, "hoppa över")
    await say(bot, chat, "klar")
    for number in PERSONAL_NUMBERS:
        await say(bot, chat, f"ångra fel kund {number}")  # the undo reason
        assert "personnummer" in connector.texts()[-1].lower()
        await say(bot, chat, f"vad gäller för {number}?")  # a question
        assert "personnummer" in connector.texts()[-1].lower()
    room = teams.channel()
    await say(bot, room, "ny beställning")
    await say(bot, room, "nej")
    await say(bot, room, "nej")
    await say(bot, room, "hoppa över")
    await say(bot, room, f"avböj {PERSONAL_NUMBERS[0]}")  # the decline reason
    assert "personnummer" in connector.texts()[-1].lower()

    dump = await _database_dump(bot)
    logs = re.sub(r"[-+ ]", "", caplog.text)
    for digits in DIGITS:
        assert digits not in dump
        assert digits not in logs
    assert "kund" not in caplog.text.lower(), "logs never carry the text of an activity"


async def _database_dump(bot) -> str:
    async with bot.runtime.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        rows = []
        for name in names:
            rows += (await conn.execute(text(f'SELECT * FROM "{name}"'))).all()
    return re.sub(r"[-+ ]", "", str(rows))
