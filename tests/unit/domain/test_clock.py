"""The injected clock: a chosen local start that runs on, and the parsing of `--now`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.domain.clock import parse_start, running_from, utc

STOCKHOLM = "Europe/Stockholm"


def test_a_local_summer_time_start_is_read_in_the_configured_zone():
    assert parse_start("2026-06-18T15:30", STOCKHOLM) == datetime(2026, 6, 18, 13, 30, tzinfo=timezone.utc)


def test_a_winter_start_has_the_winter_offset():
    assert parse_start("2026-12-07 08:00", STOCKHOLM) == datetime(2026, 12, 7, 7, 0, tzinfo=timezone.utc)


def test_an_explicit_offset_is_kept():
    assert parse_start("2026-06-18T15:30+00:00", STOCKHOLM) == datetime(2026, 6, 18, 15, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["", "i morgon", "2026-13-01T10:00", "18/6 15:30"])
def test_what_is_no_date_and_time_is_refused_with_the_expected_form(text):
    with pytest.raises(ValueError, match="2026-06-18T15:30"):
        parse_start(text, STOCKHOLM)


def test_the_clock_starts_at_the_chosen_moment_and_runs_on_with_real_time():
    real = [datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)]
    clock = running_from(parse_start("2026-06-18T15:30", STOCKHOLM), reference=lambda: real[0])
    assert clock() == datetime(2026, 6, 18, 13, 30, tzinfo=timezone.utc)
    real[0] += timedelta(minutes=90)
    assert clock() == datetime(2026, 6, 18, 15, 0, tzinfo=timezone.utc)


def test_utc_reads_a_naive_moment_as_utc_and_converts_an_aware_one():
    assert utc(datetime(2026, 6, 18, 13, 30)) == datetime(2026, 6, 18, 13, 30, tzinfo=timezone.utc)
    aware = datetime(2026, 6, 18, 15, 30, tzinfo=timezone(timedelta(hours=2)))
    assert utc(aware) == datetime(2026, 6, 18, 13, 30, tzinfo=timezone.utc)
    assert utc(None) is None
