"""One notice worker as its own OS process, for the several-processes test:

    python -m tests.support.worker_process DATABASE_URL NAME EXPECTED RESULT_FILE

It delivers until EXPECTED notices are no longer pending, then writes its counters as JSON to
RESULT_FILE. Readiness is signalled by creating RESULT_FILE + '.ready'.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.teams.adapter import create_adapter, widen_default_executor
from bot.config import load_settings
from bot.db import create_engine, session_factory
from bot.notifications.tables import NoticeRow
from bot.teams.delivery import ConnectorSender
from bot.notifications.outbox import PENDING, Outbox
from bot.notifications.subscriptions import Subscriptions
from bot.notifications.pacing import ConversationPace
from bot.notifications.worker import NoticeWorker, WorkerTuning
from tests.support.notices import fast_policy


async def finished(sessions, expected: int) -> bool:
    async with sessions() as session:
        total = await session.scalar(select(func.count()).select_from(NoticeRow))
        pending = await session.scalar(select(func.count()).where(NoticeRow.status == PENDING))
    return total >= expected and pending == 0


async def main(database_url: str, name: str, expected: int, result_file: Path) -> None:
    widen_default_executor(asyncio.get_running_loop())
    settings = load_settings({}, database_url=database_url)
    engine = create_engine(database_url, pool_size=5)
    sessions = session_factory(engine)
    worker = NoticeWorker(Outbox(sessions), Subscriptions(sessions),
                          ConnectorSender(create_adapter(settings), settings.app_id, 5.0),
                          fast_policy(seed=hash(name) % 1000), name=name,
                          tuning=WorkerTuning(batch=10, concurrency=8, poll_s=0.02),
                          # 500 notices into one channel would take minutes under Teams' per-conversation
                          # limits; this test is about exactly once (pacing: tests/unit/notifications).
                          pace=ConversationPace(limits=((10_000, 1.0),)))
    Path(f"{result_file}.ready").touch()
    task = asyncio.create_task(worker.run())
    try:
        async with asyncio.timeout(60):
            while not await finished(sessions, expected):
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        result_file.write_text(json.dumps({"name": name, "stats": dict(worker.stats)}))
        await engine.dispose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])))
