"""A quick answer: the page's passages with their section, the contacts as links, the routine
to start, or the nearest sections to choose from ("Menade du")."""

from __future__ import annotations

from . import wording as w
from .base import adaptive_card, open_url, submit, subtle, text_block

MAX_SUGGESTIONS = 3


def answer_card(answer, routine: tuple[str, str] | None = None) -> dict:
    """`answer`: a bot.knowledge Answer. `routine`: (command, title) of a routine to offer,
    if the question was about doing one."""
    body = []
    for block in answer.blocks or ():
        if block.title:
            body.append(text_block(block.title, weight="Bolder"))
        body.append(text_block("\n\n".join(block.lines), spacing="Small" if block.title else "Default"))
    if not body:
        body.append(text_block(answer.text))
    for note in getattr(answer, "notes", ()):
        body.append(text_block(note, size="Small", weight="Bolder"))
    if answer.section:
        body.append(subtle(w.ANSWER_SOURCE.format(section=answer.section)))
    actions = [open_url(contact.label, contact.url) for contact in answer.contacts]
    if answer.suggestions:
        body.append(text_block(w.ANSWER_DID_YOU_MEAN, weight="Bolder"))
        actions += [submit(s.title, {"command": s.question}) for s in answer.suggestions[:MAX_SUGGESTIONS]]
    elif routine:
        actions.append(submit(w.ANSWER_START.format(routine=routine[1]), {"command": routine[0]}))
    return adaptive_card(body, actions or None)
