"""Audit export and team statistics, read straight from the case log.

Every change to a case is an event with who and when; the export lays those events out as CSV
for a period, and the statistics summarise a team's cases (lead time from accept to activate,
open and overdue counts). Free of Bot Framework imports.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker

from . import repository
from bot.domain import Case, CaseEngine, plain_text

EXPORT_COLUMNS = ("ärende", "rutin", "status", "team", "kundreferens", "händelse_nr", "händelse", "steg",
                  "text", "utförd_av_id", "utförd_av", "tidpunkt_utc")


def _day_bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A period of whole local days (TIMEZONE), as UTC instants [from, to)."""
    begin = datetime.combine(start, time.min, zone).astimezone(timezone.utc)
    finish = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(timezone.utc)
    return begin, finish


async def export_events_csv(sessions: async_sessionmaker, engine: CaseEngine, start: date, end: date) -> str:
    """Every event recorded in the period (local days, inclusive), with its case, as CSV."""
    begin, finish = _day_bounds(start, end, engine.calendar.zone)
    async with sessions() as session:
        rows = await repository.events_between(session, begin, finish)  # plain columns, see repository
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow((row.reference, _routine_title(engine, row.routine_key), row.status, row.team_id or "",
                         _safe_cell(row.customer_ref or ""), row.seq, row.kind, _step_title(engine, row.routine_key, row.step_id),
                         _safe_cell(row.text or ""), row.actor_id, _safe_cell(row.actor_name),
                         row.at.astimezone(timezone.utc).isoformat(timespec="seconds")))
    return buffer.getvalue()


def _safe_cell(value: str) -> str:
    """User text as a CSV cell: no invisible or bidi characters, and a cell starting with
    = + - @ (or a tab) would run as a formula in a spreadsheet (CSV injection)."""
    value = plain_text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t") else value


def _routine_title(engine: CaseEngine, key: str) -> str:
    routine = engine.routines.get(key)
    return routine.title if routine else key


def _step_title(engine: CaseEngine, routine_key: str, step_id: str | None) -> str:
    routine = engine.routines.get(routine_key)
    step = routine.step(step_id) if routine and step_id else None
    return step.title if step else (step_id or "")


@dataclass(frozen=True)
class TeamStatistics:
    open_cases: int
    overdue_cases: int
    overdue_steps: int
    closed_last_30_days: int
    lead_times_days: tuple[float, ...]  # accept → activate, new orders

    @property
    def median_lead_time_days(self) -> float | None:
        return statistics.median(self.lead_times_days) if self.lead_times_days else None

    @property
    def mean_lead_time_days(self) -> float | None:
        return statistics.fmean(self.lead_times_days) if self.lead_times_days else None


LEAD_TIME = ("new_order", "accept", "activate")  # routine, start step, end step


def lead_time_days(case: Case, start_step: str = "accept", end_step: str = "activate") -> float | None:
    done = case.done
    if start_step not in done or end_step not in done:
        return None
    return _days(done[end_step].at - done[start_step].at)


def _days(interval: timedelta) -> float:
    return interval.total_seconds() / 86400


async def team_statistics(cases_service, *, team_id: str | None, conversation_id: str | None,
                          user_id: str | None, now: datetime) -> TeamStatistics:
    """Open and overdue from the open cases (the domain decides what is overdue); of the cases ended
    in the last 30 days only a narrow row each and their lead times, from the database: a month's
    history grows with the teams' work, and loading those cases with their events grew `statistik`
    with it (docs/performance.md)."""
    if team_id or conversation_id:
        open_cases = await cases_service.open_cases_for_team(team_id=team_id, conversation_id=conversation_id)
    else:
        open_cases = await cases_service.open_cases_for_user(user_id)
    engine: CaseEngine = cases_service.engine
    overdue = [engine.overdue(case, now) for case in open_cases]
    ended = await cases_service.ended_summary(now - timedelta(days=30), team_id=team_id,
                                              conversation_id=conversation_id, user_id=user_id, lead_time=LEAD_TIME)
    routine_key, start_step, end_step = LEAD_TIME
    open_lead_times = (lead_time_days(case, start_step, end_step) for case in open_cases
                       if case.routine.key == routine_key)
    lead_times = tuple(_days(interval) for interval in ended.lead_times) + tuple(
        t for t in open_lead_times if t is not None)
    return TeamStatistics(len(open_cases), sum(1 for steps in overdue if steps), sum(len(s) for s in overdue),
                          ended.closed, lead_times)
