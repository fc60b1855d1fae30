"""One intake dialog per routine: asks only the branching facts the routine needs, then the
optional customer reference, then starts the case and shows its checklist.

Each question is a card and can also be answered by typing; an answer that cannot be read is
asked again with the reason. The answers so far live in the dialog state, so a restart of the
bot in the middle of the questions loses nothing.
"""

from __future__ import annotations

from datetime import date

from botbuilder.core import MessageFactory
from botbuilder.dialogs import ComponentDialog, Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.schema import ActionTypes, CardAction, SuggestedActions

from bot.domain import DomainError, FactSpec, Routine, contains_personal_number
from bot.domain.model import holds
from bot.teams.activity import card_activity, fold, message_text, place_of, submitted_value
from bot.teams.identity import actor_of
from cards.intake import answer_labels, customer_ref_card, question_card
from dialogs.commands import ROUTINE_COMMANDS

from . import wording as w
from .answers import interpret
from .case_actions import CaseActions
from .services import Services

MAX_SUGGESTED = 3
_SKIP_WORDS = {"hoppa over", "hoppa", "skippa", "nej", "ingen", "inget", "-", "nej tack"}


def intake_dialog_id(routine_key: str) -> str:
    return f"intake_{routine_key}"


class IntakeDialog(ComponentDialog):
    """Typed commands while it waits (hjälp, avbryt, a question…): dialogs/commands.py, `during_intake`."""

    def __init__(self, routine: Routine, services: Services, case_actions: CaseActions) -> None:
        super().__init__(intake_dialog_id(routine.key))
        self.routine = routine
        self._services = services
        self._case_actions = case_actions
        self.add_dialog(WaterfallDialog("facts", [self.ask_fact_step, self.read_fact_step]))
        self.add_dialog(WaterfallDialog("customer_ref", [self.ask_customer_ref_step, self.read_customer_ref_step]))
        self.add_dialog(WaterfallDialog("intake", [self.facts_step, self.customer_ref_step, self.start_case_step]))
        self.initial_dialog_id = "intake"

    # --- the outer flow -----------------------------------------------------------------------

    async def facts_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.begin_dialog("facts", {"facts": {}})

    async def customer_ref_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["facts"] = step.result
        return await step.begin_dialog("customer_ref", {})

    async def start_case_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        activity = step.context.activity
        place = place_of(activity)
        team_id = place.team_id
        if team_id is None and not place.is_shared:
            # A case started in personal chat belongs to the user's home team (bot/notifications/subscriptions.py).
            team_id = await self._services.subscriptions.home_team(actor_of(activity).id)
        try:
            result = await self._services.cases.start_case(
                self.routine.key, actor=actor_of(activity), facts=step.values["facts"],
                team_id=team_id, conversation_id=place.conversation_id, customer_ref=step.result,
            )
        except DomainError as refusal:
            await step.context.send_activity(refusal.message)
            return await step.end_dialog()
        await self._services.set_focus(step.context, result.reference)
        text = " ".join([w.CASE_STARTED.format(ref=result.reference), *result.warnings])
        await step.context.send_activity(card_activity(self._case_actions.card(result.case), text))
        return await step.end_dialog(result.reference)

    # --- the branching facts, one question at a time -------------------------------------------

    async def ask_fact_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        facts = dict(step.options.get("facts", {}))
        spec = self._next_question(facts)
        if spec is None:
            return await step.end_dialog(facts)
        step.values["facts"] = facts
        step.values["asking"] = spec.name
        number = len(facts) + 1
        total = number + len(self._questions_after(spec, facts))
        card = question_card(self.routine, spec, number, total, step.options.get("error"))
        message = card_activity(card)
        labels = answer_labels(spec) if spec.kind != "date" else []
        if 0 < len(labels) <= MAX_SUGGESTED and not place_of(step.context.activity).is_shared:
            # Teams shows suggested actions in personal chat only: one tap answers.
            message.suggested_actions = SuggestedActions(
                actions=[CardAction(type=ActionTypes.im_back, title=label, value=label) for label in labels])
        await step.context.send_activity(message)
        return Dialog.end_of_turn

    async def read_fact_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        facts = step.values["facts"]
        spec = self.routine.fact(step.values["asking"])
        value, error = self._read_answer(step, spec)
        if error:
            return await step.replace_dialog("facts", {"facts": facts, "error": error})
        facts[spec.name] = value
        if spec.kind == "date":
            # Told at the date question itself, before any other question.
            warning = self._services.cases.engine.early_date_warning(
                self.routine, spec.name, date.fromisoformat(value), self._services.clock())
            if warning:
                await step.context.send_activity(MessageFactory.text(warning))
        return await step.replace_dialog("facts", {"facts": facts})

    def _next_question(self, facts: dict) -> FactSpec | None:
        return next((spec for spec in self.routine.facts if spec.name not in facts and self._asked(spec, facts)), None)

    def _questions_after(self, current: FactSpec, facts: dict) -> list[FactSpec]:
        names = [spec.name for spec in self.routine.facts]
        later = self.routine.facts[names.index(current.name) + 1:]
        # Only the questions this case asks: a conditional one counts once its condition holds.
        return [spec for spec in later if self._asked(spec, facts)]

    @staticmethod
    def _asked(spec: FactSpec, facts: dict) -> bool:
        return spec.required_when is None or holds(spec.required_when, facts)

    def _read_answer(self, step: WaterfallStepContext, spec: FactSpec) -> tuple[object, str | None]:
        value = submitted_value(step.context.activity)
        raw = str(value.get("answer", "")) if value else message_text(step.context.activity)
        today = self._today()
        parsed = interpret(spec, raw, today)
        if parsed is None:
            return None, w.ANSWER_INVALID.format(hint=_hint(spec))
        if spec.kind == "date":
            problem = self._date_problem(spec, parsed, today)
            return (None, problem) if problem else (parsed.isoformat(), None)
        if spec.kind == "bool":
            return parsed == spec.yes_means, None  # "Ja" gives the fact's yes-value
        return parsed, None

    def _date_problem(self, spec: FactSpec, day: date, today: date) -> str | None:
        engine = self._services.cases.engine
        try:
            engine.check_date(spec, day, today)
        except DomainError as refusal:
            return refusal.message
        return None

    def _today(self) -> date:
        return self._services.cases.engine.calendar.local_date(self._services.clock())

    # --- the customer reference -----------------------------------------------------------------

    async def ask_customer_ref_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity(card_activity(customer_ref_card(self.routine, step.options.get("error"))))
        return Dialog.end_of_turn

    async def read_customer_ref_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        value = submitted_value(step.context.activity)
        if value is not None:
            text = "" if value.get("skip") else str(value.get("customerRef") or "")
        else:
            text = message_text(step.context.activity)
            if fold(text) in _SKIP_WORDS:
                text = ""
        text = text.strip()
        if contains_personal_number(text):
            # Refused before anything is stored: the text is not kept in the dialog state.
            return await step.replace_dialog("customer_ref", {"error": w.CUSTOMER_REF_PERSONAL_NUMBER})
        if len(text) > 64:
            return await step.replace_dialog("customer_ref", {"error": w.CUSTOMER_REF_TOO_LONG})
        return await step.end_dialog(text or None)


def _hint(spec: FactSpec) -> str:
    if spec.kind == "bool":
        return w.BOOL_EXPECTED
    if spec.kind == "date":
        return w.DATE_EXPECTED
    return w.CHOICE_EXPECTED.format(choices=", ".join(f"*{choice.label}*" for choice in spec.choices))


def routine_titles(routines: dict[str, Routine]) -> list[tuple[str, str]]:
    """(command, title) for the help card, in the order staff know them."""
    return [(command, routines[key].title) for command, key in ROUTINE_COMMANDS if key in routines]
