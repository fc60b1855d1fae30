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


# --- against the PyPI `personnummer` package as an independent oracle ------------------------------

import random  # noqa: E402

from personnummer import personnummer as oracle  # noqa: E402

from bot.domain import MASK, mask_personal_numbers  # noqa: E402
from tests.support.personnummer_forms import FORM_NAMES, formats, generate, leaked  # noqa: E402

GENERATED = generate(200)


@pytest.mark.parametrize("form", FORM_NAMES)
def test_every_generated_number_is_found_in_every_form(form):
    missed = [number.long for number in GENERATED
              if not contains_personal_number(f"Kund {formats(number)[form]} har flyttat")]
    assert missed == []


@pytest.mark.parametrize("form", FORM_NAMES)
def test_a_masked_name_keeps_no_trace_of_the_number(form):
    for number in GENERATED:
        masked = mask_personal_numbers(f"Anna {formats(number)[form]} Berg")
        assert masked.startswith("Anna ") and masked.endswith(" Berg") and MASK in masked
        assert leaked([number], masked) == []


def test_masking_leaves_other_text_alone():
    assert mask_personal_numbers("Anna Andersson (Hemtjänst Söder)") == "Anna Andersson (Hemtjänst Söder)"
    assert mask_personal_numbers("TL-2026-0042, 08-508 40 613") == "TL-2026-0042, 08-508 40 613"


@pytest.mark.parametrize("kind", ["mobile", "ten digits", "date and time"])
def test_the_guard_refuses_exactly_what_the_oracle_calls_valid(kind):
    """The documented false positives are valid numbers: on random samples the guard and the
    oracle agree on every one (tools/personnummer_false_positives.py prints the rates)."""
    rng = random.Random(kind)
    for _ in range(4000):
        if kind == "mobile":
            text = "07" + f"{rng.randrange(10**8):08d}"
        elif kind == "ten digits":
            text = f"{rng.randrange(10**10):010d}"
        else:
            text = f"20{rng.randrange(10, 30)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d} " \
                   f"{rng.randrange(24):02d}{rng.randrange(60):02d}"
        assert contains_personal_number(text) == oracle.valid(text.replace(" ", "")), text
