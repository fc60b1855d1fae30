"""What staff type about notices: `notiser här`, `notiser av`, `notiser`, `mitt team`; the bot
being added to a team; and noting each user's home team as they use the bot in channels."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Awaitable, Callable

from bot.teams.activity import fold, message_text
from bot.teams.identity import actor_of
from cards import notices as cards

from bot.notifications import wording as w
from bot.teams.delivery import card_activity, channel_reference
from bot.notifications.outbox import CANCELLED, PENDING, Outbox, utc
from bot.notifications.subscriptions import Subscriptions

log = logging.getLogger(__name__)

MY_TEAM_WORDS = {"mitt team", "mitt teamet", "vart team", "detta ar mitt team"}


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _place(activity) -> tuple[str, str, str | None]:
    """(kind, conversation id without thread, team id) of an activity."""
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    conversation_id = (conversation.id or "").split(";", 1)[0] if conversation else ""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team") if isinstance(data.get("team"), dict) else {}
    return kind, conversation_id, team.get("id") if kind == "channel" else None


def _actor(activity) -> tuple[str, str]:
    actor = actor_of(activity)
    return actor.id, actor.name


class NoticeCommands:
    def __init__(self, subscriptions: Subscriptions, outbox: Outbox, *,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._subscriptions = subscriptions
        self._outbox = outbox
        self._clock = clock

    # --- the Router's `notices=` interface ----------------------------------------------------------

    async def handle_command(self, context, kind: str) -> None:
        if kind == "notices_here":
            await self._subscribe_here(context)
        elif kind == "notices_off":
            await self._switch_off(context)
        else:
            await self._show_status(context)

    async def _subscribe_here(self, context) -> None:
        kind, conversation_id, team_id = _place(context.activity)
        if kind not in ("channel", "groupChat"):
            await context.send_activity(w.ONLY_IN_SHARED)
            return
        await self.subscribe(context)
        await context.send_activity(w.SUBSCRIBED)

    async def subscribe(self, context) -> None:
        activity = context.activity
        kind, conversation_id, team_id = _place(activity)
        actor_id, actor_name = _actor(activity)
        now = self._clock()
        channel = await self._subscriptions.subscribe(
            scope=team_id or conversation_id, kind=kind, conversation_id=conversation_id,
            reference=channel_reference(activity), actor_id=actor_id, actor_name=actor_name, now=now)
        if team_id:
            await self._subscriptions.note_team_use(actor_id, team_id, now)
        log.info("notice channel %d subscribed (activity id=%s)", channel.id, activity.id)

    async def _switch_off(self, context) -> None:
        kind, conversation_id, team_id = _place(context.activity)
        scope = team_id or conversation_id
        if kind not in ("channel", "groupChat"):
            await context.send_activity(w.ONLY_IN_SHARED)
            return
        switched = await self._subscriptions.unsubscribe(scope, self._clock())
        log.info("notices switched off for a %s (activity id=%s, were on: %s)", kind, context.activity.id, switched)
        await context.send_activity(w.UNSUBSCRIBED if switched else w.NOT_SUBSCRIBED)

    async def _show_status(self, context) -> None:
        kind, conversation_id, team_id = _place(context.activity)
        if kind == "personal":
            team_id = await self._subscriptions.home_team(_actor(context.activity)[0])
            if team_id is None:
                await context.send_activity(w.NO_HOME_TEAM)
                return
        channel = await self._subscriptions.channel(team_id or conversation_id)
        if channel is None:
            await context.send_activity(card_activity(cards.status_card(None, 0, [])))
            return
        counts = await self._outbox.counts(channel.id)
        failed = [cards.FailedNotice(row.kind, row.case_reference, utc(row.created_at), row.attempts,
                                     row.last_error or "")
                  for row in await self._outbox.failed(channel.id)]
        retrying, last_error = await self._outbox.retrying(channel.id)
        status = cards.ChannelStatus(channel.active, channel.conversation_id == conversation_id, channel.kind,
                                     channel.subscribed_by_name, channel.subscribed_at,
                                     bot_removed=channel.bot_removed, cancelled=counts.get(CANCELLED, 0))
        card = cards.status_card(status, counts.get(PENDING, 0), failed, retrying=retrying, last_error=last_error)
        await context.send_activity(card_activity(card))

    # --- LarmlotsenBot's on_bot_added hook --------------------------------------------------------

    async def on_bot_added(self, context) -> None:
        """The bot was added to a team (or group chat): that conversation becomes the notice channel,
        unless the team already chose one."""
        kind, conversation_id, team_id = _place(context.activity)
        if kind not in ("channel", "groupChat"):
            return
        existing = await self._subscriptions.channel(team_id or conversation_id)
        if existing is not None and not existing.bot_removed:
            return  # re-added, or another channel was chosen with `notiser här`: keep the choice
        # Silently: the handler has just greeted the team, and `notiser` tells where notices go.
        await self.subscribe(context)

    # --- LarmlotsenBot's on_bot_removed hook ------------------------------------------------------

    async def on_bot_removed(self, context) -> None:
        """The bot was uninstalled from, or removed from, a team or group chat: its notice channel
        is switched off and the notices still waiting are cancelled (shown by `notiser`)."""
        kind, conversation_id, team_id = _place(context.activity)
        if kind not in ("channel", "groupChat"):
            return
        outcome = await self._subscriptions.bot_removed(scope=team_id or conversation_id, now=self._clock())
        if outcome is None:
            log.info("the bot was removed from a %s without a notice channel (activity id=%s)", kind,
                     context.activity.id)
            return
        channel, cancelled = outcome
        log.warning("the bot was removed from a %s: notices of channel %d switched off, %d pending notice(s) "
                    "cancelled (activity id=%s)", kind, channel.id, cancelled, context.activity.id)

    # --- home teams ---------------------------------------------------------------------------------

    def track_home_team(self, handler: Callable[[object], Awaitable[None]]) -> Callable[[object], Awaitable[None]]:
        """Wrap the message handler: note the team of every channel message, and answer `mitt team`."""

        async def on_message(context) -> None:
            activity = context.activity
            kind, _, team_id = _place(activity)
            if fold(message_text(activity)) in MY_TEAM_WORDS and not activity.value:
                await self._set_my_team(context, team_id)
                return
            if team_id:
                await self._subscriptions.note_team_use(_actor(activity)[0], team_id, self._clock())
            await handler(context)

        return on_message

    async def _set_my_team(self, context, team_id: str | None) -> None:
        if not team_id:
            await context.send_activity(w.HOME_TEAM_ONLY_IN_CHANNEL)
            return
        await self._subscriptions.note_team_use(_actor(context.activity)[0], team_id, self._clock(), pin=True)
        log.info("home team pinned (activity id=%s)", context.activity.id)
        await context.send_activity(w.HOME_TEAM_SET)
