"""Retention: everything personal leaves the database once it has not been needed for
RETENTION_MONTHS.

* Closed, cancelled and declined cases are purged RETENTION_MONTHS after they ended.
* An open case nobody has acted on for ABANDON_AFTER_MONTHS (default RETENTION_MONTHS; the bot's
  own reminders do not count) is marked abandoned, announced in the team's daily digest, and
  purged ABANDONED_GRACE_DAYS later unless someone acts on it meanwhile.
* With a purged case go its events, the rows of its cards in channels, its notices, and the
  focus that points at it in dialog state. Each posted case card is replaced in Teams by a short
  "Ärendet är gallrat" card, through the notice outbox (the message id is known).
* Notice channels of teams and chats where nothing happened for RETENTION_MONTHS (no
  subscription change, no case activity), and home-team rows of people who have not acted on a
  case or used the bot in a channel for that long.
* Used export links once they have expired.

A normal action never deletes anything; this configured purge is the only way a case leaves the
database. It logs what it purged as references and counts, nothing personal.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import sqlite_off_the_loop
from bot.notifications.outbox import NewNotice, enqueue
from bot.notifications.tables import CaseCardRow, HomeTeamRow, NoticeChannelRow, NoticeRow
from bot.teams.state_tables import BotStateRow, ExportLinkUseRow
from cards.notices import purged_card
from cards.wording import PURGED_SUMMARY

from .tables import CaseEventRow, CaseRow

log = logging.getLogger(__name__)

# Events the bot writes itself: they do not keep a case alive.
_BOT_EVENT_KINDS = ("reminder_sent",)
_FOCUS_PROPERTY = "CaseFocus"


@dataclass
class RetentionResult:
    purged_cases: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)
    revived: list[str] = field(default_factory=list)
    cards_replaced: int = 0
    notice_channels: int = 0
    home_teams: int = 0
    focus_cleared: int = 0
    export_links: int = 0


@dataclass(frozen=True)
class RetentionPolicy:
    months: int
    abandon_months: int
    grace: timedelta

    @classmethod
    def from_settings(cls, settings) -> "RetentionPolicy":
        return cls(settings.retention_months, settings.abandon_months,
                   timedelta(days=settings.abandoned_grace_days))


def _human_event_since(moment) -> object:
    return exists().where(CaseEventRow.case_id == CaseRow.id, CaseEventRow.at >= moment,
                          CaseEventRow.kind.not_in(_BOT_EVENT_KINDS))


async def run_retention(sessions: async_sessionmaker, policy: RetentionPolicy, now: datetime) -> RetentionResult:
    """One full retention round (the hourly housekeeping and `gallra`)."""
    with sqlite_off_the_loop():  # deletes that can touch thousands of rows
        return await _run_retention(sessions, policy, now)


async def _run_retention(sessions: async_sessionmaker, policy: RetentionPolicy, now: datetime) -> RetentionResult:
    result = RetentionResult()
    cutoff = now - relativedelta(months=policy.months)
    async with sessions.begin() as session:
        result.revived, result.abandoned = await _mark_abandoned(session, policy, now)
    result.purged_cases, result.cards_replaced = await purge_cases(sessions, policy, now)
    result.focus_cleared = await forget_focus(sessions, result.purged_cases)
    async with sessions.begin() as session:
        result.notice_channels = await _purge_idle_channels(session, cutoff)
        result.home_teams = await _purge_idle_home_teams(session, cutoff)
        outcome = await session.execute(delete(ExportLinkUseRow).where(ExportLinkUseRow.expires_at < now))
        result.export_links = outcome.rowcount or 0
    log.info("retention: purged %d case(s) (%s), %d marked abandoned, %d revived, %d card(s) to replace, "
             "%d notice channel(s), %d home team(s), %d focus entr(y/ies), %d used export link(s) forgotten",
             len(result.purged_cases), ", ".join(result.purged_cases) or "none", len(result.abandoned),
             len(result.revived), result.cards_replaced, result.notice_channels, result.home_teams,
             result.focus_cleared, result.export_links)
    return result


async def _mark_abandoned(session: AsyncSession, policy: RetentionPolicy, now: datetime):
    """Clear the mark of abandoned cases someone acted on since; mark the newly abandoned ones."""
    revived = (await session.execute(
        update(CaseRow).where(CaseRow.abandoned_at.is_not(None), CaseRow.status == "open",
                              _human_event_since(CaseRow.abandoned_at))
        .values(abandoned_at=None).returning(CaseRow.reference))).scalars().all()
    idle_since = now - relativedelta(months=policy.abandon_months)
    abandoned = (await session.execute(
        update(CaseRow).where(CaseRow.abandoned_at.is_(None), CaseRow.status == "open",
                              CaseRow.created_at < idle_since, ~_human_event_since(idle_since))
        .values(abandoned_at=now).returning(CaseRow.reference))).scalars().all()
    return sorted(revived), sorted(abandoned)


async def purge_cases(sessions: async_sessionmaker, policy: RetentionPolicy, now: datetime) -> tuple[list[str], int]:
    """Delete ended cases past retention and abandoned cases past their grace period, with
    everything that points at them; queue the replacement of their posted cards."""
    cutoff = now - relativedelta(months=policy.months)
    ended = and_(CaseRow.ended_at.is_not(None), CaseRow.ended_at < cutoff)
    abandoned = and_(CaseRow.status == "open", CaseRow.abandoned_at.is_not(None),
                     CaseRow.abandoned_at < now - policy.grace, ~_human_event_since(CaseRow.abandoned_at))
    async with sessions.begin() as session:
        rows = (await session.execute(select(CaseRow.id, CaseRow.reference).where(or_(ended, abandoned)))).all()
        ids, references = [row.id for row in rows], sorted(row.reference for row in rows)
        if not ids:
            return [], 0
        # Whatever was still to be posted about these cases is not posted any more.
        await session.execute(update(NoticeRow).where(NoticeRow.case_reference.in_(references),
                                                      NoticeRow.status == "pending")
                              .values(status="cancelled", finished_at=now, last_error="case purged",
                                      claimed_until=None, claimed_by=None, message={}))
        await session.execute(delete(NoticeRow).where(NoticeRow.case_reference.in_(references),
                                                      NoticeRow.status != "pending"))
        cards = (await session.execute(select(CaseCardRow).where(CaseCardRow.case_reference.in_(references)))).scalars().all()
        for card in cards:
            message = {"mode": "replace", "message_id": card.message_id,
                       "summary": PURGED_SUMMARY.format(ref=card.case_reference),
                       "card": purged_card(card.case_reference)}
            await enqueue(session, NewNotice(card.channel_id, f"{card.channel_id}:{card.case_reference}", "purged",
                                             f"{card.case_reference}:purged:{card.channel_id}", message,
                                             card.case_reference), now, ignore_duplicate=True)
        await session.execute(delete(CaseCardRow).where(CaseCardRow.case_reference.in_(references)))
        await session.execute(delete(CaseEventRow).where(CaseEventRow.case_id.in_(ids)))
        await session.execute(delete(CaseRow).where(CaseRow.id.in_(ids)))
    return references, len(cards)


async def purge_ended_cases(sessions: async_sessionmaker, months: int, now: datetime) -> list[str]:
    """Only the ended cases past `months` (and what points at them); their references."""
    policy = RetentionPolicy(months, months, timedelta(days=36500))
    with sqlite_off_the_loop():
        references, _ = await purge_cases(sessions, policy, now)
        await forget_focus(sessions, references)
    log.info("retention: purged %d case(s) that had ended: %s", len(references), ", ".join(references) or "none")
    return references


async def forget_focus(sessions: async_sessionmaker, references: list[str]) -> int:
    """Drop the "case in focus" entries of dialog state that point at purged cases."""
    if not references:
        return 0
    purged = set(references)
    cleared = 0
    async with sessions.begin() as session:
        mentions = or_(*(BotStateRow.document.contains(f'"{reference}"') for reference in references))
        for row in (await session.execute(select(BotStateRow).where(mentions))).scalars().all():
            document = json.loads(row.document)
            focus = document.get(_FOCUS_PROPERTY) if isinstance(document, dict) else None
            if not isinstance(focus, dict):
                continue
            kept = {user: ref for user, ref in focus.items() if ref not in purged}
            if len(kept) != len(focus):
                cleared += len(focus) - len(kept)
                document[_FOCUS_PROPERTY] = kept
                row.document = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                row.etag = uuid.uuid4().hex  # a turn holding the old state must reload it
    return cleared


async def _purge_idle_channels(session: AsyncSession, cutoff: datetime) -> int:
    """Notice channels untouched since `cutoff` whose team or chat has no case activity since."""
    scope = NoticeChannelRow.scope
    recent_case = exists().where(or_(CaseRow.team_id == scope, CaseRow.conversation_id == scope),
                                 CaseRow.updated_at >= cutoff)
    result = await session.execute(delete(NoticeChannelRow).where(NoticeChannelRow.updated_at < cutoff, ~recent_case))
    return result.rowcount or 0


async def _purge_idle_home_teams(session: AsyncSession, cutoff: datetime) -> int:
    """Home teams of people who have neither used the bot in a channel nor acted on a case since."""
    acted = exists().where(CaseEventRow.actor_id == HomeTeamRow.user_id, CaseEventRow.at >= cutoff)
    result = await session.execute(delete(HomeTeamRow).where(HomeTeamRow.updated_at < cutoff, ~acted))
    return result.rowcount or 0
