"""The composition root: the one place that builds the bot's parts and wires them together.

Nothing else constructs a collaborator: the app (bot/app.py) asks for a `Runtime` and serves it;
tests read the same typed fields. Layers and the dependency rule: docs/architecture.md.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from functools import partial
from datetime import time as time_of_day, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.cases.export_links import ExportLinks
from bot.cases.retention import RetentionPolicy, run_retention
from bot.cases.service import CaseService, domain_config_from_settings
from bot.config import Settings
from bot.db import create_engine, session_factory
from bot.dialect import is_sqlite
from bot.domain import CaseEngine
from bot.domain.clock import Clock, system_clock
from bot.domain.timefmt import use_time_zone
from bot.notifications.background import Notifications
from bot.notifications.events import CaseNoticeListener
from bot.notifications.outbox import Outbox
from bot.notifications.reminders import ReminderScanner
from bot.notifications.retry import RetryPolicy
from bot.notifications.subscriptions import Subscriptions
from bot.notifications.worker import NoticeWorker, WorkerTuning
from bot.teams.adapter import create_adapter
from bot.teams.delivery import ConnectorSender
from bot.teams.handler import LarmlotsenBot
from bot.teams.openid import OpenIdKeys
from bot.teams.storage import SqlConversationState, SqlStorage
from bot.teams.turn_guards import ConversationSerializer, TenantAllowlist
from bot.teams.turns import AtomicTurns
from dialogs.admin import AdminCommands
from dialogs.card_actions import CardActionHandler
from dialogs.case_actions import CaseActions
from dialogs.notices import NoticeCommands
from dialogs.replies import Replies
from dialogs.router import Router
from dialogs.services import Services


@dataclass
class Runtime:
    """Everything one running bot holds, built once at start-up by `build_runtime`."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: async_sessionmaker
    lock_engine: AsyncEngine | None
    storage: SqlStorage
    adapter: object  # bot.teams.adapter's CloudAdapter
    redelivery: AtomicTurns
    cases: CaseService
    services: Services
    export_links: ExportLinks
    notifications: Notifications
    notice_commands: NoticeCommands
    bot: LarmlotsenBot
    openid: OpenIdKeys | None  # the token signing keys (None: no credentials, tokens are not checked)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    started_at: float = field(default_factory=time.monotonic)
    background: list[asyncio.Task] = field(default_factory=list)


def build_runtime(settings: Settings, clock: Clock = system_clock) -> Runtime:
    use_time_zone(settings.timezone)
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
    sessions = session_factory(engine)
    # PostgreSQL's advisory locks get an engine of their own (bot/teams/turn_guards.py).
    lock_engine = None if is_sqlite(engine) else create_engine(settings.database_url,
                                                               pool_size=settings.db_pool_size)
    storage = SqlStorage(sessions, clock=clock)
    conversation_state = SqlConversationState(storage)
    adapter = create_adapter(settings)
    openid = _openid_keys(settings)
    redelivery = AtomicTurns(sessions, timedelta(hours=settings.dedupe_ttl_hours),
                             reply_budget_s=settings.reply_timeout_seconds, clock=clock,
                             state_key=conversation_state.get_storage_key)
    adapter.use(TenantAllowlist(settings.tenant_allowlist))
    adapter.use(ConversationSerializer(lock_engine, taken_inside=True))  # by AtomicTurns' first read
    adapter.use(redelivery)

    cases = CaseService(sessions, CaseEngine(domain_config_from_settings(settings)), clock=clock)
    notifications = _notifications(settings, sessions, cases, adapter, clock)
    services = Services(settings=settings, cases=cases, knowledge=_knowledge_base,
                        conversation_state=conversation_state, subscriptions=notifications.subscriptions,
                        purge=partial(run_retention, sessions, RetentionPolicy.from_settings(settings)), clock=clock)
    notice_commands = NoticeCommands(notifications.subscriptions, notifications.outbox, clock=clock,
                                     digest_time=notifications.scanner.digest_time)
    export_links = ExportLinks(settings.export_secret or settings.app_password, settings.export_link_minutes)

    replies = Replies(cases.engine.routines, services.knowledge)
    actions = CaseActions(services)
    router = Router(services, replies, actions, notices=notice_commands,
                    admin=AdminCommands(services, export_links))
    bot = LarmlotsenBot(conversation_state, router.on_message,
                        CardActionHandler(actions, services), on_bot_added=notice_commands.on_bot_added,
                        on_bot_removed=notice_commands.on_bot_removed)
    return Runtime(settings=settings, clock=clock, engine=engine, sessions=sessions, lock_engine=lock_engine,
                   storage=storage, adapter=adapter, redelivery=redelivery, cases=cases, services=services,
                   export_links=export_links, notifications=notifications, notice_commands=notice_commands,
                   bot=bot, openid=openid)


def _openid_keys(settings: Settings) -> OpenIdKeys | None:
    if not settings.has_credentials:
        return None
    keys = OpenIdKeys(settings.openid_metadata_url or None)
    keys.install()
    return keys


def _knowledge_base():
    """The quick-answer index, built on the first question: an idle bot need not hold it (≈ 8 MiB)."""
    from bot.knowledge import KnowledgeBase

    return KnowledgeBase.default()


def _notifications(settings: Settings, sessions: async_sessionmaker, cases: CaseService, adapter,
                   clock: Clock) -> Notifications:
    """Channel notices: the outbox listener on `cases`, the delivery worker and the reminder scan."""
    outbox = Outbox(sessions)
    subscriptions = Subscriptions(sessions)
    listener = CaseNoticeListener(cases.engine)
    cases.add_listener(listener)
    sender = ConnectorSender(adapter, settings.app_id, settings.notice_send_timeout_seconds)
    worker = NoticeWorker(outbox, subscriptions, sender,
                          RetryPolicy(give_up_after=timedelta(hours=settings.notice_give_up_hours)),
                          tuning=WorkerTuning(lease=lease_for(settings)), clock=clock)
    scanner = ReminderScanner(cases, subscriptions, sessions, lead=timedelta(minutes=settings.reminder_lead_minutes),
                              digest_time=time_of_day.fromisoformat(settings.digest_time),
                              abandoned_grace=timedelta(days=settings.abandoned_grace_days), clock=clock)
    listener.wake = scanner.wake = worker.wake
    return Notifications(outbox, subscriptions, worker, scanner, settings.reminder_scan_seconds,
                         timedelta(days=settings.notice_keep_days), clock=clock)


def lease_for(settings: Settings) -> timedelta:
    # The lease must outlast one send, or a slow send could be taken over and sent twice.
    return timedelta(seconds=max(settings.notice_lease_seconds, 2 * settings.notice_send_timeout_seconds + 30))
