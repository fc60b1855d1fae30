"""The conversation's entry point: read what the user asked for (dialogs/commands.py, COMMANDS, in
the order it is tried), answer a running intake or act on it. Every command can also come from a card
button (`{"command": …}`), and every checklist action from a card has a typed twin."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogSet

from bot.teams.activity import card_activity, message_text, place_of, submitted_value
from bot.teams.identity import actor_of
from cards.cases import case_list_card

from . import wording as w
from .admin import AdminCommands
from .card_actions import perform
from .case_actions import CaseActions, Refusal
from .commands import ANSWERS, CANCELS, COMMANDS, LEAVES, Command, during_intake, parse_command
from .dialog_state import DialogStateByPerson
from .intake import IntakeDialog, intake_dialog_id
from .notices import NoticeCommands
from .replies import Replies
from .services import Services

log = logging.getLogger(__name__)

Handler = Callable[[TurnContext, Command], Awaitable[None]]


class Router:
    def __init__(self, services: Services, replies: Replies, actions: CaseActions, notices: NoticeCommands,
                 admin: AdminCommands) -> None:
        self._services = services
        self._replies = replies
        self._actions = actions
        self._notice_commands = notices  # notiser här/av, notiser, mitt team
        self._admin_commands = admin  # statistik, export, gallra
        self._dialog_state = DialogStateByPerson(services.conversation_state)
        self._dialogs = DialogSet(self._dialog_state)
        for routine in services.cases.engine.routines.values():
            self._dialogs.add(IntakeDialog(routine, services, actions))
        # COMMANDS (dialogs/commands.py) names the method that acts on each command.
        self._handlers: dict[str, Handler] = {entry.kind: getattr(self, "_" + entry.handler) for entry in COMMANDS}

    async def on_message(self, context: TurnContext) -> None:
        try:
            await self._on_message(context)
        finally:
            await self._dialog_state.forget_if_idle(context)

    async def _on_message(self, context: TurnContext) -> None:
        """In order: the sender's team is noted; a card's checklist button or intake answer is taken;
        anything typed (or a card's `command`) goes through COMMANDS, and while the sender's intake
        waits for an answer, the command's `during_intake` decides whether it is that answer."""
        await self._notice_commands.note_team_use(context)
        dialog_context = await self._dialogs.create_context(context)
        intake_waiting = dialog_context.active_dialog is not None
        value = submitted_value(context.activity)
        if value is not None and not ("command" in value or "verb" in value):
            if intake_waiting:
                await dialog_context.continue_dialog()  # an intake card's answer
                return
            if "intake" in value:
                others = await self._dialog_state.someone_else_is_answering(context)
                await context.send_activity(w.OTHERS_INTAKE if others else w.STALE_INTAKE)
                return
        if value is not None and intake_waiting:
            await dialog_context.cancel_all_dialogs()  # a button from another card ends the intake
            intake_waiting = False
        if value is not None and isinstance(value.get("verb"), str):
            await self._card_action_without_invoke(context, value)
            return
        text = value["command"] if value and isinstance(value.get("command"), str) else message_text(context.activity)
        command = parse_command(text)
        if intake_waiting:
            mode = during_intake(command)
            if mode == ANSWERS:
                await dialog_context.continue_dialog()
                return
            if mode == CANCELS:
                await context.send_activity(w.CANCELLED_INTAKE)
                await dialog_context.cancel_all_dialogs()
                return
            if mode == LEAVES:
                await dialog_context.cancel_all_dialogs()
        elif _looks_like_an_answer(command) and await self._dialog_state.someone_else_is_answering(context):
            await context.send_activity(w.OTHERS_INTAKE)  # not theirs to answer; nothing changes
            return
        try:
            await self._handlers[command.kind](context, command)
        except Refusal as refusal:
            await context.send_activity(refusal.message)

    # --- the handlers of COMMANDS -------------------------------------------------------------------

    async def _set_my_team(self, context: TurnContext, command: Command) -> None:
        await self._notice_commands.set_my_team(context)

    async def _help(self, context: TurnContext, command: Command) -> None:
        await self._replies.send_help(context)

    async def _nothing_to_cancel(self, context: TurnContext, command: Command) -> None:
        await context.send_activity(w.NOTHING_TO_CANCEL)

    async def _start_intake(self, context: TurnContext, command: Command) -> None:
        dialog_context = await self._dialogs.create_context(context)
        await dialog_context.begin_dialog(intake_dialog_id(command.routine))

    async def _answer(self, context: TurnContext, command: Command) -> None:
        await self._replies.send_answer(context, command.rest)

    async def _admin(self, context: TurnContext, command: Command) -> None:
        await self._admin_commands.handle(context, command)

    async def _notices(self, context: TurnContext, command: Command) -> None:
        await self._notice_commands.handle_command(context, command.kind)

    # --- cases --------------------------------------------------------------------------------

    async def _list_cases(self, context: TurnContext, command: Command) -> None:
        place = place_of(context.activity)
        cases = self._services.cases
        if place.is_shared:
            found = await cases.open_cases_for_team(team_id=place.team_id, conversation_id=place.conversation_id)
        else:
            found = await cases.open_cases_for_user(actor_of(context.activity).id)
        rows = [(case, self._actions.next_deadline(case)) for case in found]
        card = case_list_card(rows, self._services.clock(), team=place.is_shared,
                              closing_basis=cases.engine.closing_basis())
        await context.send_activity(card_activity(card))

    async def _show_case(self, context: TurnContext, command: Command) -> None:
        case = await self._actions.load(command.reference, actor_of(context.activity), place_of(context.activity))
        await self._services.set_focus(context, case.reference)
        await context.send_activity(card_activity(self._actions.card(case)))

    async def _reference(self, context: TurnContext, command: Command) -> str:
        reference = command.reference or await self._services.focused_reference(context)
        if reference is None:
            raise Refusal(w.NO_FOCUS)
        return reference

    async def _typed_done(self, context: TurnContext, command: Command) -> None:
        reference = await self._reference(context, command)
        actor, place = actor_of(context.activity), place_of(context.activity)
        case = await self._actions.load(reference, actor, place)
        step = _step_to_complete(case, command.rest)
        outcome = await self._actions.complete(reference, step.id, actor, place)
        await self._services.set_focus(context, outcome.case.reference)
        # The confirmation and the next step, not the whole card again (`ärende TL-…` shows that).
        await context.send_activity(card_activity(self._actions.short_card(outcome.case, outcome.message),
                                                  self._actions.with_form_links(outcome.message)))

    async def _typed_undo(self, context: TurnContext, command: Command) -> None:
        if not command.rest:
            raise Refusal(w.UNDO_NEEDS_REASON)
        reference = await self._reference(context, command)
        outcome = await self._actions.undo(reference, command.rest, actor_of(context.activity), place_of(context.activity))
        await self._reply_with_card(context, outcome)

    async def _typed_close(self, context: TurnContext, command: Command) -> None:
        reference = await self._reference(context, command)
        outcome = await self._actions.close(reference, actor_of(context.activity), place_of(context.activity))
        await self._reply_with_card(context, outcome)

    async def _typed_decline(self, context: TurnContext, command: Command) -> None:
        reference = await self._reference(context, command)
        outcome = await self._actions.decline(reference, command.rest, actor_of(context.activity),
                                              place_of(context.activity))
        await self._reply_with_card(context, outcome)

    async def _reply_with_card(self, context: TurnContext, outcome) -> None:
        await self._services.set_focus(context, outcome.case.reference)
        await context.send_activity(card_activity(self._actions.card(outcome.case), outcome.message))

    async def _card_action_without_invoke(self, context: TurnContext, value: dict) -> None:
        """The Action.Submit fallback of a checklist button (clients without Universal Actions): the
        same code path as the invoke."""
        reply = await perform(self._actions, context, value.get("verb"), value)
        await context.send_activity(reply.as_message())


def _looks_like_an_answer(command: Command) -> bool:
    """Words that are no command and no question: in a thread where a colleague is answering an
    intake's questions, they read as an answer to one of those."""
    return command.kind == "question" and not command.rest.rstrip().endswith("?")


def _step_to_complete(case, wanted_label: str):
    available = case.available_steps
    if not available and case.is_open and case.is_complete:
        done = case.routine.done_message or ""
        raise Refusal(w.ALL_STEPS_DONE.format(ref=case.reference, done=done))
    if not available:
        raise Refusal(w.NO_STEP_AVAILABLE.format(ref=case.reference))
    label = wanted_label.strip().upper().rstrip(".")
    if label:
        step = next((s for s in case.steps if case.label(s.id) == label), None)
        if step is None:
            raise Refusal(w.UNKNOWN_STEP_LABEL.format(ref=case.reference, label=label))
        return step  # the engine refuses it, with the reason, if it is out of order
    return case.next_step
