"""No personnummer or samordningsnummer survives anywhere, whatever input it comes through.

200 numbers made and validated by the PyPI `personnummer` package, each in one of the documented
or evasive forms (every form through every free-text input at least twice), are typed into
customer references, undo and decline reasons and questions; 23 more arrive in display names,
and as many again in conversation, channel and team names, while those people subscribe a
channel to notices and run a case. Then every table (the SQLite file, its WAL and shared-memory
files byte for byte; on PostgreSQL a pg_dump), every log record at DEBUG and everything posted
to Teams are searched for the ten digits of each number.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from pathlib import Path

from sqlalchemy import inspect, text

from bot.domain import MASK
from tests.support import teams
from tests.support.personnummer_forms import FORM_NAMES, formats, generate, leaked

TYPED = generate(200, seed=1)
IN_NAMES = generate(len(FORM_NAMES), seed=2)
IN_PLACES = generate(len(FORM_NAMES), seed=3)
TEXT_INPUTS = ("customer reference", "undo reason", "decline reason", "question")


def typed_inputs():
    """(input, text) for every typed number: form i % 23 through input i % 4 covers each pair."""
    for index, number in enumerate(TYPED):
        form = FORM_NAMES[index % len(FORM_NAMES)]
        yield TEXT_INPUTS[index % len(TEXT_INPUTS)], formats(number)[form]


async def say(bot, chat, words, user=teams.ANNA, place_name: str | None = None):
    activity = teams.message(chat, bot.service_url, words, user)
    if place_name is not None:
        activity["conversation"]["name"] = place_name
        if "channel" in activity["channelData"]:
            activity["channelData"]["channel"]["name"] = place_name
            activity["channelData"]["team"]["name"] = place_name
    reply = await bot.post(activity)
    assert reply.status == 200
    return reply


async def test_no_personnummer_in_any_table_log_or_message(bot, connector, caplog, database_url):
    caplog.set_level(logging.DEBUG)
    refused = await _type_numbers(bot, connector)
    assert refused == len(TYPED)
    await _numbers_in_names(bot, connector)
    await bot.runtime.notifications.worker.drain()

    everything = TYPED + IN_NAMES + IN_PLACES
    tables = await _table_dump(bot)
    assert {name: leaked(everything, rows) for name, rows in tables.items() if leaked(everything, rows)} == {}
    for name, content in _database_files(database_url):
        assert leaked(everything, content) == [], name
    if database_url.startswith("postgresql"):
        assert leaked(everything, await _pg_dump(database_url)) == []
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    assert leaked(everything, caplog.text) == []
    # What Teams shows and keeps: text, cards and previews (the envelope only echoes Teams' own ids and names).
    shown = [(sent.body.get("text"), sent.body.get("summary"), sent.cards) for sent in connector.sent]
    assert leaked(everything, str(shown)) == []
    # The names were kept, masked: the channel's case card says who started the case.
    assert any(MASK in str(card) for card in connector.all_cards())


async def _type_numbers(bot, connector) -> int:
    """Every typed number, each refused with an explanation; returns how many were refused."""
    chat, order_chat = teams.personal(), teams.personal()
    for words in ("flytt", "ja"):
        await say(bot, chat, words)
    by_input: dict[str, list[str]] = {}
    for kind, number in typed_inputs():
        by_input.setdefault(kind, []).append(number)
    refused = 0
    for number in by_input["customer reference"]:
        await say(bot, chat, f"kund {number}")
        refused += "personnummer" in str(connector.sent[-1].cards[0])
    await say(bot, chat, "hoppa över")
    await say(bot, chat, "klar")
    for number in by_input["undo reason"]:
        await say(bot, chat, f"ångra fel kund {number}")
        refused += "personnummer" in connector.texts()[-1].lower()
    for number in by_input["question"]:
        await say(bot, chat, f"vad gäller för {number}?")
        refused += "personnummer" in connector.texts()[-1].lower()
    for words in ("ny beställning", "nej", "nej", "hoppa över"):
        await say(bot, order_chat, words)
    for number in by_input["decline reason"]:
        await say(bot, order_chat, f"avböj {number}")
        refused += "personnummer" in connector.texts()[-1].lower()
    return refused


async def _numbers_in_names(bot, connector) -> None:
    """People with a number in their display name subscribe a channel (whose names carry another)
    and run a case there: the names are stored and shown, masked."""
    for index, form in enumerate(FORM_NAMES):
        user = teams.User(id=f"29:user-{index}", name=f"Anna {formats(IN_NAMES[index])[form]} Berg",
                          aad_object_id=f"00000000-0000-4000-8000-{index:012d}")
        room = teams.channel(team_id=f"19:team-{index}@thread.tacv2")
        place = f"Hemtjänst {formats(IN_PLACES[index])[form]}"
        for words in ("notiser här", "larmkedja", "hoppa över", "klar"):
            await say(bot, room, words, user, place_name=place)
        assert re.search(r"TL-\d{4}-\d{4}", " ".join(connector.texts()[-3:]) + str(connector.sent[-1].body))


async def _table_dump(bot) -> dict[str, str]:
    """Every row of every table, as text, by table."""
    async with bot.runtime.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        tables = {name: (await conn.execute(text(f'SELECT * FROM "{name}"'))).all() for name in names}
    assert sum(len(rows) for rows in tables.values()) > 100  # cases, events, notices and state were written
    return {name: str(rows) for name, rows in tables.items()}


def _database_files(database_url: str):
    if not database_url.startswith("sqlite"):
        return
    path = Path(database_url.split("///", 1)[1])
    found = [candidate for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if candidate.exists()]
    assert path in found and Path(f"{path}-wal") in found
    for candidate in found:
        yield candidate.name, candidate.read_bytes().decode("utf-8", errors="ignore")


async def _pg_dump(database_url: str) -> str:
    assert shutil.which("pg_dump"), "pg_dump is needed for the PostgreSQL variant"
    process = await asyncio.create_subprocess_exec("pg_dump", "--data-only", "--no-owner", database_url,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode(errors="replace")
    return out.decode("utf-8")
