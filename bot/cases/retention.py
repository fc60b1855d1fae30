"""Retention: closed, cancelled and declined cases are purged after RETENTION_MONTHS.

A normal action never deletes anything; this configured purge is the only way a case leaves the
database. It writes one log line with what it purged (references and counts, nothing personal).
"""

from __future__ import annotations

import logging
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from .tables import CaseEventRow, CaseRow

log = logging.getLogger(__name__)


async def purge_ended_cases(sessions: async_sessionmaker, months: int, now: datetime) -> list[str]:
    """Delete cases that ended more than `months` ago; return their references."""
    cutoff = now - relativedelta(months=months)
    async with sessions.begin() as session:
        rows = (await session.execute(
            select(CaseRow.id, CaseRow.reference).where(CaseRow.ended_at.is_not(None), CaseRow.ended_at < cutoff)
        )).all()
        ids = [row.id for row in rows]
        if ids:
            await session.execute(delete(CaseEventRow).where(CaseEventRow.case_id.in_(ids)))
            await session.execute(delete(CaseRow).where(CaseRow.id.in_(ids)))
    references = sorted(row.reference for row in rows)
    log.info("retention: purged %d case(s) that ended before %s: %s", len(references), cutoff.date().isoformat(),
             ", ".join(references) or "none")
    return references
