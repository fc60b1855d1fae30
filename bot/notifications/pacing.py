"""Pacing per conversation, under Teams' limits for a bot: at most 7 messages a second and 60 in
30 seconds into one conversation. The notice worker waits its turn here before each send, so a
burst (a digest, many cases at once) is spread out instead of drawing 429s.

Sliding windows over the moments sends were let through; pure apart from the clock and sleep it
is given, so tests run it on a fake clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Awaitable, Callable, Hashable

# (sends, seconds): Teams' documented per-conversation limits for a bot.
TEAMS_LIMITS: tuple[tuple[int, float], ...] = ((7, 1.0), (60, 30.0))


class ConversationPace:
    def __init__(self, limits: tuple[tuple[int, float], ...] = TEAMS_LIMITS, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable] = asyncio.sleep) -> None:
        self._limits = limits
        self._longest = max(seconds for _, seconds in limits)
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[Hashable, deque[float]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def wait_turn(self, conversation: Hashable) -> float:
        """Wait until one more send into `conversation` keeps within every limit, and count it.
        Returns the seconds waited."""
        waited = 0.0
        lock = self._locks.setdefault(conversation, asyncio.Lock())
        async with lock:
            sent = self._sent.setdefault(conversation, deque())
            while (pause := self._pause(sent, self._clock())) > 0:
                await self._sleep(pause)
                waited += pause
            sent.append(self._clock())
        self._forget_idle()
        return waited

    def _pause(self, sent: deque[float], now: float) -> float:
        while sent and sent[0] <= now - self._longest:
            sent.popleft()
        pause = 0.0
        for count, seconds in self._limits:
            in_window = [moment for moment in sent if moment > now - seconds]
            if len(in_window) >= count:
                # The oldest send that still counts must leave the window first.
                pause = max(pause, in_window[len(in_window) - count] + seconds - now)
        return pause

    def _forget_idle(self) -> None:
        """Drop conversations with nothing in any window, so the maps stay small."""
        if len(self._sent) < 1024:
            return
        now = self._clock()
        for conversation in [key for key, sent in self._sent.items()
                             if not sent or sent[-1] <= now - self._longest]:
            lock = self._locks.get(conversation)
            if lock is None or not lock.locked():
                self._sent.pop(conversation, None)
                self._locks.pop(conversation, None)
