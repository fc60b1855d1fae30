"""A quick answer from the city's page, with its section, and an offer to start the routine."""

from __future__ import annotations

from . import wording as w
from .base import adaptive_card, submit, subtle, text_block


def answer_card(text: str, section: str, routine: tuple[str, str] | None = None) -> dict:
    """`routine`: (command, title) of a routine to offer, if the question was about doing one."""
    body = [text_block(text), subtle(w.ANSWER_SOURCE.format(section=section))]
    actions = [submit(w.ANSWER_START.format(routine=routine[1]), {"command": routine[0]})] if routine else None
    return adaptive_card(body, actions)
