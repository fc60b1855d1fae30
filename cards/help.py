"""The help card: every routine with a button to start it, and what can be typed."""

from __future__ import annotations

from . import wording as w
from .base import adaptive_card, heading, submit, text_block

# The official renderer allows at most five actions in one set; rows of four also read well on mobile.
ROW = 4


def help_card(routines: list[tuple[str, str]]) -> dict:
    """`routines`: (command the user can type, routine title) in the order to show them. The
    buttons carry the short names staff type."""
    buttons = [submit(command[:1].upper() + command[1:], {"command": command}) for command, _ in routines]
    body = [heading(w.HELP_TITLE), text_block(w.HELP_INTRO)]
    body += [{"type": "ActionSet", "actions": buttons[i:i + ROW]} for i in range(0, len(buttons), ROW)]
    body.append(text_block(w.HELP_COMMANDS, spacing="Medium", separator=True))
    return adaptive_card(body)
