"""Reading an intake answer, whether it came from a card input or was typed."""

from __future__ import annotations

import difflib
import re
from datetime import date

from bot.domain import FactSpec
from bot.teams.activity import fold

_YES = {"ja", "j", "japp", "jo", "yes", "y", "stammer", "sant", "true"}
_NO = {"nej", "n", "no", "nix", "inte", "falskt", "false"}
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "januari"), ("feb", "februari"), ("mar", "mars"), ("apr", "april"), ("maj",), ("jun", "juni"),
     ("jul", "juli"), ("aug", "augusti"), ("sep", "sept", "september"), ("okt", "oktober"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}


def interpret(spec: FactSpec, raw: str, today: date):
    """The fact's value, or None when the answer cannot be read."""
    if spec.kind == "bool":
        return _bool(raw)
    if spec.kind == "choice":
        return _choice(spec, raw)
    if spec.kind == "date":
        return _date(raw, today)
    return None


def _bool(raw: str) -> bool | None:
    words = fold(raw).split()
    if not words:
        return None
    if words[0] in _YES:
        return True
    if words[0] in _NO:
        return False
    return None


def _choice(spec: FactSpec, raw: str) -> str | None:
    answer = fold(raw)
    if not answer:
        return None
    by_text = {}
    for choice in spec.choices:
        by_text[fold(choice.value)] = choice.value
        by_text[fold(choice.label)] = choice.value
    if answer in by_text:
        return by_text[answer]
    containing = {value for text, value in by_text.items() if answer in text or text in answer}
    if len(containing) == 1:
        return containing.pop()
    close = difflib.get_close_matches(answer, by_text.keys(), n=1, cutoff=0.75)
    return by_text[close[0]] if close else None


def _date(raw: str, today: date) -> date | None:
    text = fold(raw)
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        # Read before folding, which would drop the slashes and dots.
        numeric = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\.?", raw.strip())
        if numeric:
            day, month, year = numeric.groups()
            return _in_future(today, int(day), int(month), year)
        named = re.fullmatch(r"(\d{1,2}) ([a-z]+)(?: (\d{4}))?", text)
        if named and named.group(2) in _MONTHS:
            return _in_future(today, int(named.group(1)), _MONTHS[named.group(2)], named.group(3))
    except ValueError:
        return None
    return None


def _in_future(today: date, day: int, month: int, year: str | None) -> date:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return date(full, month, day)
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)
