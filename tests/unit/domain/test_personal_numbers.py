"""The personnummer / samordningsnummer guard."""

from __future__ import annotations

import pytest

from bot.domain import contains_personal_number, find_personal_number

# 19121212-1212 is Skatteverket's well-known test number; samordningsnummer add 60 to the day.
VALID = [
    "121212-1212",
    "1212121212",
    "19121212-1212",
    "191212121212",
    "121212+1212",
    "19121212+1212",
    "121212 1212",
    "701063-2391",  # samordningsnummer (day 63 = 3rd)
    "197010632391",
    "000229-1235",  # 29 February 2000
]

INVALID = [
    "121212-1213",  # Luhn fails
    "121312-1211",  # month 13 (Luhn-valid)
    "121232-1218",  # day 32, not a samordningsnummer (Luhn-valid)
    "701093-2395",  # day 93 - 60 = 33 (Luhn-valid)
    "TL-2026-0042",  # a case reference
    "08-508 40 613",  # the phone number of installation och service
    "0850840613",
    "Kund 42",
    "12121212121212",  # too many digits
]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_are_found(number):
    assert find_personal_number(f"Kunden {number} har flyttat") == number
    assert contains_personal_number(number)


@pytest.mark.parametrize("text", INVALID)
def test_other_digits_are_not_personal_numbers(text):
    assert not contains_personal_number(text)


def test_none_and_empty():
    assert find_personal_number(None) is None
    assert not contains_personal_number("")


def test_luhn_and_date_both_checked_on_twelve_digits():
    assert not contains_personal_number("19121312-1211")  # valid Luhn on the short form, invalid month
