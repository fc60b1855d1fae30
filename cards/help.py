"""The help card: every routine with a button to start it, and what can be typed."""

from __future__ import annotations

from . import wording as w
from .base import adaptive_card, heading, submit, text_block


def help_card(routines: list[tuple[str, str]]) -> dict:
    """`routines`: (command the user can type, routine title) in the order to show them."""
    body = [heading(w.HELP_TITLE), text_block(w.HELP_INTRO),
            {"type": "ActionSet", "actions": [submit(title, {"command": command}) for command, title in routines[:6]]}]
    if len(routines) > 6:
        body.append({"type": "ActionSet",
                     "actions": [submit(title, {"command": command}) for command, title in routines[6:]]})
    body.append(text_block(w.HELP_COMMANDS, spacing="Medium", separator=True))
    return adaptive_card(body)
