"""Every card the bot can send, built from real domain objects in the states that matter."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.domain import CaseEngine
from bot.knowledge import KnowledgeBase
from cards.admin import export_card, statistics_card
from cards.answer import answer_card
from cards.cases import case_list_card
from cards.checklist import checklist_card
from cards.help import help_card
from cards.intake import customer_ref_card, question_card
from dialogs.intake import routine_titles
from tests.support import checklist_states
from tests.support.checklist_states import ANNA, walk

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
# The checklist states' facts, but the termination is of a customer without a lock accessory.
FACTS = {**checklist_states.FACTS, "termination": {"lock": False, "keys_held": True}}


def _due(engine, case):
    return engine.deadline_views(case, NOW)


def all_cards() -> dict[str, dict]:
    engine = CaseEngine()
    cards: dict[str, dict] = {"help": help_card(routine_titles(engine.routines))}
    open_cases = []
    for number, (key, facts) in enumerate(FACTS.items(), start=1):
        routine = engine.routine(key)
        for spec_number, spec in enumerate(routine.facts, start=1):
            cards[f"question_{key}_{spec.name}"] = question_card(routine, spec, spec_number, len(routine.facts),
                                                                 "Det svaret förstod jag inte." if spec_number == 1 else None)
        case = engine.open_case(key, reference=f"TL-2026-{number:04d}", actor=ANNA, at=NOW - timedelta(days=1),
                                facts=facts, customer_ref="Löpnr 7", team_id="19:team").case
        cards[f"checklist_{key}_new"] = checklist_card(case, _due(engine, case))
        middle = walk(case, 2, NOW - timedelta(hours=3))
        cards[f"checklist_{key}_middle"] = checklist_card(middle, _due(engine, middle),
                                                          notice="Steg 2 är klart.")
        finished = walk(case, 30, NOW)
        cards[f"checklist_{key}_all_done"] = checklist_card(finished, _due(engine, finished))
        closed = finished.close(ANNA, NOW).case
        cards[f"checklist_{key}_closed"] = checklist_card(closed, {})
        open_cases.append((middle, next((v.due_at for v in _due(engine, middle).values()), None)))
    priority = engine.open_case("new_order", reference="TL-2026-0099", actor=ANNA, at=NOW, facts=FACTS["new_order"],
                                customer_ref="Löpnr 7").case
    priority = walk(priority, 2, NOW)  # accept and securing access done: step 2 is next
    cards["checklist_new_order_priority_notify"] = checklist_card(priority, _due(engine, priority), form_url="https://start.stockholm/blankett.pdf")
    declined = engine.open_case("new_order", reference="TL-2026-0100", actor=ANNA, at=NOW).case
    declined = declined.decline(ANNA, NOW, "Kunden har flyttat").case
    cards["checklist_new_order_declined"] = checklist_card(declined, {})
    routine = engine.routine("new_order")
    cards["customer_ref"] = customer_ref_card(routine)
    cards["customer_ref_refused"] = customer_ref_card(routine, "Det där ser ut som ett personnummer.")
    cards["case_list_mine"] = case_list_card(open_cases, NOW, team=False, closing_basis=engine.closing_basis())
    cards["case_list_team_empty"] = case_list_card([], NOW, team=True)
    knowledge = KnowledgeBase.default()
    cards["answer_with_routine"] = answer_card(
        knowledge.answer("vilket nummer ringer jag vid prioriterad beställning?"), ("ny beställning", routine.title))
    cards["answer_plain"] = answer_card(knowledge.answer("var lämnas nycklarna över vid utförarbyte?"))
    cards["answer_return_both_devices"] = answer_card(
        knowledge.answer("hur återlämnar jag ett trygghetslarm?"), ("återlämna larm", "Återlämning av trygghetslarm"))
    cards["answer_not_on_page"] = answer_card(knowledge.answer("hur lång tid tar installationen?"))
    cards["answer_did_you_mean"] = answer_card(knowledge.answer("kan vi skicka larmet med posten"))
    cards["export"] = export_card("2026-10-27", "2026-11-26", 412, "https://larmlotsen.example/export/abc.def", 15)
    cards["statistics_team"] = statistics_card("Statistik för teamet", 7, 2, 3, 11, 4.5, 5.25, 6)
    cards["statistics_mine_no_lead_time"] = statistics_card("Statistik för dina ärenden", 1, 0, 0, 0, None, None, 0)
    return cards
