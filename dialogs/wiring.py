"""Builds the bot's conversation side: the root dialog, the card actions and their services."""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.config import Settings
from bot.handler import LarmlotsenBot

from .main_dialog import MainDialog


def build_conversation(
    *, settings: Settings, sessions: async_sessionmaker, conversation_state: ConversationState, adapter, extras: dict[str, Any]
) -> LarmlotsenBot:
    return LarmlotsenBot(conversation_state, MainDialog())
