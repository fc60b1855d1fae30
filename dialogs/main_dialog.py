"""The root dialog: reads what the user wrote (or submitted) and routes it."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot import texts
from bot.text import fold, message_text, submitted_value
from cards.help import help_card


class MainDialog(ComponentDialog):
    def __init__(self) -> None:
        super().__init__(MainDialog.__name__)
        self.add_dialog(WaterfallDialog("route", [self.route_step]))
        self.initial_dialog_id = "route"

    async def route_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        command = fold(_command_text(step.context.activity))
        if command in ("hjalp", "help", "?"):
            await step.context.send_activity(MessageFactory.attachment(help_card()))
        else:
            await step.context.send_activity(texts.NOT_UNDERSTOOD)
        return await step.end_dialog()


def _command_text(activity) -> str:
    """Typed text, or the command a card button submitted (`{"command": "hjälp"}`)."""
    value = submitted_value(activity)
    if value and isinstance(value.get("command"), str):
        return value["command"]
    return message_text(activity)
