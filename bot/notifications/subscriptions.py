"""Where a team's notices go, and which team a user's personal-chat cases belong to.

Notice channel: one per scope, the team id for a team channel and the conversation id for a
group chat. It is set when the bot is added to a team or by `notiser här`, switched off by
`notiser av`.

Home team (the rule, see docs/notifications.md): a user's home team is the team of the channel
where they last used the bot (any message to it, `notiser här`, or adding the bot to a team),
unless they pinned one by typing `mitt team` in a channel; then only another `mitt team` moves
it. A case started in personal chat belongs to the starter's home team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cases import repository
from bot.dialect import upsert
from bot.domain import Case
from bot.domain.clock import utc
from bot.notifications.outbox import CANCELLED, PENDING
from bot.notifications.tables import CaseCardRow, HomeTeamRow, NoticeChannelRow, NoticeRow
from bot.unit_of_work import DriverStatement, reader_of, reading


@dataclass(frozen=True)
class NoticeChannel:
    id: int
    scope: str
    kind: str
    conversation_id: str
    reference: str
    active: bool
    subscribed_by_name: str
    subscribed_at: datetime
    off_reason: str | None = None  # OFF_BY_STAFF or OFF_BOT_REMOVED when not active

    @property
    def bot_removed(self) -> bool:
        return not self.active and self.off_reason == OFF_BOT_REMOVED


# Why a channel is off.
OFF_BY_STAFF = "switched off"
OFF_BOT_REMOVED = "bot removed"


# How often a home team's updated_at is moved on while its user keeps using the bot there.
_SEEN_REFRESH = timedelta(days=1)


# Core statements for the hot path (every case event, every personal-chat case start): no ORM
# objects to build. Nothing is cached: other processes may change a subscription at any moment.
_CHANNELS = NoticeChannelRow.__table__
_CHANNEL_BY_SCOPE = DriverStatement(
    select(_CHANNELS.c.id, _CHANNELS.c.scope, _CHANNELS.c.kind, _CHANNELS.c.conversation_id, _CHANNELS.c.reference,
           _CHANNELS.c.active, _CHANNELS.c.subscribed_by_name, _CHANNELS.c.subscribed_at, _CHANNELS.c.off_reason)
    .where(_CHANNELS.c.scope == bindparam("scope")))
_HOME_TEAMS = HomeTeamRow.__table__
_HOME_TEAM_OF = select(_HOME_TEAMS.c.team_id).where(_HOME_TEAMS.c.user_id == bindparam("user_id"))


def _channel(row) -> NoticeChannel:
    return NoticeChannel(row.id, row.scope, row.kind, row.conversation_id, row.reference, row.active,
                         row.subscribed_by_name, utc(row.subscribed_at), row.off_reason)


def scope_of_case(case: Case) -> str | None:
    """The scope whose channel hears about a case: its team, else its group chat."""
    return case.team_id or case.conversation_id


async def channel_in(session: AsyncSession, scope: str | None) -> NoticeChannel | None:
    if not scope:
        return None
    row = await session.scalar(select(NoticeChannelRow).where(NoticeChannelRow.scope == scope))
    return None if row is None else _channel(row)


async def notice_channel_of(session: AsyncSession, scope: str | None) -> NoticeChannel | None:
    """`channel_in` as one Core statement on the session's connection, for the case event listener
    (same transaction, so it sees the channel as the case's own transaction does)."""
    if not scope:
        return None
    conn = await session.connection()
    rows = await _CHANNEL_BY_SCOPE.rows(conn, {"scope": scope})
    return _channel(rows[0]) if rows else None


class Subscriptions:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions

    async def subscribe(self, *, scope: str, kind: str, conversation_id: str, reference: str, actor_id: str,
                        actor_name: str, now: datetime) -> NoticeChannel:
        values = dict(scope=scope, kind=kind, conversation_id=conversation_id, reference=reference, active=True,
                      off_reason=None, subscribed_by_id=actor_id, subscribed_by_name=actor_name, subscribed_at=now, updated_at=now)
        async with self._sessions.begin() as session:
            before = await channel_in(session, scope)
            await session.execute(upsert(session, NoticeChannelRow, values, index_elements=["scope"],
                                         update_columns=[k for k in values if k != "scope"]))
            if before is not None and before.conversation_id != conversation_id:
                # The notices moved to another channel: the case cards in the old one are not updated
                # any more; the next event of each case posts a fresh card here.
                await session.execute(delete(CaseCardRow).where(CaseCardRow.channel_id == before.id))
            return await channel_in(session, scope)

    async def unsubscribe(self, scope: str, now: datetime) -> bool:
        """Switch the scope's notices off; True when they were on."""
        async with self._sessions.begin() as session:
            row = await session.scalar(select(NoticeChannelRow).where(NoticeChannelRow.scope == scope))
            if row is None or not row.active:
                return False
            row.active, row.off_reason, row.updated_at = False, OFF_BY_STAFF, now
            return True

    async def bot_removed(self, *, channel_id: int | None = None, scope: str | None = None,
                          now: datetime) -> tuple[NoticeChannel, int] | None:
        """The bot is no longer in the channel's team or chat: switch its notices off and cancel
        the pending ones, in one transaction. The channel and the number cancelled, or None when
        there was no such channel."""
        async with self._sessions.begin() as session:
            if channel_id is not None:
                row = await session.get(NoticeChannelRow, channel_id)
            else:
                row = await session.scalar(select(NoticeChannelRow).where(NoticeChannelRow.scope == scope))
            if row is None:
                return None
            if row.active or row.off_reason != OFF_BOT_REMOVED:
                row.active, row.off_reason, row.updated_at = False, OFF_BOT_REMOVED, now
            cancelled = await session.execute(
                update(NoticeRow).where(NoticeRow.channel_id == row.id, NoticeRow.status == PENDING)
                .values(status=CANCELLED, finished_at=now, claimed_until=None, claimed_by=None,
                        last_error="the bot was removed from the team or chat"))
            return _channel(row), cancelled.rowcount or 0

    async def channel(self, scope: str | None) -> NoticeChannel | None:
        async with self._sessions() as session:
            return await channel_in(session, scope)

    async def channel_by_id(self, channel_id: int) -> NoticeChannel | None:
        async with self._sessions() as session:
            row = await session.get(NoticeChannelRow, channel_id)
            return None if row is None else _channel(row)

    async def active_channels(self) -> list[NoticeChannel]:
        async with self._sessions() as session:
            rows = await session.scalars(select(NoticeChannelRow).where(NoticeChannelRow.active.is_(True))
                                         .order_by(NoticeChannelRow.id))
            return [_channel(row) for row in rows]

    # --- home teams ----------------------------------------------------------------------------

    async def home_team(self, user_id: str) -> str | None:
        return await home_team_for(self._sessions, user_id)

    async def note_team_use(self, user_id: str, team_id: str, now: datetime, *, pin: bool = False) -> None:
        """The user used the bot in a channel of `team_id` (or pinned it with `mitt team`)."""
        try:
            async with self._sessions.begin() as session:
                row = await session.get(HomeTeamRow, user_id)
                if row is None:
                    session.add(HomeTeamRow(user_id=user_id, team_id=team_id, pinned=pin, updated_at=now))
                elif pin or (not row.pinned and row.team_id != team_id):
                    row.team_id, row.pinned, row.updated_at = team_id, pin or row.pinned, now
                elif utc(row.updated_at) < now - _SEEN_REFRESH:
                    row.updated_at = now  # still here: retention keeps the row (once a day is enough)
        except IntegrityError:
            pass  # the same user's other message inserted the row a moment ago: both name the same team


async def purge_idle_channels(session: AsyncSession, cutoff: datetime) -> int:
    """Forget notice channels untouched since `cutoff` whose team or chat has no case activity since."""
    scope = NoticeChannelRow.scope
    result = await session.execute(delete(NoticeChannelRow).where(NoticeChannelRow.updated_at < cutoff,
                                                                  ~repository.case_touched_in(scope, cutoff)))
    return result.rowcount or 0


async def purge_idle_home_teams(session: AsyncSession, cutoff: datetime) -> int:
    """Forget the home teams of people who have neither used the bot in a channel nor acted on a case since."""
    result = await session.execute(delete(HomeTeamRow).where(HomeTeamRow.updated_at < cutoff,
                                                             ~repository.acted_on_a_case(HomeTeamRow.user_id, cutoff)))
    return result.rowcount or 0


async def home_team_for(sessions: async_sessionmaker, actor_id: str) -> str | None:
    """The team a user's personal-chat cases belong to, if they have one yet."""
    async with reading(reader_of(sessions)) as conn:  # one read, no transaction around it
        return (await conn.execute(_HOME_TEAM_OF, {"user_id": actor_id})).scalar()
