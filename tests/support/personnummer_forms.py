"""Personnummer and samordningsnummer for the guard's tests, made and checked by the PyPI
`personnummer` package (an oracle independent of bot/domain/personal_data.py), in the documented
formats and in the evasive forms a user (or a display name) might carry.

Also the test's own search for numbers in a dump: digits of any script, with format characters
dropped and up to three non-alphanumeric characters between digits ignored.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from personnummer import personnummer


@dataclass(frozen=True)
class Number:
    long: str  # YYYYMMDDNNNC, as the oracle formats it

    @property
    def short(self) -> str:  # YYMMDDNNNC: what the search looks for
        return self.long[2:]


def generate(count: int, seed: int = 14) -> list[Number]:
    """`count` distinct numbers, about a third of them samordningsnummer, each valid per the oracle."""
    rng = random.Random(seed)
    found: dict[str, Number] = {}
    while len(found) < count:
        born = date(1925, 1, 1) + timedelta(days=rng.randrange(365 * 98))
        day = born.day + (60 if rng.random() < 0.33 else 0)
        stem = f"{born:%Y%m}{day:02d}{rng.randint(1, 999):03d}"
        checks = [digit for digit in "0123456789" if personnummer.valid(stem + digit)]
        assert len(checks) == 1, stem  # exactly one Luhn check digit makes it valid
        number = Number(personnummer.parse(stem + checks[0]).format(long_format=True))
        found.setdefault(number.long, number)
    return list(found.values())


def _digits(text: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(char)) for char in text)


def formats(number: Number) -> dict[str, str]:
    """The forms the guard must catch, by name: the documented ones first, then the evasive ones."""
    y4, y2, mmdd, serial = number.long[:4], number.long[2:4], number.long[4:8], number.long[8:]
    yymmdd, yyyymmdd = y2 + mmdd, y4 + mmdd
    plus = "+" if personnummer.parse(number.long).get_age() >= 100 else "-"
    return {
        "long with dash": f"{yyyymmdd}-{serial}",
        "short with dash or plus": f"{yymmdd}{plus}{serial}",
        "short with plus": f"{yymmdd}+{serial}",
        "twelve digits": yyyymmdd + serial,
        "ten digits": yymmdd + serial,
        "short with space": f"{yymmdd} {serial}",
        # Evasive forms.
        "en dash": f"{yymmdd}\u2013{serial}",
        "em dash": f"{yyyymmdd}\u2014{serial}",
        "minus sign": f"{yymmdd}\u2212{serial}",
        "non-breaking hyphen": f"{yymmdd}\u2011{serial}",
        "no-break space": f"{yymmdd}\u00a0{serial}",
        "narrow no-break space": f"{yyyymmdd}\u202f{serial}",
        "zero-width space": f"{yymmdd[:3]}\u200b{yymmdd[3:]}-{serial}",
        "zero-width joiner": f"{yyyymmdd}\u200d{serial}",
        "soft hyphen": f"{yymmdd}\u00ad{serial}",
        "dot": f"{yymmdd}.{serial}",
        "slash": f"{yyyymmdd}/{serial}",
        "double space": f"{yymmdd}  {serial}",
        "spaced dash": f"{yymmdd} - {serial}",
        "spaced date": f"{y4} {mmdd[:2]} {mmdd[2:]}-{serial}",
        "bidi override": f"\u202e{yymmdd}-{serial}\u202c",
        "full-width digits": _digits(yymmdd, "\uff10") + "-" + _digits(serial, "\uff10"),
        "arabic-indic digits": _digits(yyyymmdd, "\u0660") + _digits(serial, "\u0660"),
    }


FORM_NAMES = tuple(formats(Number("191212121212")))

_FORMAT_CHARACTERS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\W_]{1,3}(?=\d)")


def searchable(text: str) -> str:
    """`text` with every digit as ASCII, format characters dropped and short separators between
    digits removed, so that a number stored in any of the forms above shows as its digits."""
    text = _FORMAT_CHARACTERS.sub("", text)
    text = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
    return _BETWEEN_DIGITS.sub("", text)


def leaked(numbers: list[Number], text: str) -> list[str]:
    """The numbers whose ten digits appear in `text` (searched as `searchable` makes it)."""
    haystack = searchable(text)
    return [number.long for number in numbers if number.short in haystack]
