"""Two bot worker processes (real OS processes) on one PostgreSQL database and one fake Bot
Connector, which throttles and fails now and then: 500 notices, each delivered exactly once, in
order within each lane, and both processes did part of the work."""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.notifications.outbox import SENT

from tests.support.notices import card_texts

REPO = Path(__file__).resolve().parents[2]
COUNT = 500
LANES = 50


async def spawn(database_url: str, name: str, result: Path, log: Path):
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.worker_process", database_url, name, str(COUNT), str(result),
        cwd=REPO, stdout=asyncio.subprocess.DEVNULL, stderr=log.open("w"))


async def wait_ready(paths: list[Path], timeout_s: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not all(Path(f"{p}.ready").exists() for p in paths):
        assert asyncio.get_running_loop().time() < deadline, "worker processes did not start"
        await asyncio.sleep(0.05)


async def test_two_processes_deliver_500_notices_exactly_once(world, connector, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes need PostgreSQL (SQLite: one process is assumed)")
    results = [tmp_path / "w1.json", tmp_path / "w2.json"]
    processes = [await spawn(database_url, f"proc-{n}", path, tmp_path / f"w{n}.log")
                 for n, path in enumerate(results, 1)]
    await wait_ready(results)
    connector.fail_next(503, times=20)
    connector.fail_next(429, {"Retry-After": "0.2"}, times=5)
    connector.fail_next(500, times=20)
    await world.queue_plain(COUNT, datetime.now(timezone.utc), lanes=LANES)
    codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), 90)
    logs = "\n".join(p.read_text()[-2000:] for p in tmp_path.glob("w*.log"))
    assert codes == [0, 0], logs

    received = Counter(card_texts(connector))
    assert len(received) == COUNT, "none lost"
    assert max(received.values()) == 1, f"duplicates: {[t for t, c in received.items() if c > 1]}"
    texts = card_texts(connector)
    for lane in range(LANES):
        numbers = [int(t.split("-")[1]) for t in texts if int(t.split("-")[1]) % LANES == lane]
        assert numbers == sorted(numbers), f"lane {lane} out of order"
    assert Counter(row.status for row in await world.outbox.all()) == {SENT: COUNT}

    stats = [json.loads(path.read_text())["stats"] for path in results]
    delivered = [s.get("delivered", 0) for s in stats]
    assert sum(delivered) == COUNT and min(delivered) > 0, f"both processes work: {delivered}"
    assert sum(s.get("retried", 0) for s in stats) == 45
    assert all(s.get("claim_lost", 0) == 0 for s in stats)
    (REPO / "test-output").mkdir(exist_ok=True)
    (REPO / "test-output" / "notices-two-processes.json").write_text(json.dumps(
        {"notices": COUNT, "received": sum(received.values()), "duplicates": 0, "per_process": stats}, indent=1))
