"""Admins export the audit log and run retention; everyone sees their team's statistics."""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot.cases.tables import CaseRow
from bot.cases.retention import purge_ended_cases
from tests.support import teams
from tests.support.botserver import BotServer, bot_settings


async def say(server, chat, words, user=teams.ANNA):
    return await server.post(teams.message(chat, server.service_url, words, user))


async def walk_new_order(server, connector, chat):
    for words in ("ny beställning", "nej", "nej", "Lpnr 1"):
        await say(server, chat, words)
    reference = re.search(r"TL-\d{4}-\d{4}", connector.sent[-1].text).group(0)
    for _ in range(7):
        await say(server, chat, "klar")
    await say(server, chat, "avsluta ärendet")
    return reference


async def test_export_is_for_admins_and_gives_a_csv_of_every_event(database_url, connector):
    settings = bot_settings(database_url, admin_ids=(teams.ANNA.aad_object_id,))
    server = await BotServer(settings, connector).start()
    try:
        chat = teams.personal()
        reference = await walk_new_order(server, connector, chat)
        await say(server, teams.personal(teams.BERTIL), "export", teams.BERTIL)
        assert connector.texts()[-1].startswith("Det kommandot är bara för administratörer")
        await say(server, chat, "export 2026-13-01")
        assert connector.texts()[-1].startswith("Skriv **export** följt av en period")
        await say(server, chat, "export")
        card = connector.sent[-1].cards[0]
        url = card["actions"][0]["url"]
        path = url.split(str(server.server.port), 1)[1] if str(server.server.port) in url else url
        async with server.http.get(server.url(path[path.index("/export/"):])) as response:
            assert response.status == 200
            assert response.headers["Content-Disposition"].startswith("attachment")
            body = (await response.read()).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
        mine = [row for row in rows if row["ärende"] == reference]
        assert [row["händelse"] for row in mine] == ["opened"] + ["step_done"] * 6 + ["closed"]
        assert all(row["utförd_av"] == "Anna Andersson" and row["tidpunkt_utc"] for row in mine)
        forged = path[path.index("/export/"):-3] + "abc"
        async with server.http.get(server.url(forged)) as response:
            assert response.status == 403
    finally:
        await server.stop()


async def test_statistics_show_open_overdue_and_lead_time(bot, connector):
    chat = teams.personal()
    await walk_new_order(bot, connector, chat)
    for words in ("flytt", "nej", "hoppa över"):
        await say(bot, chat, words)
    await say(bot, chat, "statistik")
    card = str(connector.sent[-1].cards[0])
    assert "Statistik för dina ärenden" in card
    assert "'Öppna ärenden', 'value': '1'" in card
    assert "(1 beställningar)" in card


async def test_retention_purges_only_cases_ended_long_ago_and_logs_it(bot, connector, caplog):
    caplog.set_level(logging.INFO, logger="bot.cases.retention")
    old = await walk_new_order(bot, connector, teams.personal())
    recent = await walk_new_order(bot, connector, teams.personal())
    for words in ("flytt", "nej", "hoppa över"):
        await say(bot, teams.personal(), words)
    now = datetime.now(timezone.utc)
    async with bot.runtime.sessions.begin() as session:
        await session.execute(update(CaseRow).where(CaseRow.reference == old).values(ended_at=now - timedelta(days=800)))
    purged = await purge_ended_cases(bot.runtime.sessions, 24, now)
    assert purged == [old]
    cases = bot.runtime.cases
    assert await cases.get_by_reference(old) is None
    assert await cases.get_by_reference(recent) is not None
    assert "retention: purged 1 case(s)" in caplog.text and old in caplog.text


async def test_purge_command_is_for_admins(bot, connector):
    await say(bot, teams.personal(), "gallra")
    assert connector.texts()[-1].startswith("Det kommandot är bara för administratörer")
