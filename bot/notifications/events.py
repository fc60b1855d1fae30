"""From case events to notices: the CaseService listener that fills the outbox.

It runs inside the case's own transaction (see bot/case_service.py), so a notice is stored if
and only if the event that causes it is. No channel for the case's team: no notice.

What each event becomes (cards drawn by cards/notices.py):
  opened        → the case card, posted                (lane: the case in the channel)
  step_done     → the case card, updated in place, and a compact "step done" line in its thread
  step_undone   → the case card, updated
  declined      → the case card, updated, and a "declined" notice with the e-mail to send at once
  closed        → the case card, updated, and a compact "finished" line in its thread
  cancelled     → the case card, updated
  reminder_sent → a reminder (near or past the deadline) in the case card's thread
  note          → nothing
"""

from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Case, CaseEngine, CaseEvent, EventKind
from cards import notices as cards
from cards import wording as w

from .outbox import NewNotice, enqueue
from .subscriptions import NoticeChannel, notice_channel_of, scope_of_case

log = logging.getLogger(__name__)

CARD, THREAD = "case_card", "thread"


class CaseNoticeListener:
    """`async def listener(session, case, new_events)` for CaseService."""

    def __init__(self, engine: CaseEngine) -> None:
        self._engine = engine
        self.wake: Callable[[], None] | None = None  # the worker's, set when it exists

    async def __call__(self, session: AsyncSession, case: Case, new_events: tuple[CaseEvent, ...]) -> None:
        channel = await notice_channel_of(session, scope_of_case(case))
        if channel is None or not channel.active:
            return
        for event in new_events:
            for notice in self.notices_for(channel, case, event):
                await enqueue(session, notice, event.at, wake=self.wake)
                log.info("notice queued: %s for case %s event %d", notice.kind, case.reference, event.seq)

    def notices_for(self, channel: NoticeChannel, case: Case, event: CaseEvent) -> list[NewNotice]:
        # The case as it was right after this event (several events may come in one change).
        at_event = case.with_events(case.events[: event.seq])
        kind = event.kind
        if kind is EventKind.NOTE:
            return []
        if kind is EventKind.REMINDER_SENT:
            return [self._reminder(channel, at_event, event)]
        notices = [self._case_card(channel, at_event, event)]
        if kind is EventKind.STEP_DONE:
            notices.append(self._line(channel, at_event, event, "step_done", cards.step_done_card(at_event, event),
                                      w.summary_step_done(at_event.reference)))
        elif kind is EventKind.CLOSED:
            notices.append(self._line(channel, at_event, event, "closed", cards.closed_card(at_event, event),
                                      w.summary_closed(at_event.reference)))
        elif kind is EventKind.DECLINED:
            notices.append(self._line(channel, at_event, event, "declined", cards.declined_card(at_event, event),
                                      w.summary_declined(at_event.reference), mode="post"))
        return notices

    def _case_card(self, channel: NoticeChannel, case: Case, event: CaseEvent) -> NewNotice:
        step = case.next_step
        next_due = self._engine.due_at(case, step) if step is not None else None
        # The clock time of a deadline rests on settings (the closing time): the card says so.
        basis = self._engine.deadline_basis(case, step, next_due) if next_due is not None else ""
        priority = bool(case.facts.get("priority"))
        summary = w.summary_new_case(case.reference, case.routine.title, priority) if event.kind is EventKind.OPENED \
            else w.summary_case_update(case.reference)
        message = {"mode": CARD, "summary": summary, "card": cards.case_card(case, next_due, event.at, basis),
                   "version": event.seq}
        return NewNotice(channel.id, lane(channel, case), CARD, f"{case.reference}:{event.seq}:{CARD}:{channel.id}",
                         message, case.reference)

    def _line(self, channel: NoticeChannel, case: Case, event: CaseEvent, kind: str, card: dict, summary: str,
              *, mode: str = THREAD) -> NewNotice:
        message = {"mode": mode, "summary": summary, "card": card}
        return NewNotice(channel.id, lane(channel, case), kind, f"{case.reference}:{event.seq}:{kind}:{channel.id}",
                         message, case.reference)

    def _reminder(self, channel: NoticeChannel, case: Case, event: CaseEvent) -> NewNotice:
        step = case.routine.step(event.step_id)
        due = self._engine.due_at(case, step)
        overdue = due is not None and event.at >= due
        basis = self._engine.deadline_basis(case, step, due) if due is not None else ""
        card = cards.reminder_card(case, event.step_id, due or event.at, overdue=overdue, basis=basis)
        which = "overdue" if overdue else "near"
        configured = step.deadline is not None and not step.deadline.page_given
        message = {"mode": THREAD, "summary": w.summary_reminder(case.reference, overdue, configured), "card": card}
        opened = case.step_opened_at(event.step_id).isoformat()
        # One reminder of each kind per opening of the step, whichever process noticed it first.
        key = f"{case.reference}:reminder:{event.step_id}:{which}:{opened}:{channel.id}"
        return NewNotice(channel.id, lane(channel, case), "reminder", key, message, case.reference)


def lane(channel: NoticeChannel, case: Case) -> str:
    return f"{channel.id}:{case.reference}"
