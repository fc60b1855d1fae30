"""Puts the notices together for one running bot: the outbox listener on the CaseService, the
delivery worker and the reminder scan as background tasks of the aiohttp app, and the commands
for the Router and the bot's on_bot_added hook."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.cases.service import CaseService
from bot.config import Settings

from dialogs.notices import NoticeCommands
from bot.teams.delivery import ConnectorSender
from .events import CaseNoticeListener
from .outbox import Outbox
from .reminders import ReminderScanner
from .retry import RetryPolicy
from .subscriptions import Subscriptions
from .worker import NoticeWorker, WorkerTuning

log = logging.getLogger(__name__)

_HOUSEKEEPING_EVERY_S = 3600


@dataclass
class Notifications:
    outbox: Outbox
    subscriptions: Subscriptions
    commands: NoticeCommands
    worker: NoticeWorker
    scanner: ReminderScanner
    scan_every_s: float
    keep: timedelta = timedelta(days=30)
    tasks: list[asyncio.Task] = field(default_factory=list)

    async def start(self, runtime) -> None:
        """runtime.extras["on_ready"] hook: start the worker, the scan and the housekeeping with the app."""
        self.tasks = [asyncio.create_task(self.worker.run(), name="notice-worker"),
                      asyncio.create_task(self.scanner.run(self.scan_every_s), name="reminder-scan"),
                      asyncio.create_task(self._housekeeping(), name="notice-housekeeping")]
        runtime.background.extend(self.tasks)

    async def _housekeeping(self) -> None:
        while True:
            try:
                purged = await self.outbox.purge_finished(datetime.now(timezone.utc) - self.keep)
                if purged:
                    log.info("notices: %d finished notice(s) older than %s forgotten", purged, self.keep)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - housekeeping must never stop the bot
                log.exception("notice housekeeping failed; will try again")
            await asyncio.sleep(_HOUSEKEEPING_EVERY_S)

    async def stop(self, runtime) -> None:
        """runtime.extras["on_stop"] hook: the app already cancelled its background tasks."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        log.info("notices stopped: %s", dict(self.worker.stats))


def lease_for(settings: Settings) -> timedelta:
    # The lease must outlast one send, or a slow send could be taken over and sent twice.
    return timedelta(seconds=max(settings.notice_lease_seconds, 2 * settings.notice_send_timeout_seconds + 30))


def install_notifications(*, settings: Settings, sessions: async_sessionmaker, cases: CaseService, adapter,
                          extras: dict[str, Any]) -> Notifications:
    outbox = Outbox(sessions)
    subscriptions = Subscriptions(sessions)
    listener = CaseNoticeListener(cases.engine)
    cases.add_listener(listener)
    sender = ConnectorSender(adapter, settings.app_id, settings.notice_send_timeout_seconds)
    worker = NoticeWorker(outbox, subscriptions, sender,
                          RetryPolicy(give_up_after=timedelta(hours=settings.notice_give_up_hours)),
                          tuning=WorkerTuning(lease=lease_for(settings)))
    scanner = ReminderScanner(cases, subscriptions, sessions, lead=timedelta(minutes=settings.reminder_lead_minutes),
                              digest_time=time.fromisoformat(settings.digest_time),
                              abandoned_grace=timedelta(days=settings.abandoned_grace_days))
    listener.wake = scanner.wake = worker.wake
    notifications = Notifications(outbox, subscriptions, NoticeCommands(subscriptions, outbox), worker, scanner,
                                  settings.reminder_scan_seconds, timedelta(days=settings.notice_keep_days))
    extras.setdefault("on_ready", []).append(notifications.start)
    extras.setdefault("on_stop", []).append(notifications.stop)
    extras["notifications"] = notifications
    return notifications
