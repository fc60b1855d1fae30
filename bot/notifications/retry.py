"""When to try a failed delivery again: exponential back-off with jitter, Retry-After honoured,
and a bounded time after which the notice is marked failed. Pure: no I/O, clock and randomness
passed in, so tests run it fast and deterministically."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Callable

from bot.domain.clock import system_clock

# Statuses that mean "try again later": throttled, precondition (Teams' concurrent edits),
# the connector or its upstream down or slow. 500 is included: Teams answers it for transient faults.
RETRYABLE_STATUSES = frozenset({408, 412, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class DeliveryProblem:
    """Why one attempt failed, without any message text."""

    retryable: bool
    reason: str  # e.g. "http 429", "timeout", "ClientRequestError"
    retry_after_s: float | None = None
    status: int | None = None
    code: str | None = None  # the connector's error code, e.g. BotNotInConversationRoster


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 2.0
    max_delay_s: float = 600.0
    give_up_after: timedelta = timedelta(hours=24)
    # Retry-After above this is capped, so one odd header cannot park a notice for days.
    max_retry_after_s: float = 3600.0
    random: Callable[[], float] = field(default=random.random, compare=False)

    def delay_s(self, attempts: int, problem: DeliveryProblem) -> float:
        """Seconds to wait after the `attempts`-th failed attempt (1 = the first)."""
        backoff = min(self.max_delay_s, self.base_s * 2 ** max(0, attempts - 1))
        # "Equal jitter": half fixed, half random, so workers that failed together spread out.
        delay = backoff / 2 + self.random() * backoff / 2
        if problem.retry_after_s is not None:
            delay = max(delay, min(problem.retry_after_s, self.max_retry_after_s))
        return delay

    def next_attempt(self, *, attempts: int, problem: DeliveryProblem, created_at: datetime,
                     now: datetime) -> datetime | None:
        """When to try again, or None to give up (not retryable, or past the bounded time)."""
        if not problem.retryable:
            return None
        moment = now + timedelta(seconds=self.delay_s(attempts, problem))
        if moment - created_at > self.give_up_after:
            return None
        return moment


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the connector sends seconds; an HTTP date is also accepted)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    # An HTTP date is the connector's wall clock, so it is compared with the real one.
    return max(0.0, (moment - system_clock()).total_seconds())
