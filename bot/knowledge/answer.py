"""What a quick answer is made of: quoted blocks, tappable contacts, and what else to offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ANSWERED, NOT_ON_PAGE, SUGGEST = "answer", "not_on_page", "suggest"


@dataclass(frozen=True)
class Block:
    """Lines quoted from the page, under an optional short title of the bot's own
    ("Larm med grå knapp på undersidan") that tells two variants apart."""

    lines: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True)
class AnswerContact:
    """An e-mail address or phone number as a tappable link."""

    kind: Literal["email", "phone"]
    label: str  # Swedish button title
    value: str  # the address or number as the page writes it
    url: str  # mailto: (with a subject) or tel:


@dataclass(frozen=True)
class Suggestion:
    """A "Menade du" button: its title and the text it sends back as a question."""

    title: str
    question: str


@dataclass(frozen=True)
class Answer:
    """A quick answer. `kind` is "answer" (quoted from the page), "not_on_page" (the page
    does not say; `text` says so) or "suggest" (no confident answer; `suggestions` offers the
    nearest sections). `text` is the blocks' lines joined; `section` the page heading they
    stand under; `routine` the routine the bot may offer to start; `score` the ranking score;
    `notes` words of the bot's own that go with the passages (never part of `text`)."""

    text: str
    section: str
    routine: str | None
    score: float
    kind: str = ANSWERED
    blocks: tuple[Block, ...] = ()
    contacts: tuple[AnswerContact, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    # The bot's own words shown with the passages, from the routine data: where the page's
    # channel for what they say is a link the bot does not have (the alarm chain's e-service).
    notes: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return self.kind == ANSWERED
