"""The bot's one clock: every part that reads the time is handed a `Clock`, never calls
`datetime.now` itself, so tests and the Playground can set the time.

A clock gives an aware UTC datetime. `running_from` starts at a chosen instant and runs on in real
time from there (a trainer can show what a late provider change looks like).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def utc(moment: datetime | None) -> datetime | None:
    """An aware UTC datetime; a naive one (as SQLite returns them) is read as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def running_from(start: datetime, *, reference: Clock = system_clock) -> Clock:
    """A clock that reads `start` now and runs on from there."""
    offset = utc(start) - reference()
    return lambda: reference() + offset


def parse_start(text: str, time_zone: str) -> datetime:
    """`2026-06-18T15:30` as local time in `time_zone` (an explicit offset is kept), in UTC.

    Raises ValueError with a readable message for anything else."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date and time: {text!r} (write it as 2026-06-18T15:30)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(time_zone))
    return moment.astimezone(timezone.utc)
