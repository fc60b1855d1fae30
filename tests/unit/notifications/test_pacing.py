"""The notice worker's pacing per conversation stays under Teams' limits (7 a second, 60 in
30 seconds), on a fake clock: no window ever holds more, and a quiet conversation is not slowed."""

from __future__ import annotations

import asyncio

from bot.notifications.pacing import TEAMS_LIMITS, ConversationPace


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def _most_in_any_window(moments: list[float], seconds: float) -> int:
    return max(sum(1 for other in moments if start <= other < start + seconds) for start in moments)


async def test_a_burst_into_one_conversation_keeps_within_both_limits():
    fake = FakeTime()
    pace = ConversationPace(clock=fake.clock, sleep=fake.sleep)
    moments = []
    for _ in range(150):
        await pace.wait_turn("channel-1")
        moments.append(fake.now)
    for count, seconds in TEAMS_LIMITS:
        assert _most_in_any_window(moments, seconds) == count, (count, seconds)
    assert moments[6] == moments[0], "the first seven go at once"
    assert moments[7] >= moments[0] + 1.0
    assert moments[60] >= moments[0] + 30.0, "the 61st waits until the first leaves the 30 s window"


async def test_concurrent_senders_share_the_limits_of_their_conversation():
    fake = FakeTime()
    pace = ConversationPace(clock=fake.clock, sleep=fake.sleep)
    moments = []

    async def send():
        await pace.wait_turn("channel-1")
        moments.append(fake.now)

    await asyncio.gather(*(send() for _ in range(20)))
    assert _most_in_any_window(moments, 1.0) <= 7


async def test_conversations_are_paced_apart():
    fake = FakeTime()
    pace = ConversationPace(clock=fake.clock, sleep=fake.sleep)
    for _ in range(7):
        await pace.wait_turn("busy")
    assert await pace.wait_turn("quiet") == 0.0, "another conversation is not held up"
    assert await pace.wait_turn("busy") > 0.0
