"""What staff type about notices: `notiser här`, `notiser av`, `notiser`, `mitt team`; the bot
being added to a team; and noting each user's home team as they use the bot in channels."""

from __future__ import annotations

import logging
from datetime import time

from bot.domain.clock import Clock, system_clock, utc
from bot.domain.routines import digest_schedule
from bot.notifications.outbox import CANCELLED, PENDING, Outbox
from bot.notifications.subscriptions import Subscriptions
from bot.teams.activity import card_activity, place_of
from bot.teams.delivery import channel_reference
from bot.teams.identity import actor_of
from cards import notices as cards

from . import wording as w

log = logging.getLogger(__name__)

DEFAULT_DIGEST_TIME = time(8, 30)  # DIGEST_TIME's default (bot/config.py)


class NoticeCommands:
    def __init__(self, subscriptions: Subscriptions, outbox: Outbox, *,
                 clock: Clock = system_clock, digest_time: time = DEFAULT_DIGEST_TIME) -> None:
        self._subscriptions = subscriptions
        self._outbox = outbox
        self._clock = clock
        # When the digest comes is a setting, and is told as one.
        self._digest_schedule = digest_schedule(digest_time)

    # --- the Router's `notices=` interface ----------------------------------------------------------

    async def handle_command(self, context, kind: str) -> None:
        if kind == "notices_here":
            await self._subscribe_here(context)
        elif kind == "notices_off":
            await self._switch_off(context)
        else:
            await self._show_status(context)

    async def _subscribe_here(self, context) -> None:
        if not place_of(context.activity).is_shared:
            await context.send_activity(w.ONLY_IN_SHARED)
            return
        await self.subscribe(context)
        await context.send_activity(w.SUBSCRIBED.format(when=self._digest_schedule))

    async def subscribe(self, context) -> None:
        activity = context.activity
        place, actor = place_of(activity), actor_of(activity)
        now = self._clock()
        channel = await self._subscriptions.subscribe(
            scope=place.team_id or place.conversation_id, kind=place.kind, conversation_id=place.conversation_id,
            reference=channel_reference(activity), actor_id=actor.id, actor_name=actor.name, now=now)
        if place.team_id:
            await self._subscriptions.note_team_use(actor.id, place.team_id, now)
        log.info("notice channel %d subscribed (activity id=%s)", channel.id, activity.id)

    async def _switch_off(self, context) -> None:
        place = place_of(context.activity)
        if not place.is_shared:
            await context.send_activity(w.ONLY_IN_SHARED)
            return
        switched = await self._subscriptions.unsubscribe(place.team_id or place.conversation_id, self._clock())
        log.info("notices switched off for a %s (activity id=%s, were on: %s)", place.kind, context.activity.id,
                 switched)
        await context.send_activity(w.UNSUBSCRIBED if switched else w.NOT_SUBSCRIBED)

    async def _show_status(self, context) -> None:
        place = place_of(context.activity)
        team_id, conversation_id = place.team_id, place.conversation_id
        if place.kind == "personal":
            team_id = await self._subscriptions.home_team(actor_of(context.activity).id)
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
        card = cards.status_card(status, counts.get(PENDING, 0), failed, retrying=retrying, last_error=last_error,
                                 digest_schedule=self._digest_schedule)
        await context.send_activity(card_activity(card))

    # --- LarmlotsenBot's on_bot_added hook --------------------------------------------------------

    async def on_bot_added(self, context) -> None:
        """The bot was added to a team (or group chat): that conversation becomes the notice channel,
        unless the team already chose one."""
        place = place_of(context.activity)
        if not place.is_shared:
            return
        existing = await self._subscriptions.channel(place.team_id or place.conversation_id)
        if existing is not None and not existing.bot_removed:
            return  # re-added, or another channel was chosen with `notiser här`: keep the choice
        # Silently: the handler has just greeted the team, and `notiser` tells where notices go.
        await self.subscribe(context)

    # --- LarmlotsenBot's on_bot_removed hook ------------------------------------------------------

    async def on_bot_removed(self, context) -> None:
        """The bot was uninstalled from, or removed from, a team or group chat: its notice channel
        is switched off and the notices still waiting are cancelled (shown by `notiser`)."""
        place = place_of(context.activity)
        if not place.is_shared:
            return
        outcome = await self._subscriptions.bot_removed(scope=place.team_id or place.conversation_id,
                                                        now=self._clock())
        if outcome is None:
            log.info("the bot was removed from a %s without a notice channel (activity id=%s)", place.kind,
                     context.activity.id)
            return
        channel, cancelled = outcome
        log.warning("the bot was removed from a %s: notices of channel %d switched off, %d pending notice(s) "
                    "cancelled (activity id=%s)", place.kind, channel.id, cancelled, context.activity.id)

    # --- home teams ---------------------------------------------------------------------------------

    async def note_team_use(self, context) -> None:
        """The team of a channel message becomes (or stays) the sender's home team, unless pinned."""
        team_id = place_of(context.activity).team_id
        if team_id:
            await self._subscriptions.note_team_use(actor_of(context.activity).id, team_id, self._clock())

    async def set_my_team(self, context) -> None:
        """`mitt team`: pin the channel's team as the sender's home team."""
        team_id = place_of(context.activity).team_id
        if not team_id:
            await context.send_activity(w.HOME_TEAM_ONLY_IN_CHANNEL)
            return
        await self._subscriptions.note_team_use(actor_of(context.activity).id, team_id, self._clock(), pin=True)
        log.info("home team pinned (activity id=%s)", context.activity.id)
        await context.send_activity(w.HOME_TEAM_SET)
