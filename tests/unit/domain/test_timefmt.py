"""The one Swedish date and time format (bot/domain/timefmt.py), in Stockholm time, zero-padded."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import timefmt


@pytest.fixture(autouse=True)
def _stockholm():
    was = timefmt._zone  # noqa: SLF001 - the zone set at start-up, put back for other tests
    timefmt.use_time_zone("Europe/Stockholm")
    yield
    timefmt._zone = was  # noqa: SLF001


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 11, 26, 13, 5, tzinfo=timezone.utc), "26 nov 2026 kl. 14:05"),  # winter: UTC+1
    (datetime(2026, 7, 1, 22, 59), "2 jul 2026 kl. 00:59"),  # naive is UTC; summer: UTC+2, the next day
    (datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc), "29 mar 2026 kl. 03:00"),  # the hour clocks jump
])
def test_local_time_is_stockholm_time(moment, shown):
    assert timefmt.local_time(moment) == shown


@given(st.times())
def test_clock_text_is_hours_and_minutes_as_strftime_writes_them(moment):
    assert timefmt.clock_text(moment) == moment.strftime("%H:%M")


def test_day_texts():
    assert timefmt.day_text(date(2026, 12, 7)) == "7 dec 2026"
    assert timefmt.weekday_day_text(date(2026, 12, 7)) == "mån 7 dec 2026"
    assert timefmt.clock_text(time(16, 0)) == "16:00"
