"""The base of every routine dialog: 'avbryt', 'hjälp' and quick questions work at any question.

A question or the help card never loses the step the user is on; 'avbryt' leaves the dialog; a
button from another card (a command or a checklist action) ends the intake and is handled afresh
by the router.
"""

from __future__ import annotations

from botbuilder.dialogs import ComponentDialog, Dialog, DialogContext, DialogTurnResult, DialogTurnStatus

from bot.teams.activity import message_text, submitted_value
from dialogs.commands import parse_command

from . import wording as w

REROUTE = "reroute"


class InterruptibleDialog(ComponentDialog):
    def __init__(self, dialog_id: str, replies) -> None:
        super().__init__(dialog_id)
        self._replies = replies  # dialogs.replies.Replies: help card and quick answers

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        interrupted = await self._interrupt(dialog_context)
        if interrupted is not None:
            return interrupted
        return await super().continue_dialog(dialog_context)

    async def _interrupt(self, dc: DialogContext) -> DialogTurnResult | None:
        activity = dc.context.activity
        value = submitted_value(activity)
        if value is not None:
            if "command" in value or "verb" in value:
                await dc.cancel_all_dialogs()
                return DialogTurnResult(DialogTurnStatus.Complete, REROUTE)
            return None
        command = parse_command(message_text(activity))
        if command.kind == "cancel":
            await dc.context.send_activity(w.CANCELLED_INTAKE)
            await dc.cancel_all_dialogs()
            return DialogTurnResult(DialogTurnStatus.Cancelled)
        if command.kind == "help":
            await self._replies.send_help(dc.context)
            return Dialog.end_of_turn
        if command.kind in ("my_cases", "show_case"):
            await dc.cancel_all_dialogs()
            return DialogTurnResult(DialogTurnStatus.Complete, REROUTE)
        if command.kind == "question" and command.rest.endswith("?"):
            await self._replies.send_answer(dc.context, command.rest)
            return Dialog.end_of_turn
        return None


