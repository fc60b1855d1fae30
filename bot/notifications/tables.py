"""Tables of the channel notices: where a team's notices go, each user's home team, the outbox of
notices waiting to be delivered, and the channel message that shows each case's card.

The outbox row is written in the same transaction as the case event that causes it, so a notice
exists if and only if its event does; the worker only ever moves a row from pending to
sent / failed / cancelled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base

# SQLite only autoincrements an INTEGER PRIMARY KEY.
_BigId = BigInteger().with_variant(Integer(), "sqlite")


class NoticeChannelRow(Base):
    """The notice channel of a team (or a group chat): one row per scope, switched on and off."""

    __tablename__ = "notice_channels"
    __table_args__ = (UniqueConstraint("scope", name="uq_notice_channels_scope"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    # The team id for a team channel, the conversation id for a group chat.
    scope: Mapped[str] = mapped_column(String(512), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # channel | groupChat
    conversation_id: Mapped[str] = mapped_column(String(512), nullable=False)
    # botbuilder's ConversationReference, serialised (JSON text).
    reference: Mapped[str] = mapped_column(Text, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # Why it is off: OFF_BY_STAFF (`notiser av`) or OFF_BOT_REMOVED (bot/notifications/subscriptions.py).
    off_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subscribed_by_id: Mapped[str] = mapped_column(String(64), nullable=False)
    subscribed_by_name: Mapped[str] = mapped_column(String(200), nullable=False)
    subscribed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class HomeTeamRow(Base):
    """The team a user's personal-chat cases belong to (see docs/notifications.md)."""

    __tablename__ = "home_teams"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(255), nullable=False)
    # Set by `mitt team`: then using the bot in another team's channel does not move it.
    pinned: Mapped[bool] = mapped_column(Boolean, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class NoticeRow(Base):
    """One notice to deliver (the outbox)."""

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_notices_dedupe_key"),
        Index("ix_notices_status_next", "status", "next_attempt_at"),
        Index("ix_notices_lane_status", "lane", "status", "id"),
        Index("ix_notices_channel_status", "channel_id", "status"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notice_channels.id", ondelete="CASCADE"), nullable=False)
    # Notices of one lane (a case in a channel) are delivered one after another, in order.
    lane: Mapped[str] = mapped_column(String(600), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    case_reference: Mapped[str | None] = mapped_column(String(32))
    # Makes a notice idempotent: the same event, reminder or digest is never queued twice.
    dedupe_key: Mapped[str] = mapped_column(String(300), nullable=False)
    # What to send: {"mode": "post"|"case_card"|"thread"|"replace", "summary": str, "card": {...}, "version": int}
    # ("replace" overwrites the message "message_id": a purged case's card.)
    message: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)  # pending | sent | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # A worker's claim: another worker may take the notice over once claimed_until has passed.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why the last attempt failed: a status code or an error class, never message text.
    last_error: Mapped[str | None] = mapped_column(String(200))
    message_id: Mapped[str | None] = mapped_column(String(255))


class CaseCardRow(Base):
    """The channel message that shows a case's card, updated in place on later events."""

    __tablename__ = "case_cards"
    __table_args__ = (UniqueConstraint("channel_id", "case_reference", name="uq_case_cards_channel_case"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notice_channels.id", ondelete="CASCADE"), nullable=False)
    case_reference: Mapped[str] = mapped_column(String(32), nullable=False)
    message_id: Mapped[str] = mapped_column(String(255), nullable=False)
    # The case version (number of events) the card shows: an older card never overwrites a newer one.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
