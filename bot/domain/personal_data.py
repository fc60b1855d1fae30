"""Guard against Swedish personal identity numbers in free text.

The bot must never store a personnummer or samordningsnummer (the customer reference is chosen
by staff and must stay pseudonymous). The UI and the storage layer call these functions.
"""

from __future__ import annotations

import re
from datetime import date

# 6 or 8 date digits, an optional separator ('-', '+' or one space), 4 more digits,
# not glued to other digits.
_CANDIDATE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?(\d{4})(?!\d)")
# Samordningsnummer: the day of birth plus 60.
_COORDINATION_DAY_OFFSET = 60


def find_personal_number(text: str | None) -> str | None:
    """The first personnummer or samordningsnummer in `text`, as written, or None."""
    if not text:
        return None
    for match in _CANDIDATE.finditer(text):
        date_digits, serial = match.group(1), match.group(2)
        if _is_valid(date_digits, serial):
            return match.group(0)
    return None


def contains_personal_number(text: str | None) -> bool:
    return find_personal_number(text) is not None


def _is_valid(date_digits: str, serial: str) -> bool:
    short_date = date_digits[-6:]
    if not _luhn_valid(short_date + serial):
        return False
    if len(date_digits) == 8:
        return _is_birth_date(int(date_digits[:4]), short_date)
    # Without a century either one may be meant (a '+' only says "100 years or older").
    return any(_is_birth_date(century + int(short_date[:2]), short_date) for century in (1900, 2000))


def _is_birth_date(year: int, short_date: str) -> bool:
    month, day = int(short_date[2:4]), int(short_date[4:6])
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
