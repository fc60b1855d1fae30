"""Replies that any dialog or the router may send: the help card and quick answers."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext

from bot.domain import contains_personal_number
from bot.teams.activity import card_activity
from cards.answer import answer_card
from cards.help import help_card
from dialogs.commands import ROUTINE_COMMANDS

from . import wording as w
from .intake import routine_titles

log = logging.getLogger(__name__)


class Replies:
    def __init__(self, routines: dict, knowledge) -> None:
        """`knowledge`: a callable giving the KnowledgeBase (built on first use), or None."""
        self._routines = routines
        self._knowledge = knowledge
        self._commands = {key: command for command, key in ROUTINE_COMMANDS}

    async def send_help(self, context: TurnContext) -> None:
        await context.send_activity(card_activity(help_card(routine_titles(self._routines))))

    async def send_answer(self, context: TurnContext, question: str) -> None:
        if contains_personal_number(question):
            await context.send_activity(w.PERSONAL_DATA_IN_QUESTION)
            return
        answer = self._knowledge().answer(question) if self._knowledge is not None else None
        if answer is None:
            await context.send_activity(w.NOT_UNDERSTOOD)
            await self.send_help(context)
            return
        routine = None
        if answer.routine and answer.routine in self._routines:
            routine = (self._commands[answer.routine], self._routines[answer.routine].title)
        await context.send_activity(card_activity(answer_card(answer, routine)))
