"""The one Swedish date and time format of every message and card, in Stockholm time:
'7 dec 2026' and '26 nov 2026 kl. 14:05'."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def day_text(day: date) -> str:
    """'7 dec 2026'."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def weekday_day_text(day: date) -> str:
    """'mån 7 dec 2026'."""
    return f"{_WEEKDAYS[day.weekday()]} {day_text(day)}"


def clock_text(moment: time) -> str:
    """'16:00'."""
    return f"{moment:%H:%M}"


def local_time(moment: datetime) -> str:
    """'26 nov 2026 kl. 14:05' in Stockholm time (naive datetimes are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(STOCKHOLM)
    return f"{day_text(local.date())} kl. {local:%H:%M}"
