"""The actions on a case that both a card button and a typed command can take.

One place decides access and turns domain refusals into Swedish answers, so the card path and
the typing path can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Actor, Case, CaseNotFoundError, DomainError
from bot.domain.access import Place, may_access
from cards.base import form_links
from cards.checklist import checklist_card, mail_link, next_step_card

from . import wording as w
from .services import Services


class Refusal(Exception):
    """An action the bot will not take; `message` is Swedish and safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Outcome:
    case: Case
    message: str
    changed: bool


class CaseActions:
    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def cases(self):
        return self._services.cases

    async def load(self, reference: str, actor: Actor, place: Place) -> Case:
        case = await self.cases.get_by_reference(reference)
        if case is None:
            raise Refusal(w.CASE_NOT_FOUND.format(ref=reference))
        if not may_access(case, actor, place):
            raise Refusal(w.NO_ACCESS.format(ref=reference))
        return case

    # The mutating actions check access on the case the service loads under its lock (one read
    # per action): `authorize` refuses before the domain decides, and nothing is written.

    # `version` (from a card): the case version the card was drawn from. When the case has moved
    # on since (a double click, a redelivered click, someone else's action), nothing is done and the
    # answer is the current card. `step_id` of an undo: the step the card offered to undo.

    async def complete(self, reference: str, step_id: str, actor: Actor, place: Place, *,
                       version: int | None = None) -> Outcome:
        guard = _AccessGuard(reference, actor, place, version)
        result = await self._act(reference, guard, self.cases.complete_step(reference, step_id, actor, authorize=guard))
        if result is None:
            return guard.stale()
        return Outcome(result.case, _with_warnings(result.message, result.warnings), bool(result.events))

    async def undo(self, reference: str, reason: str, actor: Actor, place: Place, *, step_id: str | None = None,
                   version: int | None = None) -> Outcome:
        guard = _AccessGuard(reference, actor, place, version, undo_step=step_id)
        result = await self._act(reference, guard,
                                 self.cases.undo_last_step(reference, actor, reason, authorize=guard))
        if result is None:
            return guard.stale()
        return Outcome(result.case, result.message, bool(result.events))

    async def close(self, reference: str, actor: Actor, place: Place, *, version: int | None = None) -> Outcome:
        guard = _AccessGuard(reference, actor, place, version)
        result = await self._act(reference, guard, self.cases.close(reference, actor, authorize=guard))
        if result is None:
            return guard.stale()
        return Outcome(result.case, result.message, bool(result.events))

    async def decline(self, reference: str, reason: str | None, actor: Actor, place: Place, *,
                      version: int | None = None) -> Outcome:
        guard = _AccessGuard(reference, actor, place, version)
        result = await self._act(reference, guard, self.cases.decline(reference, actor, reason=reason or None,
                                                                      authorize=guard))
        if result is None:
            return guard.stale()
        return Outcome(result.case, declined_message(result.case, reason), bool(result.events))

    def card(self, case: Case, notice: str = "") -> dict:
        """The whole case (after a button, `ärende TL-…`, a started case)."""
        deadlines = self.cases.engine.deadline_views(case, self._services.clock())
        return checklist_card(case, deadlines, notice, form_url=self._services.settings.form_url)

    def with_form_links(self, text: str) -> str:
        return form_links(text, self._services.settings.form_url)

    def short_card(self, case: Case, notice: str) -> dict:
        """What a typed `klar` gets: the confirmation and the next step."""
        deadlines = self.cases.engine.deadline_views(case, self._services.clock())
        return next_step_card(case, deadlines, notice, form_url=self._services.settings.form_url)

    def next_deadline(self, case: Case):
        step = case.next_step
        if step is None:
            return None
        return self.cases.engine.due_at(case, step)

    @staticmethod
    async def _act(reference: str, guard: "_AccessGuard", awaitable):
        """The service's result, or None when the guard found the card stale (nothing was written)."""
        try:
            return await awaitable
        except _StaleCard:
            return None
        except CaseNotFoundError:
            raise Refusal(w.CASE_NOT_FOUND.format(ref=reference)) from None
        except DomainError as refusal:
            raise Refusal(refusal.message) from None


class _StaleCard(Exception):
    """The clicked card shows an older version of the case: the action is not taken."""


class _AccessGuard:
    """CaseService's `authorize`, run on the case loaded under its lock: refuses a case outside the
    actor's team or group chat, stops an action from a stale card, and keeps the case as it was
    before the action (the undo and decline answers name what it held)."""

    __slots__ = ("reference", "actor", "place", "version", "undo_step", "case")

    def __init__(self, reference: str, actor: Actor, place: Place, version: int | None = None, *,
                 undo_step: str | None = None) -> None:
        self.reference, self.actor, self.place = reference, actor, place
        self.version, self.undo_step = version, undo_step
        self.case: Case | None = None

    def __call__(self, case: Case) -> None:
        if not may_access(case, self.actor, self.place):
            raise Refusal(w.NO_ACCESS.format(ref=self.reference))
        self.case = case  # a retry on fresh state replaces it
        if self.version is not None and case.version != self.version:
            raise _StaleCard(self.reference)
        last = case.last_done_step
        if self.undo_step is not None and (last is None or last.id != self.undo_step):
            raise _StaleCard(self.reference)

    def stale(self) -> Outcome:
        return Outcome(self.case, w.STALE_CARD, False)


def declined_message(case: Case, reason: str | None) -> str:
    """The answer to a decline, in every scope: what to do now and a ready e-mail link."""
    decline = case.routine.decline
    if decline is None:
        return w.DECLINED.format(ref=case.reference, instruction="", contact="")
    link = mail_link(case, decline.contact, reason=reason or None)
    contact = w.DECLINE_CONTACT.format(address=decline.contact.address, link=link)
    return w.DECLINED.format(ref=case.reference, instruction=decline.instruction, contact=contact)


def _with_warnings(message: str, warnings: tuple[str, ...]) -> str:
    return " ".join([message, *warnings]).strip()
