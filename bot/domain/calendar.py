"""Working days and opening hours of installation och service, in Europe/Stockholm time.

Working days are Monday-Friday that are not Swedish public holidays nor the de facto holidays
(midsommarafton, julafton, nyårsafton). Opening hours come from configuration (the page gives
none). All arithmetic is done on local dates and converted to aware datetimes, so DST changes
never shift a deadline by an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

STOCKHOLM = "Europe/Stockholm"
_WEEKDAYS = (MO, TU, WE, TH, FR)


@dataclass(frozen=True)
class DomainConfig:
    """The configuration the domain needs, as plain values (built from bot.config.Settings)."""

    opening_time: time = time(8, 0)
    closing_time: time = time(16, 0)
    timezone: str = STOCKHOLM
    immediate_within_hours: int = 4
    install_feedback_working_days: int = 5
    case_system_name: str = "Paraplysystemet"
    reminder_lead_minutes: int = 60

    @classmethod
    def from_values(
        cls,
        *,
        opening_time: str | time = "08:00",
        closing_time: str | time = "16:00",
        timezone: str = STOCKHOLM,
        immediate_within_hours: int = 4,
        install_feedback_working_days: int = 5,
        case_system_name: str = "Paraplysystemet",
        reminder_lead_minutes: int = 60,
    ) -> "DomainConfig":
        return cls(
            opening_time=_as_time(opening_time),
            closing_time=_as_time(closing_time),
            timezone=timezone,
            immediate_within_hours=int(immediate_within_hours),
            install_feedback_working_days=int(install_feedback_working_days),
            case_system_name=case_system_name,
            reminder_lead_minutes=int(reminder_lead_minutes),
        )


def _as_time(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


@lru_cache(maxsize=4)
def _swedish_holidays():
    # Imported here: the package loads every country's rules (≈ 10 MiB), which an idle bot need not hold.
    import holidays

    categories = (holidays.PUBLIC, holidays.DE_FACTO)
    try:
        # Sundays are weekends already; counting them as holidays too would be noise.
        return holidays.country_holidays("SE", categories=categories, language="sv", include_sundays=False)
    except TypeError:  # an older holidays without the option
        return holidays.country_holidays("SE", categories=categories, language="sv")


class WorkingCalendar:
    """Swedish working days and the opening hours of installation och service."""

    def __init__(self, config: DomainConfig = DomainConfig()):
        self.config = config
        self.zone = ZoneInfo(config.timezone)
        self._by_year: dict[int, dict[date, str]] = {}

    @cached_property
    def _holidays(self):
        return _swedish_holidays()

    # --- days ---------------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        return self._holidays_of(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays_of(day.year)

    def _holidays_of(self, year: int) -> dict[date, str]:
        """One year's holidays as a plain dict: a look-up in the `holidays` object costs ≈ 5 µs
        (key conversion, year bookkeeping), and a card's deadlines make hundreds of them."""
        found = self._by_year.get(year)
        if found is None:
            rules = self._holidays
            start = date(year, 1, 1)
            rules.get(start)  # makes the object compute that year
            found = self._by_year[year] = {day: name for day, name in rules.items() if day.year == year}
        return found

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self._working_days_from(day + timedelta(days=1), forward=True)

    def previous_working_day(self, day: date) -> date:
        return self._working_days_from(day - timedelta(days=1), forward=False)

    def add_working_days(self, day: date, count: int) -> date:
        """`count` working days after `day` (before it when negative)."""
        step = self.next_working_day if count >= 0 else self.previous_working_day
        for _ in range(abs(count)):
            day = step(day)
        return day

    def working_days_before(self, day: date, count: int) -> date:
        return self.add_working_days(day, -count)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end."""
        if end <= start:
            return 0
        days = rrule(DAILY, dtstart=start + timedelta(days=1), until=end, byweekday=_WEEKDAYS)
        return sum(1 for moment in days if moment.date() not in self._holidays_of(moment.year))

    def _working_days_from(self, day: date, *, forward: bool) -> date:
        delta = timedelta(days=1 if forward else -1)
        while not self.is_working_day(day):
            day += delta
        return day

    # --- moments ------------------------------------------------------------------------------

    def local_date(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.zone).date()

    def at_local(self, day: date, clock: time) -> datetime:
        """A local wall-clock time on `day`, as an aware UTC datetime."""
        return datetime.combine(day, clock, tzinfo=self.zone).astimezone(timezone.utc)

    def opening_at(self, day: date) -> datetime:
        return self.at_local(day, self.config.opening_time)

    def closing_at(self, day: date) -> datetime:
        return self.at_local(day, self.config.closing_time)

    def is_open(self, moment: datetime) -> bool:
        day = self.local_date(moment)
        return self.is_working_day(day) and self.opening_at(day) <= _aware(moment) < self.closing_at(day)

    def before_closing_deadline(self, requested_at: datetime, margin: timedelta = timedelta(hours=1)) -> datetime:
        """`margin` before closing on the day of the request; once that moment has passed (or the
        day is not a working day) the same moment on the next working day."""
        day = self.local_date(requested_at)
        if self.is_working_day(day):
            deadline = self.closing_at(day) - margin
            if _aware(requested_at) <= deadline:
                return deadline
        return self.closing_at(self.next_working_day(day)) - margin

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment when `hours` of opening hours have passed since `start`."""
        remaining = timedelta(hours=hours)
        moment = _aware(start)
        day = self.local_date(moment)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            window_start = max(moment, self.opening_at(day))
            window_end = self.closing_at(day)
            if window_start < window_end:
                if window_start + remaining <= window_end:
                    return window_start + remaining
                remaining -= window_end - window_start
            day = self.next_working_day(day)

    def end_of_working_day_after(self, start: datetime, working_days: int) -> datetime:
        """Closing time `working_days` working days after the local day of `start`."""
        return self.closing_at(self.add_working_days(self.local_date(start), working_days))


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC: the bot stores and passes UTC everywhere."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
