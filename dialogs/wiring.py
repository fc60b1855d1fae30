"""Builds the bot's conversation side: the router, the routine dialogs, the card actions and
the services they share."""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.cases.service import CaseService, domain_config_from_settings
from bot.config import Settings
from bot.domain import CaseEngine
from bot.teams.handler import LarmlotsenBot
from bot.notifications.setup import install_notifications

from bot.cases.export_links import ExportLinks

from .admin import AdminCommands
from .card_actions import CardActionHandler
from .case_actions import CaseActions
from .replies import Replies
from .router import Router
from .services import Services


def _knowledge_base():
    """The quick-answer index, built on the first question: an idle bot need not hold it (≈ 8 MiB)."""
    from bot.knowledge import KnowledgeBase

    return KnowledgeBase.default()


def build_conversation(
    *, settings: Settings, sessions: async_sessionmaker, conversation_state: ConversationState, adapter,
    extras: dict[str, Any],
) -> LarmlotsenBot:
    engine = CaseEngine(domain_config_from_settings(settings))
    cases = CaseService(sessions, engine)
    services = Services(settings=settings, cases=cases, knowledge=_knowledge_base,
                        conversation_state=conversation_state)
    replies = Replies(engine.routines, services.knowledge)
    actions = CaseActions(services)
    links = ExportLinks(settings.export_secret or settings.app_password, settings.export_link_minutes)
    # Channel notices: the outbox listener on `cases`, the worker and reminder scan on the app's hooks.
    notices = install_notifications(settings=settings, sessions=sessions, cases=cases, adapter=adapter, extras=extras)
    router = Router(services, replies, actions, notices=notices.commands, admin=AdminCommands(services, links))
    extras["services"] = services
    extras.setdefault("on_stop", []).append(lambda _runtime: cases.dispose())
    extras["export_links"] = links
    return LarmlotsenBot(conversation_state, notices.commands.track_home_team(router.on_message),
                         CardActionHandler(actions, services), on_bot_added=notices.commands.on_bot_added)
