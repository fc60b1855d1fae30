"""Tables of the Bot Framework side: dialog/user state, processed activity ids, used export links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class BotStateRow(Base):
    """One botbuilder storage item (conversation or user state) per key."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    document: Mapped[str] = mapped_column(Text, nullable=False)
    etag: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)


class ProcessedActivityRow(Base):
    """An inbound activity already handled: Teams redelivers when the bot is slow."""

    __tablename__ = "processed_activity"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)


class ExportLinkUseRow(Base):
    """An export download link that has been used: each link downloads once."""

    __tablename__ = "export_link_uses"

    link_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    admin_id: Mapped[str] = mapped_column(String(64), nullable=False)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # After this the link is refused anyway, and the row is forgotten by the housekeeping.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
