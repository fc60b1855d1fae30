"""Builds the bot's conversation side: the router, the routine dialogs, the card actions and
the services they share."""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.case_service import CaseService, domain_config_from_settings
from bot.config import Settings
from bot.domain import CaseEngine
from bot.handler import LarmlotsenBot
from bot.knowledge import KnowledgeBase

from .card_actions import CardActionHandler
from .case_actions import CaseActions
from .replies import Replies
from .router import Router
from .services import Services


def build_conversation(
    *, settings: Settings, sessions: async_sessionmaker, conversation_state: ConversationState, adapter,
    extras: dict[str, Any],
) -> LarmlotsenBot:
    engine = CaseEngine(domain_config_from_settings(settings))
    cases = CaseService(sessions, engine)
    services = Services(settings=settings, cases=cases, knowledge=KnowledgeBase.default(),
                        conversation_state=conversation_state)
    replies = Replies(engine.routines, services.knowledge)
    actions = CaseActions(services)
    router = Router(services, replies, actions)
    extras["services"] = services
    return LarmlotsenBot(conversation_state, router.on_message, CardActionHandler(actions, services))
