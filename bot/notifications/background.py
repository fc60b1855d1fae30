"""The notices' background work for one running bot: the delivery worker, the reminder scan and
the housekeeping of finished notices, started and stopped with the app (bot/app.py). The parts
are built by the composition root (bot/composition.py)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.clock import Clock, system_clock

from .outbox import Outbox
from .reminders import ReminderScanner
from .subscriptions import Subscriptions
from .worker import NoticeWorker

log = logging.getLogger(__name__)

_HOUSEKEEPING_EVERY_S = 3600


@dataclass
class Notifications:
    outbox: Outbox
    subscriptions: Subscriptions
    worker: NoticeWorker
    scanner: ReminderScanner
    scan_every_s: float
    keep: timedelta = timedelta(days=30)
    clock: Clock = system_clock
    tasks: list[asyncio.Task] = field(default_factory=list)

    def start(self) -> list[asyncio.Task]:
        """Start the worker, the scan and the housekeeping; the app keeps the tasks."""
        self.tasks = [asyncio.create_task(self.worker.run(), name="notice-worker"),
                      asyncio.create_task(self.scanner.run(self.scan_every_s), name="reminder-scan"),
                      asyncio.create_task(self._housekeeping(), name="notice-housekeeping")]
        return list(self.tasks)

    async def _housekeeping(self) -> None:
        while True:
            try:
                purged = await self.outbox.purge_finished(self.clock() - self.keep)
                if purged:
                    log.info("notices: %d finished notice(s) older than %s forgotten", purged, self.keep)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - housekeeping must never stop the bot
                log.exception("notice housekeeping failed; will try again")
            await asyncio.sleep(_HOUSEKEEPING_EVERY_S)

    async def stop(self) -> None:
        """After the app cancelled its background tasks (these among them)."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        log.info("notices stopped: %s", dict(self.worker.stats))
