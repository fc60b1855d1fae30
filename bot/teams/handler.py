"""The Teams activity handler: the thin layer between Teams' activities and the bot's dialogs."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, List

from botbuilder.core import ConversationState, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ChannelAccount
from botbuilder.schema.teams import TeamInfo, TeamsChannelAccount

from . import wording as texts

log = logging.getLogger(__name__)

MessageHandler = Callable[[TurnContext], Awaitable[None]]
CardActionHandler = Callable[[TurnContext], Awaitable[InvokeResponse]]
BotAddedHook = Callable[[TurnContext], Awaitable[None]]


class LarmlotsenBot(TeamsActivityHandler):
    def __init__(
        self,
        conversation_state: ConversationState,
        message_handler: MessageHandler,
        card_action_handler: CardActionHandler | None = None,
        on_bot_added: BotAddedHook | None = None,
        on_bot_removed: BotAddedHook | None = None,
    ) -> None:
        self._conversation_state = conversation_state
        self._message_handler = message_handler
        self._card_action_handler = card_action_handler
        self._on_bot_added = on_bot_added
        self._on_bot_removed = on_bot_removed

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        # Only a turn that ran to the end saves its state: a failed turn leaves none half-written.
        await self._conversation_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._message_handler(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name == "adaptiveCard/action" and self._card_action_handler:
            return await self._card_action_handler(turn_context)
        # The app declares no message extensions, tabs or sign-in: any other invoke is a bad request.
        log.info("unsupported invoke %r (activity id=%s)", turn_context.activity.name, turn_context.activity.id)
        return InvokeResponse(status=400, body={"error": "unsupported invoke"})

    async def on_teams_members_added(
        self,
        teams_members_added: List[TeamsChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if not any(member.id == bot_id for member in teams_members_added):
            return  # people joining a team are not greeted by the bot
        in_team = turn_context.activity.conversation.conversation_type in ("channel", "groupChat")
        await turn_context.send_activity(MessageFactory.text(texts.WELCOME_TEAM if in_team else texts.WELCOME_PERSONAL))
        if self._on_bot_added is not None:
            await self._on_bot_added(turn_context)

    async def on_teams_members_removed(
        self,
        teams_members_removed: List[TeamsChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in teams_members_removed):
            await self._bot_removed(turn_context, "removed from the members")

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._bot_removed(turn_context, "uninstalled")

    async def _bot_removed(self, turn_context: TurnContext, how: str) -> None:
        # Nothing is sent: the bot can no longer post there.
        log.info("the bot was %s (activity id=%s)", how, turn_context.activity.id)
        if self._on_bot_removed is not None:
            await self._on_bot_removed(turn_context)

    async def on_members_added_activity(self, members_added: List[ChannelAccount], turn_context: TurnContext):
        # Non-Teams channels (e.g. a test client) still get the greeting.
        await self.on_teams_members_added(members_added, None, turn_context)

    async def on_unrecognized_activity_type(self, turn_context: TurnContext) -> None:
        log.info("ignored activity id=%s of unknown type %r", turn_context.activity.id, turn_context.activity.type)
