"""Tables of the Bot Framework side: dialog/user state and the journal of turns; and the one statement
other rooms run on the stored state (retention editing documents)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import DateTime, Index, Integer, String, Text, or_, select, text
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
    """The journal of turns: an inbound activity whose turn committed, with the replies it produced
    (bot/teams/turns.py). Teams delivers an activity again when the bot was slow or failed; the entry
    answers that delivery instead of running the turn twice."""

    __tablename__ = "processed_activity"
    __table_args__ = (
        # Finds the turns of a conversation whose replies did not all reach the user.
        Index("ix_processed_activity_unsent", "conversation_key",
              postgresql_where=text("replies_sent < reply_count"), sqlite_where=text("replies_sent < reply_count")),
    )

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    conversation_key: Mapped[str | None] = mapped_column(String(64))
    replies: Mapped[str | None] = mapped_column(Text)  # JSON: [{"op": "send"|"update", "activity": {...}}]
    reply_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    replies_sent: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    invoke_response: Mapped[str | None] = mapped_column(Text)  # JSON: {"status": …, "body": …}


async def edit_state_documents(session, mentioning: list[str], edit: Callable[[Any], int]) -> int:
    """Let `edit` change, in place, each stored state document that holds one of the strings as a
    JSON string; it returns how many entries it changed. A changed document is written back with a
    new eTag, so a turn holding the old state must reload it. Returns the sum of the changes."""
    if not mentioning:
        return 0
    changed = 0
    mentions = or_(*(BotStateRow.document.contains(json.dumps(word, ensure_ascii=False)) for word in mentioning))
    for row in (await session.execute(select(BotStateRow).where(mentions))).scalars().all():
        document = json.loads(row.document)
        count = edit(document)
        if count:
            changed += count
            row.document = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
            row.etag = uuid.uuid4().hex
    return changed
