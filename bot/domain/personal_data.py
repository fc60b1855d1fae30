"""Guard against Swedish personal identity numbers (personnummer and samordningsnummer).

The bot must never store or log one: free text containing one is refused (the customer reference
is chosen by staff and must stay pseudonymous), and names that Teams hands over (display names,
conversation and channel names) are stored with the number masked.

Matching is done on a normalised copy of the text, so that look-alike forms are caught too:
Unicode NFKC (full-width digits), every decimal digit of any script as ASCII, format characters
(zero-width, bidi controls, soft hyphen) dropped, and every dash, space, dot, slash or plus as
one separator, of which a short run may stand between the date parts and before the last four
digits (`19121212 - 1212`, `1912 12 12-1212`, `121212.1212`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

# Shown instead of a number found in a name.
MASK = "••••••-••••"

_SEP = "-"
# A personnummer as 4+2+2+4 or 2+2+2+4 digits with at most three separators between the parts,
# not glued to other digits. Lookaheads, so that every start position is tried.
_RUN = f"{_SEP}{{0,3}}"
_LONG = re.compile(rf"(?<!\d)(?=(\d{{4}}){_RUN}(\d{{2}}){_RUN}(\d{{2}}){_RUN}(\d{{4}})(?!\d))")
_SHORT = re.compile(rf"(?<!\d)(?=(\d{{2}}){_RUN}(\d{{2}}){_RUN}(\d{{2}}){_RUN}(\d{{4}})(?!\d))")
# Without ten digits somewhere there is nothing to look for (the common case, cheap to decide).
_TEN_DIGITS = re.compile(r"(?:\d\D{0,3}){10}")
_EXTRA_SEPARATORS = {".", "/", "+", "\u2044", "\u2215", "\u2212", "\u00b7", "\u2027", "\u30fb"}
# Samordningsnummer: the day of birth plus 60.
_COORDINATION_DAY_OFFSET = 60


@lru_cache(maxsize=4096)
def _normal_char(char: str) -> str:
    """What one character becomes for matching: '' (dropped), '-' (a separator), digits or text."""
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if char.isspace() or category in ("Pd", "Zs") or char in _EXTRA_SEPARATORS:
        return _SEP
    if category == "Nd":
        return str(unicodedata.decimal(char))
    folded = unicodedata.normalize("NFKC", char)
    if folded != char:
        return "".join(_normal_char(c) if c != char else c for c in folded)
    return char


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text for matching, and for each of its characters the index of the original one."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii() and char not in ". /+\t\n\r\f\v":
            chars.append(char)
            origin.append(index)
            continue
        for normal in _normal_char(char):
            chars.append(normal)
            origin.append(index)
    return "".join(chars), origin


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of every personnummer or samordningsnummer, in order, not overlapping."""
    if not text or not _maybe_has_ten_digits(text):
        return []
    normal, origin = _normalised(text)
    found: list[tuple[int, int]] = []
    for pattern, long_year in ((_LONG, True), (_SHORT, False)):
        for match in pattern.finditer(normal):
            year, month, day, serial = match.groups()
            if _is_valid(year, month, day, serial, long_year):
                found.append((origin[match.start(1)], origin[match.end(4) - 1] + 1))
    return _merged(found)


def _maybe_has_ten_digits(text: str) -> bool:
    # Non-ASCII digits are checked by the full normalisation.
    return not text.isascii() or _TEN_DIGITS.search(text) is not None


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def find_personal_number(text: str | None) -> str | None:
    """The first personnummer or samordningsnummer in `text`, as written, or None."""
    spans = _spans(text or "")
    if not spans:
        return None
    start, end = spans[0]
    return text[start:end]


def contains_personal_number(text: str | None) -> bool:
    return bool(_spans(text or ""))


def mask_personal_numbers(text: str | None) -> str | None:
    """`text` with every personnummer or samordningsnummer replaced by MASK (names Teams hands
    over are stored this way: they cannot be refused)."""
    if not text:
        return text
    spans = _spans(text)
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], MASK]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _is_valid(year: str, month: str, day: str, serial: str, long_year: bool) -> bool:
    short_date = year[-2:] + month + day
    if serial.startswith("000") or not _luhn_valid(short_date + serial):  # birth number 000 is never given
        return False
    if long_year:
        return _is_birth_date(int(year), int(month), int(day))
    # Without a century either one may be meant (a '+' only says "100 years or older").
    return any(_is_birth_date(century + int(year), int(month), int(day)) for century in (1900, 2000))


def _is_birth_date(year: int, month: int, day: int) -> bool:
    if day > _COORDINATION_DAY_OFFSET:
        day -= _COORDINATION_DAY_OFFSET
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _luhn_valid(ten_digits: str) -> bool:
    total = 0
    for index, char in enumerate(ten_digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
