"""Tables of the case log: cases, their append-only events, the per-year reference counter; and the
used audit-export links (bot/cases/export_links.py).

The events are the truth; `cases.status` and `cases.version` are a projection kept in the same
transaction so that "open cases of this team" is a plain indexed query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base

# SQLite only autoincrements an INTEGER PRIMARY KEY.
_BigId = BigInteger().with_variant(Integer(), "sqlite")


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("reference", name="uq_cases_reference"),
        Index("ix_cases_status_team", "status", "team_id"),
        Index("ix_cases_status_conversation", "status", "conversation_id"),
        # Statistics: a team's (or group chat's) cases ended since a day (migration 0006).
        Index("ix_cases_team_ended", "team_id", "ended_at"),
        Index("ix_cases_conversation_ended", "conversation_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), nullable=False)
    routine_key: Mapped[str] = mapped_column(String(40), nullable=False)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    team_id: Mapped[str | None] = mapped_column(String(255))
    conversation_id: Mapped[str | None] = mapped_column(String(512))
    customer_ref: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    # Number of events: a writer that read an older version cannot append (optimistic check).
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # Set when the case is closed, cancelled or declined: the retention purge reads it.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Set by the retention housekeeping on an open case nobody touched for ABANDON_AFTER_MONTHS:
    # announced in the digest, purged ABANDONED_GRACE_DAYS later; any new event clears it.
    abandoned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CaseEventRow(Base):
    __tablename__ = "case_events"
    __table_args__ = (
        UniqueConstraint("case_id", "seq", name="uq_case_events_case_seq"),
        Index("ix_case_events_actor_case", "actor_id", "case_id"),
        Index("ix_case_events_at", "at"),  # the export of a period (migration 0006)
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    step_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[str] = mapped_column(String(64), nullable=False)
    actor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class CaseReferenceCounterRow(Base):
    """The last reference number handed out per year (TL-<year>-<number>)."""

    __tablename__ = "case_reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False)


class ExportLinkUseRow(Base):
    """An export download link that has been used: each link downloads once."""

    __tablename__ = "export_link_uses"

    link_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    admin_id: Mapped[str] = mapped_column(String(64), nullable=False)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # After this the link is refused anyway, and the row is forgotten by the housekeeping.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
