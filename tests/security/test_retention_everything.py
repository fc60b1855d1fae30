"""Retention covers everything personal: each table the purge must reach, and the cards in Teams."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from bot.cases.tables import CaseEventRow, CaseRow
from bot.cases.tables import ExportLinkUseRow
from bot.teams.state_tables import BotStateRow
from bot.notifications.tables import CaseCardRow, HomeTeamRow, NoticeChannelRow, NoticeRow
from bot.cases.retention import RetentionPolicy, run_retention
from tests.support import teams

POLICY = RetentionPolicy(months=24, abandon_months=24, grace=timedelta(days=14))
LONG_AGO = timedelta(days=800)  # past 24 months


async def say(bot, chat, words, user=teams.ANNA):
    reply = await bot.post(teams.message(chat, bot.service_url, words, user))
    assert reply.status == 200


async def start_case(bot, connector, room, user=teams.ANNA) -> str:
    """An alarm-chain case in the channel: its card is posted there by the notice worker."""
    for words in ("larmkedja", "hoppa över"):
        await say(bot, room, words, user)
    return re.search(r"TL-\d{4}-\d{4}", str(connector.sent[-1].body)).group(0)


async def age_case(bot, reference: str, by: timedelta) -> None:
    """Move the case and its events `by` into the past (computed here: SQLite has no interval type)."""
    async with bot.runtime.sessions.begin() as session:
        case = await session.scalar(select(CaseRow).where(CaseRow.reference == reference))
        case.created_at, case.updated_at = case.created_at - by, case.updated_at - by
        if case.ended_at is not None:
            case.ended_at = case.ended_at - by
        for event in (await session.execute(select(CaseEventRow).where(CaseEventRow.case_id == case.id))).scalars():
            event.at = event.at - by


async def count(bot, column, *where) -> int:
    async with bot.runtime.sessions() as session:
        return await session.scalar(select(func.count(column)).where(*where))


async def test_a_purged_case_leaves_nothing_and_its_card_says_so(bot, connector):
    notifications = bot.runtime.notifications
    room = teams.channel()
    await say(bot, room, "notiser här")
    reference = await start_case(bot, connector, room)
    for words in ("klar", "avsluta ärendet"):
        await say(bot, room, words)
    await notifications.worker.drain()
    async with bot.runtime.sessions() as session:
        card = await session.scalar(select(CaseCardRow).where(CaseCardRow.case_reference == reference))
    assert card is not None
    assert await count(bot, BotStateRow.key, BotStateRow.document.contains(f'"{reference}"')) == 1  # the focus
    await age_case(bot, reference, LONG_AGO)

    result = await run_retention(bot.runtime.sessions, POLICY, datetime.now(timezone.utc))
    assert result.purged_cases == [reference] and result.cards_replaced == 1 and result.focus_cleared == 1
    assert await count(bot, CaseRow.id, CaseRow.reference == reference) == 0
    assert await count(bot, CaseEventRow.id) == 0
    assert await count(bot, CaseCardRow.id, CaseCardRow.case_reference == reference) == 0
    assert await count(bot, BotStateRow.key, BotStateRow.document.contains(f'"{reference}"')) == 0
    assert await count(bot, NoticeRow.id, NoticeRow.case_reference == reference, NoticeRow.kind != "purged") == 0

    connector.clear()
    await notifications.worker.drain()
    [replaced] = [sent for sent in connector.sent if sent.method == "PUT"]
    assert replaced.body["id"] == card.message_id
    shown = str(replaced.cards)
    assert "Ärendet är gallrat" in shown and "Anna" not in shown


async def test_an_untouched_open_case_is_marked_announced_and_then_purged(bot, connector):
    notifications = bot.runtime.notifications
    room = teams.channel()
    await say(bot, room, "notiser här")
    forgotten = await start_case(bot, connector, room)
    revived = await start_case(bot, connector, room, teams.BERTIL)
    active = await start_case(bot, connector, room)
    for reference in (forgotten, revived):
        await age_case(bot, reference, LONG_AGO)
    now = datetime.now(timezone.utc)

    result = await run_retention(bot.runtime.sessions, POLICY, now)
    assert result.abandoned == sorted([forgotten, revived]) and result.purged_cases == []
    # The team hears about it in the next digest (a working day, after the digest time).
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    await notifications.scanner.scan(now=monday)
    async with bot.runtime.sessions() as session:
        digest = await session.scalar(select(NoticeRow).where(NoticeRow.kind == "digest"))
    announced = str(digest.message["card"])
    assert "Orörda ärenden som gallras: 2" in announced and forgotten in announced and active in announced

    await say(bot, room, f"ärende {revived}", teams.BERTIL)
    await say(bot, room, "klar", teams.BERTIL)  # someone acts on it: it is kept
    later = now + timedelta(days=15)
    result = await run_retention(bot.runtime.sessions, POLICY, later)
    assert result.revived == [revived]
    assert result.purged_cases == [forgotten]
    async with bot.runtime.sessions() as session:
        kept = {row.reference: row.abandoned_at for row in (await session.execute(select(CaseRow))).scalars()}
    assert set(kept) == {revived, active} and kept[revived] is None


async def test_channels_home_teams_and_used_links_of_people_gone_are_purged(bot, connector):
    gone_room, busy_room = teams.channel("19:team-gone@thread.tacv2"), teams.channel("19:team-busy@thread.tacv2")
    await say(bot, gone_room, "notiser här", teams.BERTIL)
    await say(bot, busy_room, "notiser här")
    await start_case(bot, connector, busy_room)
    past = datetime.now(timezone.utc) - LONG_AGO
    async with bot.runtime.sessions.begin() as session:
        await session.execute(update(NoticeChannelRow).values(updated_at=past, subscribed_at=past))
        await session.execute(update(HomeTeamRow).values(updated_at=past))
        session.add(ExportLinkUseRow(link_id="used-long-ago", admin_id=teams.ANNA.aad_object_id, used_at=past,
                                     expires_at=past + timedelta(minutes=15)))
    assert await count(bot, HomeTeamRow.user_id) == 2

    result = await run_retention(bot.runtime.sessions, POLICY, datetime.now(timezone.utc))
    assert (result.notice_channels, result.home_teams, result.export_links) == (1, 1, 1)
    async with bot.runtime.sessions() as session:
        scopes = (await session.execute(select(NoticeChannelRow.scope))).scalars().all()
        users = (await session.execute(select(HomeTeamRow.user_id))).scalars().all()
    assert scopes == ["19:team-busy@thread.tacv2"]  # a case there is recent
    assert users == [teams.ANNA.aad_object_id]  # she acted on a case; Bertil has not for 26 months
    assert await count(bot, ExportLinkUseRow.link_id) == 0
