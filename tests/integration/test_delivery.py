"""Delivery through the real CloudAdapter to the fake Bot Connector, which fails on purpose and
then recovers: every notice arrives once, none is lost, retries back off, Retry-After is
honoured, and a notice that cannot be delivered is marked failed and stays visible."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from aiohttp.test_utils import TestServer

from bot.notifications.outbox import FAILED, SENT
from bot.notifications.pacing import ConversationPace

from tests.support.notices import card_texts, fast_policy


def now() -> datetime:
    return datetime.now(timezone.utc)


def assert_each_once(connector, count: int, prefix: str = "n") -> None:
    received = Counter(card_texts(connector))
    assert sorted(received) == sorted(f"{prefix}-{n}" for n in range(count)), "every notice arrived"
    assert max(received.values()) == 1, f"duplicates: {[t for t, c in received.items() if c > 1]}"


async def statuses(world) -> Counter:
    return Counter(row.status for row in await world.outbox.all())


async def test_delivers_every_notice_once_in_lane_order(world, connector):
    await world.queue_plain(40, now(), lanes=4)
    worker = world.worker()
    await worker.drain()
    assert_each_once(connector, 40)
    texts = card_texts(connector)
    for lane in range(4):
        in_lane = [int(t.split("-")[1]) for t in texts if int(t.split("-")[1]) % 4 == lane]
        assert in_lane == sorted(in_lane), "a lane's notices arrive in the order they were queued"
    assert await statuses(world) == {SENT: 40}
    assert worker.stats["delivered"] == 40


async def test_server_errors_then_recovery(world, connector):
    connector.fail_next(500, times=7)
    connector.fail_next(502, times=3)
    connector.fail_next(503, times=3)
    connector.fail_next(504, times=3)
    connector.fail_next(412, times=2)
    await world.queue_plain(25, now())
    worker = world.worker()
    await worker.drain()
    assert_each_once(connector, 25)
    assert worker.stats["retried"] == 18
    assert await statuses(world) == {SENT: 25}


async def test_throttling_honours_retry_after(world, connector):
    connector.fail_next(429, {"Retry-After": "1"}, times=1)
    await world.queue_plain(1, now())
    worker = world.worker()
    started = time.monotonic()
    await worker.drain()
    assert time.monotonic() - started >= 1.0, "waited as long as Retry-After said, not the 10 ms back-off"
    assert_each_once(connector, 1)
    assert worker.stats["retried http 429"] == 1


async def test_a_slow_connector_times_out_then_recovers(world, connector):
    # The connector hangs longer than the send timeout and then answers 504 (its upstream gave up):
    # the attempts time out on our side, are retried, and go through once it is fast again.
    connector.delay_s = 0.6
    connector.fail_next(504, times=5)
    await world.queue_plain(5, now())
    worker = world.worker(timeout_s=0.2)
    assert await worker.run_once() == 5
    assert worker.stats["retried timeout"] == 5
    assert connector.sent == []
    connector.delay_s = 0.0
    await asyncio.sleep(0.7)  # let the abandoned requests finish on the fake's side (they fail with 504)
    connector.failures.clear()
    await worker.drain()
    assert_each_once(connector, 5)
    assert await statuses(world) == {SENT: 5}


async def test_connection_refused_is_retried(world, connector):
    await world.queue_plain(3, now())
    port = connector.server.port
    await connector.server.close()  # the connector is down
    worker = world.worker()
    await worker.run_once()
    assert worker.stats["retried"] == 3
    assert {row.last_error for row in await world.outbox.all()} == {"unreachable"}
    connector.server = TestServer(connector.app(), host="127.0.0.1", port=port)  # and back, same address
    await connector.server.start_server()
    await worker.drain()
    assert_each_once(connector, 3)


async def test_gives_up_after_the_bounded_time_and_keeps_the_notice_visible(world, connector):
    connector.fail_next(503, times=1000)
    queued = now()
    await world.queue_plain(2, queued)
    # The worker's clock moves 50 ms each time it is read, however slow the machine: a few attempts
    # fit in the 0.3 s before it gives up (on the wall clock a slow first attempt could use them up).
    moments = itertools.count(1)
    worker = world.worker(policy=fast_policy(give_up_after=timedelta(seconds=0.3)),
                          clock=lambda: queued + timedelta(seconds=0.05) * next(moments))
    await worker.drain()
    assert connector.sent == []
    rows = await world.outbox.all()
    assert {row.status for row in rows} == {FAILED}
    assert all(row.attempts > 1 and row.last_error == "http 503" for row in rows)
    failed = await world.outbox.failed(world.channel.id)
    assert len(failed) == 2
    connector.failures.clear()


async def test_a_permanent_error_fails_at_once(world, connector):
    connector.fail_next(403, times=1)
    await world.queue_plain(2, now())
    worker = world.worker()
    await worker.drain()
    assert Counter(row.status for row in await world.outbox.all()) == {FAILED: 1, SENT: 1}
    assert worker.stats["failed"] == 1


async def test_a_restart_resumes_pending_notices_and_an_expired_claim(world, connector):
    await world.queue_plain(6, now())
    # A worker that crashed right after claiming: its claim holds until the lease runs out.
    claimed = await world.outbox.claim(worker="crashed", limit=3, lease=timedelta(seconds=0.3), now=now())
    assert len(claimed) == 3
    fresh = world.worker("after-restart")
    await fresh.run_once()
    assert len(connector.sent) == 3, "the claimed notices wait for the lease to expire"
    await fresh.drain()
    assert_each_once(connector, 6)
    assert await statuses(world) == {SENT: 6}


async def test_notices_of_a_switched_off_channel_are_cancelled_not_lost(world, connector):
    await world.queue_plain(2, now())
    await world.subscriptions.unsubscribe(world.channel.scope, now())
    worker = world.worker()
    await worker.drain()
    assert connector.sent == []
    assert {row.status for row in await world.outbox.all()} == {"cancelled"}


def test_back_off_doubles_with_jitter_and_honours_retry_after():
    from bot.notifications.retry import DeliveryProblem, RetryPolicy, parse_retry_after

    policy = RetryPolicy(base_s=2, max_delay_s=600, random=lambda: 1.0)
    server_error = DeliveryProblem(True, "http 503")
    assert [policy.delay_s(n, server_error) for n in (1, 2, 3, 10, 20)] == [2, 4, 8, 600, 600]
    low = RetryPolicy(base_s=2, random=lambda: 0.0)
    assert low.delay_s(3, server_error) == 4, "jitter keeps at least half the back-off"
    assert policy.delay_s(1, DeliveryProblem(True, "http 429", retry_after_s=30)) == 30
    created = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    assert policy.next_attempt(attempts=1, problem=server_error, created_at=created,
                               now=created + timedelta(hours=23, minutes=59, seconds=59)) is None, "past 24 h: give up"
    assert policy.next_attempt(attempts=1, problem=DeliveryProblem(False, "http 403"), created_at=created,
                               now=created) is None
    assert parse_retry_after("7") == 7.0 and parse_retry_after(None) is None and parse_retry_after("soon") is None


async def test_a_burst_into_one_channel_is_paced_under_teams_limits(world, connector):
    moments = []

    class Clock:  # time moves only while the pacing waits: the count cannot depend on the machine's speed
        now = 0.0

        @classmethod
        def read(cls):
            return cls.now

        @classmethod
        async def sleep(cls, seconds):
            cls.now += seconds

    class RecordingPace(ConversationPace):
        async def wait_turn(self, conversation):
            waited = await super().wait_turn(conversation)
            moments.append(Clock.now)
            return waited

    await world.queue_plain(10, now())
    worker = world.worker(concurrency=10, pace=RecordingPace(clock=Clock.read, sleep=Clock.sleep))
    await worker.drain()
    assert_each_once(connector, 10)
    assert sorted(moments) == [0.0] * 7 + [1.0] * 3, "seven go at once, the rest in the next second"
    assert worker.stats["paced"] == 1, "only the first of those waited; the others found the window free"
