"""The background worker that delivers the outbox: claim a batch, send each notice, record the
outcome. A failed attempt is retried with back-off and jitter (Retry-After honoured) until the
bounded give-up time; then the notice is marked failed, logged, and shown by `notiser`.

Exactly once, and where it can break: a notice is claimed under a lease before it is sent and
marked sent right after. A worker that dies between the send and the mark (or whose lease runs
out mid-send) leaves a notice that another worker sends again once the lease expires; the lease
is kept far above the send timeout so only a crash can do that. A send that times out is
ambiguous (the connector may have posted it) and is retried: the one at-least-once window.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.clock import Clock, system_clock
from bot.teams.delivery import DeliveryError
from .outbox import ClaimedNotice, Outbox
from .pacing import ConversationPace
from .retry import DeliveryProblem, RetryPolicy
from .subscriptions import NoticeChannel, Subscriptions

log = logging.getLogger(__name__)


def _bot_not_in_conversation(problem: DeliveryProblem) -> bool:
    return problem.status == 403 and problem.code == "BotNotInConversationRoster"


@dataclass
class WorkerTuning:
    batch: int = 20
    concurrency: int = 8
    poll_s: float = 1.0
    lease: timedelta = timedelta(minutes=5)


class NoticeWorker:
    def __init__(self, outbox: Outbox, subscriptions: Subscriptions, sender, policy: RetryPolicy | None = None, *,
                 tuning: WorkerTuning | None = None, name: str | None = None, pace: ConversationPace | None = None,
                 clock: Clock = system_clock) -> None:
        self.outbox = outbox
        self.subscriptions = subscriptions
        self.sender = sender  # delivery.ConnectorSender (or a test double with post/update)
        self.policy = policy or RetryPolicy()
        self.tuning = tuning or WorkerTuning()
        self.name = name or f"worker-{uuid.uuid4().hex[:8]}"
        self.clock = clock
        self.pace = pace or ConversationPace()  # Teams' per-conversation limits
        self.stats: Counter[str] = Counter()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    # --- the loop ----------------------------------------------------------------------------------

    async def run(self) -> None:
        log.info("notice worker %s started", self.name)
        try:
            while True:
                try:
                    if await self.run_once():
                        continue
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001 - e.g. the database is away: try again later
                    log.exception("notice worker %s: a round failed; trying again", self.name)
                await self._sleep()
        finally:
            await self._release_claims()
            log.info("notice worker %s stopped: %s", self.name, dict(self.stats))

    async def _release_claims(self) -> None:
        # A send cut off by the stop may still have reached Teams: at-least-once, as after a crash.
        try:
            async with asyncio.timeout(5):
                released = await self.outbox.release_claims(self.name)
            if released:
                log.info("notice worker %s handed back %d claimed notice(s)", self.name, released)
        except Exception:  # noqa: BLE001 - the lease expires anyway
            log.warning("notice worker %s could not hand back its claims; they expire with the lease", self.name)

    async def _sleep(self) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), self.tuning.poll_s)
        except TimeoutError:
            pass

    async def run_once(self) -> int:
        """Claim and deliver one batch; the number of notices handled."""
        claimed = await self.outbox.claim(worker=self.name, limit=self.tuning.batch, lease=self.tuning.lease,
                                          now=self.clock())
        if not claimed:
            return 0
        gate = asyncio.Semaphore(self.tuning.concurrency)

        async def one(notice: ClaimedNotice) -> None:
            async with gate:
                await self.deliver(notice)

        outcomes = await asyncio.gather(*(one(notice) for notice in claimed), return_exceptions=True)
        for notice, outcome in zip(claimed, outcomes):
            if isinstance(outcome, Exception):
                # E.g. the database went away before the outcome was recorded: the claim expires
                # with the lease and the notice is tried again.
                log.error("notice id=%d: delivery round failed (%s)", notice.id, outcome.__class__.__name__,
                          exc_info=outcome)
        return len(claimed)

    async def drain(self, timeout_s: float = 30.0) -> None:
        """Deliver until nothing is pending, waiting out back-offs (for tests and one-off runs)."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while asyncio.get_running_loop().time() < deadline:
            if await self.run_once():
                continue
            due = await self.outbox.next_due()
            if due is None:
                return
            await asyncio.sleep(min(self.tuning.poll_s, max(0.0, (due - self.clock()).total_seconds()) + 0.005))
        raise TimeoutError("notices still pending")

    # --- one notice ----------------------------------------------------------------------------------

    async def deliver(self, notice: ClaimedNotice) -> None:
        channel = await self.subscriptions.channel_by_id(notice.channel_id)
        if channel is None or not channel.active:
            await self.outbox.mark_cancelled(notice, worker=self.name, reason="notices switched off", now=self.clock())
            self.stats["cancelled"] += 1
            log.warning("notice id=%d (%s) not sent: notices are switched off for channel %d", notice.id,
                        notice.kind, notice.channel_id)
            return
        try:
            message_id, version = await self._send(channel, notice)
        except DeliveryError as error:
            if _bot_not_in_conversation(error.problem):
                await self._bot_removed(channel, notice)
                return
            await self._failed_attempt(notice, error.problem)
            return
        done = await self.outbox.mark_sent(notice, worker=self.name, message_id=message_id, now=self.clock(),
                                           case_card_version=version)
        if done:
            self.stats["delivered"] += 1
            log.info("notice id=%d (%s) delivered as activity id=%s after %d attempt(s)", notice.id, notice.kind,
                     message_id, notice.attempts + 1)
        else:
            self.stats["claim_lost"] += 1
            log.warning("notice id=%d delivered, but worker %s had lost its claim: it may be sent twice",
                        notice.id, self.name)

    async def _send(self, channel: NoticeChannel, notice: ClaimedNotice) -> tuple[str, int | None]:
        message = notice.message
        card, summary, mode = message["card"], message.get("summary"), message.get("mode", "post")
        if mode == "case_card":
            return await self._send_case_card(channel, notice, card, summary, int(message.get("version", 0)))
        if mode == "replace":
            return await self._replace(channel, message["message_id"], card, summary), None
        thread_root = None
        if mode == "thread" and channel.kind == "channel" and notice.case_reference:
            shown = await self.outbox.case_card(channel.id, notice.case_reference)
            thread_root = shown.message_id if shown is not None else None
        return await self._post(channel, card, summary, thread_root=thread_root), None

    async def _send_case_card(self, channel: NoticeChannel, notice: ClaimedNotice, card: dict, summary: str | None,
                              version: int) -> tuple[str, int | None]:
        shown = await self.outbox.case_card(channel.id, notice.case_reference)
        if shown is None:
            return await self._post(channel, card, summary), version
        if shown.version >= version:
            return shown.message_id, None  # a newer card is already up: nothing to do
        try:
            return await self._update(channel, shown.message_id, card, summary), version
        except DeliveryError as error:
            if error.problem.status != 404:
                raise
            log.info("case card of notice id=%d is gone from the channel: posting a new one", notice.id)
            return await self._post(channel, card, summary), version

    async def _replace(self, channel: NoticeChannel, message_id: str, card: dict, summary: str | None) -> str:
        """Overwrite a posted message (a purged case's card); one already deleted needs nothing."""
        try:
            return await self._update(channel, message_id, card, summary)
        except DeliveryError as error:
            if error.problem.status != 404:
                raise
            return message_id

    async def _bot_removed(self, channel: NoticeChannel, notice: ClaimedNotice) -> None:
        """Teams says the bot is not in the conversation any more: retrying cannot help."""
        outcome = await self.subscriptions.bot_removed(channel_id=channel.id, now=self.clock())
        cancelled = outcome[1] if outcome else 0
        self.stats["cancelled"] += cancelled
        log.warning("notice id=%d (%s): the bot was removed from channel %d (403 BotNotInConversationRoster): "
                    "its notices are switched off and %d pending notice(s) cancelled; shown by `notiser`",
                    notice.id, notice.kind, channel.id, cancelled)

    # --- sending, paced per conversation ----------------------------------------------------------------

    async def _post(self, channel: NoticeChannel, card: dict, summary: str | None, *,
                    thread_root: str | None = None) -> str:
        await self._wait_turn(channel, thread_root)
        return await self.sender.post(channel.reference, card, summary, thread_root=thread_root)

    async def _update(self, channel: NoticeChannel, message_id: str, card: dict, summary: str | None) -> str:
        await self._wait_turn(channel, None)
        return await self.sender.update(channel.reference, message_id, card, summary)

    async def _wait_turn(self, channel: NoticeChannel, thread_root: str | None) -> None:
        """Teams counts per conversation: the channel itself, and each thread (a conversation of its own)."""
        waited = await self.pace.wait_turn((channel.id, thread_root))
        if waited:
            self.stats["paced"] += 1
            log.info("channel %d%s: waited %.2f s for a turn under Teams' rate limits", channel.id,
                     " (a thread)" if thread_root else "", waited)

    async def _failed_attempt(self, notice: ClaimedNotice, problem: DeliveryProblem) -> None:
        now = self.clock()
        attempts = notice.attempts + 1
        retry_at = self.policy.next_attempt(attempts=attempts, problem=problem, created_at=notice.created_at, now=now)
        if retry_at is None:
            await self.outbox.mark_failed(notice, worker=self.name, error=problem.reason, now=now)
            self.stats["failed"] += 1
            log.error("notice id=%d (%s, case %s) FAILED after %d attempt(s): %s; shown by `notiser`", notice.id,
                      notice.kind, notice.case_reference, attempts, problem.reason)
            return
        await self.outbox.mark_retry(notice, worker=self.name, at=retry_at, error=problem.reason)
        self.stats["retried"] += 1
        self.stats[f"retried {problem.reason}"] += 1
        log.warning("notice id=%d (%s) attempt %d failed (%s); next attempt in %.2f s", notice.id, notice.kind,
                    attempts, problem.reason, (retry_at - now).total_seconds())
