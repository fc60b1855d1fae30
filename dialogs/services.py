"""What the dialogs need from the rest of the bot, passed in by the composition root
(bot/composition.py) rather than imported as globals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Awaitable, Callable

from botbuilder.core import ConversationState, TurnContext

from bot.cases.retention import RetentionResult
from bot.cases.service import CaseService
from bot.config import Settings
from bot.domain.clock import Clock, system_clock
from bot.notifications.subscriptions import Subscriptions
from bot.teams.identity import actor_of

if TYPE_CHECKING:  # imported when the first question is asked: an idle bot need not load it
    from bot.knowledge import KnowledgeBase


@dataclass
class Services:
    settings: Settings
    cases: CaseService
    knowledge: Callable[[], "KnowledgeBase"]  # built on first use
    conversation_state: ConversationState
    subscriptions: Subscriptions  # the users' home teams (a personal-chat case belongs to one)
    purge: Callable[[datetime], Awaitable[RetentionResult]]  # one retention round (`gallra`)
    clock: Clock = system_clock

    def __post_init__(self) -> None:
        # Which case each user is working on in this conversation ("klar" acts on it).
        self.focus = self.conversation_state.create_property("CaseFocus")

    async def focused_reference(self, context: TurnContext) -> str | None:
        focus = await self.focus.get(context, dict)
        return focus.get(actor_of(context.activity).id)

    async def set_focus(self, context: TurnContext, reference: str) -> None:
        focus = await self.focus.get(context, dict)
        focus[actor_of(context.activity).id] = reference
        await self.focus.set(context, focus)
