"""Cards for the audit export and the team statistics."""

from __future__ import annotations

from . import wording as w
from .base import adaptive_card, fact_set, heading, open_url, subtle, text_block


def export_card(start: str, end: str, events: int, url: str, minutes: int) -> dict:
    body = [heading(w.EXPORT_TITLE), text_block(w.EXPORT_PERIOD.format(start=start, end=end)),
            text_block(w.EXPORT_COUNT.format(count=events)), subtle(w.EXPORT_VALID.format(minutes=minutes))]
    return adaptive_card(body, [open_url(w.EXPORT_DOWNLOAD, url)])


def statistics_card(title: str, open_cases: int, overdue_cases: int, overdue_steps: int, closed_recently: int,
                    median_days: float | None, mean_days: float | None, samples: int) -> dict:
    pairs = [(w.STATS_OPEN, str(open_cases)), (w.STATS_OVERDUE, w.STATS_OVERDUE_VALUE.format(cases=overdue_cases,
                                                                                           steps=overdue_steps)),
             (w.STATS_CLOSED, str(closed_recently))]
    if samples:
        pairs.append((w.STATS_LEAD_TIME, w.STATS_LEAD_TIME_VALUE.format(median=_days(median_days),
                                                                      mean=_days(mean_days), n=samples)))
    else:
        pairs.append((w.STATS_LEAD_TIME, w.STATS_NO_LEAD_TIME))
    return adaptive_card([heading(title), fact_set(pairs)])


def _days(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
