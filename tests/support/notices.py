"""Helpers of the notification tests: a migrated database, a channel subscribed to notices, a
worker with fast back-off pointed at the fake Bot Connector."""

from __future__ import annotations

import random
from datetime import timedelta

from botbuilder.schema import Activity

from bot.teams.adapter import create_adapter
from bot.cases.service import CaseService
from bot.config import load_settings
from bot.db import create_engine, migrate, session_factory
from bot.domain import Actor
from bot.teams.delivery import ConnectorSender, channel_reference
from bot.notifications.events import CaseNoticeListener
from bot.notifications.outbox import NewNotice, Outbox, enqueue
from bot.notifications.retry import RetryPolicy
from bot.notifications.subscriptions import Subscriptions
from bot.notifications.worker import NoticeWorker, WorkerTuning
from cards.base import adaptive_card, text_block
from tests.support import teams

ANNA = Actor(teams.ANNA.aad_object_id, teams.ANNA.name)


def fast_policy(seed: int = 7, **overrides) -> RetryPolicy:
    """Back-off in milliseconds instead of seconds; Retry-After still honoured as sent."""
    values = dict(base_s=0.01, max_delay_s=0.05, give_up_after=timedelta(minutes=5), random=random.Random(seed).random)
    values.update(overrides)
    return RetryPolicy(**values)


class NoticeWorld:
    """A migrated database with the notice tables, a CaseService with the outbox listener, and a
    subscribed channel whose messages go to `connector`."""

    def __init__(self, database_url: str, connector) -> None:
        self.settings = load_settings({}, database_url=database_url)
        self.engine = create_engine(database_url)
        self.sessions = session_factory(self.engine)
        self.outbox = Outbox(self.sessions)
        self.subscriptions = Subscriptions(self.sessions)
        self.cases = CaseService(self.sessions)
        self.cases.add_listener(CaseNoticeListener(self.cases.engine))
        self.connector = connector
        self.adapter = create_adapter(self.settings)
        self.channel = None
        self.conversation = teams.channel()

    async def start(self, now) -> "NoticeWorld":
        await migrate(self.engine)
        activity = Activity().deserialize(teams.message(self.conversation, self.connector.url, "notiser här"))
        self.channel = await self.subscriptions.subscribe(
            scope=teams.TEAM_ID, kind="channel", conversation_id=teams.TEAM_ID, reference=channel_reference(activity),
            actor_id=ANNA.id, actor_name=ANNA.name, now=now)
        return self

    def worker(self, name: str = "w1", *, policy: RetryPolicy | None = None, timeout_s: float = 5.0,
               pace=None, clock=None, **tuning) -> NoticeWorker:
        sender = ConnectorSender(self.adapter, self.settings.app_id, timeout_s)
        values = dict(poll_s=0.02, batch=20, concurrency=8)
        values.update(tuning)
        extra = {"clock": clock} if clock is not None else {}
        return NoticeWorker(self.outbox, self.subscriptions, sender, policy or fast_policy(), name=name,
                            tuning=WorkerTuning(**values), pace=pace, **extra)

    async def queue_plain(self, count: int, now, *, lanes: int = 10, prefix: str = "n") -> None:
        """`count` simple notices spread over `lanes` lanes, in one transaction."""
        async with self.sessions.begin() as session:
            for number in range(count):
                card = adaptive_card([text_block(f"{prefix}-{number}")])
                notice = NewNotice(self.channel.id, f"{prefix}-lane-{number % lanes}", "test", f"{prefix}-{number}",
                                   {"mode": "post", "summary": None, "card": card})
                await enqueue(session, notice, now)

    async def close(self) -> None:
        await self.adapter.connector.close()
        await self.engine.dispose()


def card_texts(connector) -> list[str]:
    """The first TextBlock of every card the connector received, in order."""
    return [card["body"][0]["text"] for card in connector.all_cards()]
