"""The one Swedish date and time format of every message and card, in local time (the TIMEZONE
setting, Europe/Stockholm by default): '7 dec 2026' and '26 nov 2026 kl. 14:05'."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

_zone = ZoneInfo("Europe/Stockholm")  # TIMEZONE, given once at start-up (use_time_zone)
_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def day_text(day: date) -> str:
    """'7 dec 2026'."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def weekday_day_text(day: date) -> str:
    """'mån 7 dec 2026'."""
    return f"{_WEEKDAYS[day.weekday()]} {day_text(day)}"


def clock_text(moment: time | datetime) -> str:
    """'16:00' (plain integer formatting: strftime cost more, in every case card's log)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def use_time_zone(name: str) -> None:
    """Show times in this zone (the composition root passes the TIMEZONE setting)."""
    global _zone
    _zone = ZoneInfo(name)


def local_time(moment: datetime) -> str:
    """'26 nov 2026 kl. 14:05' in local time (naive datetimes are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(_zone)
    return f"{day_text(local.date())} kl. {clock_text(local)}"
