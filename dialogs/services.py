"""What the dialogs need from the rest of the bot, passed in rather than imported as globals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from botbuilder.core import ConversationState, TurnContext
from botbuilder.schema import Activity

from bot.cases.service import CaseService
from bot.teams import identity
from bot.config import Settings
from bot.domain import Actor, Case


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    settings: Settings
    cases: CaseService
    knowledge: Callable[[], object]  # gives bot.knowledge.KnowledgeBase, built on first use
    conversation_state: ConversationState
    clock: Callable[[], datetime] = _utc_now

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


def actor_of(activity: Activity) -> Actor:
    """The sender, identified by what Teams vouches for (see bot/teams/identity.py)."""
    return identity.actor_of(activity)


@dataclass(frozen=True)
class Place:
    """Where a message came from: a team channel, a group chat, or a personal chat."""

    kind: str  # channel | groupChat | personal
    conversation_id: str
    team_id: str | None

    @property
    def is_shared(self) -> bool:
        return self.kind in ("channel", "groupChat")


def place_of(activity: Activity) -> Place:
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    base_id = (conversation.id or "").split(";", 1)[0]  # a channel thread id carries ";messageid=…"
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = channel_data.get("team") if isinstance(channel_data.get("team"), dict) else {}
    team_id = team.get("id") if kind == "channel" else None
    return Place(kind, base_id, team_id)


def may_access(case: Case, actor: Actor, place: Place) -> bool:
    """A case is seen and changed within its team (or group chat), or by the people who belong to it:
    its creator and everyone who acted on it."""
    if case.team_id and place.team_id == case.team_id:
        return True
    if place.is_shared and case.conversation_id == place.conversation_id:
        return True
    return actor.id in case.participants
