"""Every address or number an answer shows is also a button that mails or calls it."""

from __future__ import annotations

import re

import pytest

from bot.knowledge import KnowledgeBase
from cards.answer import answer_card
from tests.unit.knowledge.question_set import load_question_set
from tests.unit.knowledge_blind.evaluate import load
from tests.support.cards import actions_of_type, elements

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\b0\d{1,3}-\d{2,3}(?: \d{2,3}){1,3}\b")


def every_question() -> list[str]:
    old = load_question_set()
    questions = [item["question"] for item in old["answerable"]] + old["out_of_scope"]
    return questions + [item["q"] for half in ("dev", "dev_extra", "dev2", "dev3", "dev4", "test") for item in load(half)]


def shown_text(card: dict) -> str:
    return "\n".join(e["text"] for e in elements(card) if e.get("type") == "TextBlock")


def test_every_shown_address_and_number_is_a_tappable_action():
    knowledge_base = KnowledgeBase.default()
    questions = every_question()
    suggested = []
    checked = 0
    for question in questions:
        answer = knowledge_base.answer(question)
        if answer is None:
            continue
        suggested += [s.question for s in answer.suggestions]
        checked += _check(answer_card(answer), question)
    for question in dict.fromkeys(suggested):  # what a "Menade du" button asks
        checked += _check(answer_card(knowledge_base.answer(question)), question)
    assert checked >= 100  # most answers name someone to contact


def _check(card: dict, question: str) -> int:
    urls = [action["url"] for action in actions_of_type(card, "Action.OpenUrl")]
    text = shown_text(card)
    for address in EMAIL.findall(text):
        assert any(url.startswith(f"mailto:{address}") for url in urls), (question, address, urls)
    for number in PHONE.findall(text):
        digits = re.sub(r"\D", "", number)
        assert f"tel:+46{digits[1:]}" in urls, (question, number, urls)
    return bool(EMAIL.search(text) or PHONE.search(text) or urls)


@pytest.mark.parametrize("question, address", [
    ("vi kan inte ta emot bestallningen vad gor vi", "trygghetslarm@stockholm.se"),
    ("larmet har lock på baksidan hur gör man", "installationochservice@stockholm.se"),
])
def test_the_section_s_contact_comes_with_the_answer(question: str, address: str):
    answer = KnowledgeBase.default().answer(question)
    assert answer is not None and answer.answered
    mail = [c for c in answer.contacts if c.kind == "email"]
    assert mail and mail[0].value == address
    assert mail[0].url.startswith(f"mailto:{address}?subject=")


def test_a_priority_order_offers_the_number_to_call():
    answer = KnowledgeBase.default().answer("prio beställning, vilket nummer?")
    assert "tel:+46850840613" in [c.url for c in answer.contacts]
