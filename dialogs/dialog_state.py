"""Whose dialog a message continues.

In a personal chat there is one person and one dialog stack. In a channel thread or a group chat
several people talk to the bot in the same conversation: each of them has a dialog stack of their
own, so Bo's "ja" can never answer the question of Anna's intake, and Bo can start an intake of his
own beside hers.
"""

from __future__ import annotations

from botbuilder.core import ConversationState, StatePropertyAccessor, TurnContext
from botbuilder.dialogs import DialogState

from bot.teams.activity import place_of
from bot.teams.identity import actor_of


class DialogStateByPerson(StatePropertyAccessor):
    """The DialogSet's state accessor: the conversation's stack in a personal chat, the sender's
    own stack in a shared conversation."""

    def __init__(self, conversation_state: ConversationState) -> None:
        self._single = conversation_state.create_property("DialogState")
        self._by_person = conversation_state.create_property("DialogStates")

    async def get(self, turn_context: TurnContext, default_value_or_factory=None):
        if not _shared(turn_context):
            return await self._single.get(turn_context, default_value_or_factory)
        stacks = await self._by_person.get(turn_context, dict)
        person = _person(turn_context)
        if person not in stacks:
            default = default_value_or_factory() if callable(default_value_or_factory) else default_value_or_factory
            if default is None:
                return None
            stacks[person] = default
        return stacks[person]

    async def set(self, turn_context: TurnContext, value) -> None:
        if not _shared(turn_context):
            await self._single.set(turn_context, value)
            return
        stacks = await self._by_person.get(turn_context, dict)
        stacks[_person(turn_context)] = value

    async def delete(self, turn_context: TurnContext) -> None:
        if not _shared(turn_context):
            await self._single.delete(turn_context)
            return
        stacks = await self._by_person.get(turn_context, dict)
        stacks.pop(_person(turn_context), None)

    async def forget_if_idle(self, turn_context: TurnContext) -> None:
        """Drop the sender's empty stack, so a busy channel thread does not keep one per passer-by."""
        if not _shared(turn_context):
            return
        stacks = await self._by_person.get(turn_context, dict)
        person = _person(turn_context)
        state = stacks.get(person)
        if isinstance(state, DialogState) and not state.dialog_stack:
            del stacks[person]

    async def someone_else_is_answering(self, turn_context: TurnContext) -> bool:
        """Someone other than the sender is in the middle of an intake in this conversation."""
        if not _shared(turn_context):
            return False
        stacks = await self._by_person.get(turn_context, dict)
        person = _person(turn_context)
        return any(isinstance(state, DialogState) and state.dialog_stack
                   for other, state in stacks.items() if other != person)


def _shared(turn_context: TurnContext) -> bool:
    return place_of(turn_context.activity).is_shared


def _person(turn_context: TurnContext) -> str:
    return actor_of(turn_context.activity).id
