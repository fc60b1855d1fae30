"""Everything a user can type, in the order it is tried: one table (`COMMANDS`) that says how each
command is recognised, what it does while an intake waits for an answer, and which Router method acts
on it. The same table reads the `command` of a card button.

Matching is tolerant: any case, missing å/ä/ö, and small typos ("aterlamna larm", "utforarbyte",
"ny bestälning") still find the routine. A card's checklist buttons (`verb`) and an intake card's
answers are not typed: dialogs/router.py takes them before this table.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

from bot.domain.reference import find_reference, without_reference
from bot.teams.activity import fold

# (what staff type, routine key), in the order the help card lists them.
ROUTINE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("ny beställning", "new_order"),
    ("utförarbyte", "provider_change"),
    ("flytt", "move"),
    ("övertagande", "takeover"),
    ("avslut", "termination"),
    ("återlämna larm", "return_alarm"),
    ("larmkedja", "alarm_chain"),
)
_ROUTINE_ALIASES = {
    "ny bestallning": "new_order", "nybestallning": "new_order", "ny order": "new_order",
    "utforarbyte": "provider_change", "byte av utforare": "provider_change", "byta utforare": "provider_change",
    "flytt": "move", "kunden flyttar": "move",
    "overtagande": "takeover", "overtag": "takeover",
    "avslut": "termination", "avsluta larm": "termination", "avslut av trygghetslarm": "termination",
    "aterlamna larm": "return_alarm", "aterlamning": "return_alarm", "aterlamna trygghetslarm": "return_alarm",
    "aterlamning av larm": "return_alarm", "lamna tillbaka larm": "return_alarm",
    "larmkedja": "alarm_chain", "larmkedjan": "alarm_chain", "andring i larmkedjan": "alarm_chain",
    "andringar i larmkedjan": "alarm_chain",
}
_TYPO_CUTOFF = 0.82
_LONGEST_NAME = 40


@dataclass(frozen=True)
class Command:
    kind: str  # a `kind` of COMMANDS below
    routine: str | None = None
    reference: str | None = None
    rest: str = ""  # the reason after 'ångra', the step after 'klar', the question text


@dataclass(frozen=True)
class Typed:
    """A message as the recognisers read it."""

    text: str  # as typed, trimmed
    folded: str  # lower case, without diacritics and punctuation
    first: str  # the first folded word
    tail: str  # the folded words after it
    original_tail: str  # the words after the first, as typed
    reference: str | None  # a case reference anywhere in it, written the canonical way

    @classmethod
    def read(cls, text: str) -> "Typed":
        folded = fold(text)
        first, _, tail = folded.partition(" ")
        return cls(text.strip(), folded, first, tail, text.strip().partition(" ")[2].strip(), find_reference(text))


# What a command does while the sender's intake waits for an answer:
STAYS = "stays"  # answered at once; the intake keeps waiting for its answer
LEAVES = "leaves"  # the intake ends unfinished, then the command is handled
CANCELS = "cancels"  # ends the intake, and says so
ANSWERS = "answers"  # the words are the answer to the intake's question
ASKS = "asks"  # a question (ends with '?') is answered and the intake keeps waiting; other words answer it

Recognise = Callable[[Typed], "Command | None"]


def _phrases(kind: str, *phrases: str) -> Recognise:
    def recognise(typed: Typed) -> Command | None:
        return Command(kind) if typed.folded in phrases else None

    return recognise


def _show_case(typed: Typed) -> Command | None:
    if typed.first in ("arende", "visa") and typed.reference:
        return Command("show_case", reference=typed.reference)
    return None


def _done(typed: Typed) -> Command | None:
    if typed.first in ("klar", "klart", "done", "klara"):
        return Command("done", reference=typed.reference, rest=without_reference(typed.tail))
    return None


def _undo(typed: Typed) -> Command | None:
    if typed.first in ("angra", "undo"):
        return Command("undo", reference=typed.reference, rest=without_reference(typed.original_tail))
    return None


def _close(typed: Typed) -> Command | None:
    if typed.folded.startswith(("avsluta arendet", "stang arendet", "avsluta arende")):
        return Command("close", reference=typed.reference)
    return None


def _decline(typed: Typed) -> Command | None:
    if not (typed.first.startswith("avboj") or typed.folded.startswith("tacka nej")):
        return None
    skipped = 2 if typed.folded.startswith("tacka nej") else 1
    reason = " ".join(typed.text.split()[skipped:])
    return Command("decline", reference=typed.reference, rest=without_reference(reason))


def _export(typed: Typed) -> Command | None:
    return Command("export", rest=typed.tail) if typed.first in ("export", "exportera") else None


def _start(typed: Typed) -> Command | None:
    routine = routine_key_for(typed.text)
    return Command("start", routine=routine) if routine else None


def _bare_reference(typed: Typed) -> Command | None:
    if typed.reference and len(typed.folded.split()) <= 2:
        return Command("show_case", reference=typed.reference)
    return None


def _question(typed: Typed) -> Command:
    return Command("question", rest=typed.text)


@dataclass(frozen=True)
class Entry:
    kind: str
    recognise: Recognise
    during_intake: str  # STAYS | LEAVES | CANCELS | ANSWERS | ASKS
    handler: str  # the Router method that acts on it: Router.<handler>(context, command)


# Tried from the top; the first that recognises the message wins.
COMMANDS: tuple[Entry, ...] = (
    Entry("my_team", _phrases("my_team", "mitt team", "mitt teamet", "vart team", "detta ar mitt team"),
          STAYS, "set_my_team"),
    Entry("help", _phrases("help", "hjalp", "help", "meny"), STAYS, "help"),
    Entry("cancel", _phrases("cancel", "avbryt", "cancel", "sluta"), CANCELS, "nothing_to_cancel"),
    Entry("my_cases", _phrases("my_cases", "mina arenden", "mina arende", "arenden", "oppna arenden",
                               "teamets arenden"), LEAVES, "list_cases"),
    Entry("show_case", _show_case, LEAVES, "show_case"),  # ärende TL-2026-0042
    Entry("done", _done, ANSWERS, "typed_done"),  # klar [steg] [TL-…]
    Entry("undo", _undo, ANSWERS, "typed_undo"),  # ångra <orsak>
    Entry("close", _close, ANSWERS, "typed_close"),  # avsluta ärendet
    Entry("decline", _decline, ANSWERS, "typed_decline"),  # avböj / tacka nej [orsak]
    Entry("export", _export, ANSWERS, "admin"),  # export [från] [till]
    Entry("stats", _phrases("stats", "statistik", "stats"), ANSWERS, "admin"),
    Entry("purge", _phrases("purge", "gallra", "gallring"), ANSWERS, "admin"),
    Entry("notices_here", _phrases("notices_here", "notiser har", "notiser hit"), ANSWERS, "notices"),
    Entry("notices_off", _phrases("notices_off", "notiser av", "stang av notiser"), ANSWERS, "notices"),
    Entry("notices_status", _phrases("notices_status", "notiser", "notisstatus"), ANSWERS, "notices"),
    Entry("start", _start, ANSWERS, "start_intake"),  # a routine's name: ny beställning, flytt, …
    Entry("show_case", _bare_reference, LEAVES, "show_case"),  # TL-2026-0042 on its own
    Entry("question", _question, ASKS, "answer"),  # anything else is a question
)
_ENTRY_OF_KIND = {entry.kind: entry for entry in COMMANDS}


def parse_command(text: str) -> Command:
    typed = Typed.read(text)
    for entry in COMMANDS:
        command = entry.recognise(typed)
        if command is not None:
            return command
    raise AssertionError("the last entry recognises every message")  # pragma: no cover


def entry_for(command: Command) -> Entry:
    return _ENTRY_OF_KIND[command.kind]


def during_intake(command: Command) -> str:
    """What the command does while the sender's intake waits: STAYS, LEAVES, CANCELS or ANSWERS."""
    mode = entry_for(command).during_intake
    if mode == ASKS:
        return STAYS if command.rest.endswith("?") else ANSWERS
    return mode


def routine_key_for(text: str) -> str | None:
    """The routine a whole message names, tolerating case, diacritics and small typos."""
    folded = fold(text)
    if len(folded) > _LONGEST_NAME:
        return None  # a sentence, not a routine's name (and no fuzzy matching of huge texts)
    if folded in _ROUTINE_ALIASES:
        return _ROUTINE_ALIASES[folded]
    close = difflib.get_close_matches(folded, _ROUTINE_ALIASES.keys(), n=1, cutoff=_TYPO_CUTOFF)
    return _ROUTINE_ALIASES[close[0]] if close else None
