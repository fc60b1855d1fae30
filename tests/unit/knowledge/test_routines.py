"""Suggesting the routine a message is about doing."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase

ROUTINE_KEYS = {
    "new_order",
    "provider_change",
    "move",
    "takeover",
    "termination",
    "return_alarm",
    "alarm_chain",
}


@pytest.mark.parametrize(
    ("text", "routine"),
    [
        ("kunden ska flytta", "move"),
        ("brukaren flyttar till en ny lägenhet", "move"),
        ("kunden vill byta utförare", "provider_change"),
        ("vi får ett utförarbyte på måndag", "provider_change"),
        ("vi ska ta över ett befintligt trygghetslarm", "takeover"),
        ("övertagande av larm", "takeover"),
        ("larmet ska avslutas", "termination"),
        ("låset ska demonteras", "termination"),
        ("jag ska lämna tillbaka ett larm", "return_alarm"),
        ("hur stänger jag av larmet", "return_alarm"),
        ("aterlamna larmet", "return_alarm"),
        ("vi har fått en ny beställning", "new_order"),
        ("vi kan inte ta emot beställningen", "new_order"),
        ("prioriterad beställning av trygghetslarm", "new_order"),
        ("ändra larmkedjan", "alarm_chain"),
        ("en anhörig ska läggas till i larmkedjan", "alarm_chain"),
    ],
)
def test_suggest_routine(knowledge_base: KnowledgeBase, text: str, routine: str):
    assert knowledge_base.suggest_routine(text) == routine


@pytest.mark.parametrize("text", ["hej", "vad blir det för väder", "tack så mycket", "", "vem är min chef"])
def test_no_routine_for_unrelated_text(knowledge_base: KnowledgeBase, text: str):
    assert knowledge_base.suggest_routine(text) is None


def test_answers_only_suggest_known_routine_keys(knowledge_base: KnowledgeBase, question_set: dict):
    for item in question_set["answerable"]:
        answer = knowledge_base.answer(item["question"])
        if answer is not None:
            assert answer.routine is None or answer.routine in ROUTINE_KEYS


def test_answer_offers_the_routine_of_the_question(knowledge_base: KnowledgeBase):
    answer = knowledge_base.answer("kunden ska flytta, vad gör vi?")
    assert answer is not None and answer.routine == "move"
