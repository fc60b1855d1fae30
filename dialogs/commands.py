"""What a typed message asks for: a routine to start, a command, or a free question.

Matching is tolerant: any case, missing å/ä/ö, and small typos ("aterlamna larm", "utforarbyte",
"ny bestälning") still find the routine. Pure Python: the same parser serves typed text and the
`command` of a card button.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

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
    kind: str  # help | cancel | start | my_cases | show_case | done | undo | close | decline | export | stats | purge | notices_here | notices_off | notices_status | question
    routine: str | None = None
    reference: str | None = None
    rest: str = ""  # the reason after 'ångra', the step after 'klar', the question text


def routine_key_for(text: str) -> str | None:
    """The routine a whole message names, tolerating case, diacritics and small typos."""
    folded = fold(text)
    if len(folded) > _LONGEST_NAME:
        return None  # a sentence, not a routine's name (and no fuzzy matching of huge texts)
    if folded in _ROUTINE_ALIASES:
        return _ROUTINE_ALIASES[folded]
    close = difflib.get_close_matches(folded, _ROUTINE_ALIASES.keys(), n=1, cutoff=_TYPO_CUTOFF)
    return _ROUTINE_ALIASES[close[0]] if close else None


def parse_command(text: str) -> Command:
    folded = fold(text)
    first, _, tail = folded.partition(" ")
    reference = find_reference(text)
    original_tail = text.strip().partition(" ")[2].strip()
    if folded in ("hjalp", "help", "meny", "?"):
        return Command("help")
    if folded in ("avbryt", "cancel", "sluta"):
        return Command("cancel")
    if folded in ("mina arenden", "mina arende", "arenden", "oppna arenden", "teamets arenden"):
        return Command("my_cases")
    if first in ("arende", "visa") and reference:
        return Command("show_case", reference=reference)
    if first in ("klar", "klart", "done", "klara"):
        return Command("done", reference=reference, rest=without_reference(tail))
    if first in ("angra", "undo"):
        return Command("undo", reference=reference, rest=without_reference(original_tail))
    if folded.startswith(("avsluta arendet", "stang arendet", "avsluta arende")):
        return Command("close", reference=reference)
    if first.startswith("avboj") or folded.startswith("tacka nej"):
        skipped = 2 if folded.startswith("tacka nej") else 1
        reason = " ".join(text.strip().split()[skipped:])
        return Command("decline", reference=reference, rest=without_reference(reason))
    if first in ("export", "exportera"):
        return Command("export", rest=tail)
    if folded in ("statistik", "stats"):
        return Command("stats")
    if folded in ("gallra", "gallring"):
        return Command("purge")
    if folded in ("notiser har", "notiser hit"):
        return Command("notices_here")
    if folded in ("notiser av", "stang av notiser"):
        return Command("notices_off")
    if folded in ("notiser", "notisstatus"):
        return Command("notices_status")
    routine = routine_key_for(text)
    if routine:
        return Command("start", routine=routine)
    if reference and len(folded.split()) <= 2:
        return Command("show_case", reference=reference)
    return Command("question", rest=text.strip())
