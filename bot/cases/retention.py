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

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.notifications import outbox, subscriptions
from bot.notifications.outbox import NewNotice, enqueue
from bot.teams.state_tables import edit_state_documents
from cards.notices import purged_card
from cards.wording import PURGED_SUMMARY

from . import repository
from .export_links import forget_expired_export_links

log = logging.getLogger(__name__)

# The dialogs' "case in focus" in conversation state: {user id: reference}.
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


async def run_retention(sessions: async_sessionmaker, policy: RetentionPolicy, now: datetime) -> RetentionResult:
    """One full retention round (the hourly housekeeping and `gallra`)."""
    result = RetentionResult()
    cutoff = now - relativedelta(months=policy.months)
    async with sessions.begin() as session:
        # Clear the mark of abandoned cases someone acted on since; mark the newly abandoned ones.
        result.revived = sorted(await repository.revive_abandoned(session))
        idle_since = now - relativedelta(months=policy.abandon_months)
        result.abandoned = sorted(await repository.mark_abandoned(session, idle_since, now))
    result.purged_cases, result.cards_replaced = await purge_cases(sessions, policy, now)
    result.focus_cleared = await forget_focus(sessions, result.purged_cases)
    async with sessions.begin() as session:
        result.notice_channels = await subscriptions.purge_idle_channels(session, cutoff)
        result.home_teams = await subscriptions.purge_idle_home_teams(session, cutoff)
        result.export_links = await forget_expired_export_links(session, now)
    log.info("retention: purged %d case(s) (%s), %d marked abandoned, %d revived, %d card(s) to replace, "
             "%d notice channel(s), %d home team(s), %d focus entr(y/ies), %d used export link(s) forgotten",
             len(result.purged_cases), ", ".join(result.purged_cases) or "none", len(result.abandoned),
             len(result.revived), result.cards_replaced, result.notice_channels, result.home_teams,
             result.focus_cleared, result.export_links)
    return result


async def purge_cases(sessions: async_sessionmaker, policy: RetentionPolicy, now: datetime) -> tuple[list[str], int]:
    """Delete ended cases past retention and abandoned cases past their grace period, with
    everything that points at them; queue the replacement of their posted cards."""
    async with sessions.begin() as session:
        rows = await repository.purgeable(session, ended_before=now - relativedelta(months=policy.months),
                                          abandoned_before=now - policy.grace)
        ids, references = [row.id for row in rows], sorted(row.reference for row in rows)
        if not ids:
            return [], 0
        await outbox.withdraw_case_notices(session, references, now)
        cards = await outbox.case_cards_of(session, references)
        for card in cards:
            message = {"mode": "replace", "message_id": card.message_id,
                       "summary": PURGED_SUMMARY.format(ref=card.case_reference),
                       "card": purged_card(card.case_reference)}
            await enqueue(session, NewNotice(card.channel_id, f"{card.channel_id}:{card.case_reference}", "purged",
                                             f"{card.case_reference}:purged:{card.channel_id}", message,
                                             card.case_reference), now, ignore_duplicate=True)
        await outbox.forget_case_cards(session, references)
        await repository.delete_cases(session, ids)
    return references, len(cards)


async def purge_ended_cases(sessions: async_sessionmaker, months: int, now: datetime) -> list[str]:
    """Only the ended cases past `months` (and what points at them); their references."""
    policy = RetentionPolicy(months, months, timedelta(days=36500))
    references, _ = await purge_cases(sessions, policy, now)
    await forget_focus(sessions, references)
    log.info("retention: purged %d case(s) that had ended: %s", len(references), ", ".join(references) or "none")
    return references


async def forget_focus(sessions: async_sessionmaker, references: list[str]) -> int:
    """Drop the "case in focus" entries of dialog state that point at purged cases."""
    purged = set(references)

    def drop_purged(document) -> int:
        focus = document.get(_FOCUS_PROPERTY) if isinstance(document, dict) else None
        if not isinstance(focus, dict):
            return 0
        kept = {user: ref for user, ref in focus.items() if ref not in purged}
        document[_FOCUS_PROPERTY] = kept
        return len(focus) - len(kept)

    async with sessions.begin() as session:
        return await edit_state_documents(session, references, drop_purged)
