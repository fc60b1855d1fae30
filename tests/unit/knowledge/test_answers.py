"""Accuracy on the measured question set, and honesty on everything else."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.knowledge import Answer, KnowledgeBase
from bot.knowledge.page import SOURCE_PAGE, load_sections
from tests.unit.knowledge.question_set import is_correct, load_question_set

REQUIRED_ACCURACY = 0.95
QUESTION_SET = load_question_set()
PAGE_TEXT = SOURCE_PAGE.read_text(encoding="utf-8")


def test_question_set_is_large_enough():
    assert len(QUESTION_SET["answerable"]) >= 60
    assert len(QUESTION_SET["out_of_scope"]) >= 10


def test_top_answer_holds_the_fact_for_at_least_95_percent(knowledge_base: KnowledgeBase):
    misses = []
    for item in QUESTION_SET["answerable"]:
        answer = knowledge_base.answer(item["question"])
        if not is_correct(answer.text if answer else None, item):
            misses.append((item["question"], answer.text if answer else None))
    accuracy = 1 - len(misses) / len(QUESTION_SET["answerable"])
    assert accuracy >= REQUIRED_ACCURACY, f"accuracy {accuracy:.1%}, misses: {misses}"


@pytest.mark.parametrize("question", QUESTION_SET["out_of_scope"])
def test_out_of_scope_question_gets_no_answer(knowledge_base: KnowledgeBase, question: str):
    assert knowledge_base.answer(question) is None


@pytest.mark.parametrize("question", ["", "   ", "?!", "hej", "och så vidare", "asdfghjkl"])
def test_empty_or_meaningless_text_gets_no_answer(knowledge_base: KnowledgeBase, question: str):
    assert knowledge_base.answer(question) is None


@pytest.mark.parametrize("item", QUESTION_SET["answerable"], ids=lambda item: item["question"][:40])
def test_answers_quote_the_page_and_stay_short(knowledge_base: KnowledgeBase, item: dict):
    answer = knowledge_base.answer(item["question"])
    if answer is None:
        pytest.skip("unanswered; counted by the accuracy test")
    assert len(answer.text) <= 420
    for line in answer.text.splitlines():
        assert _on_page(line), f"not on the page: {line!r}"
    assert answer.section in {section.heading for section in load_sections()}


def test_answer_is_a_frozen_dataclass(knowledge_base: KnowledgeBase):
    answer = knowledge_base.answer("vilket nummer ringer jag vid prioriterad beställning?")
    assert isinstance(answer, Answer)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.text = "annat"  # type: ignore[misc]
    assert answer.score > 0


def test_priority_number_example(knowledge_base: KnowledgeBase):
    answer = knowledge_base.answer("vilket nummer ringer jag vid prioriterad beställning?")
    assert answer is not None
    assert "08-508 40 613" in answer.text
    assert answer.section == "Installation av trygghetslarm och lås"
    assert answer.routine == "new_order"


def test_switching_off_the_alarm_offers_the_return_routine(knowledge_base: KnowledgeBase):
    answer = knowledge_base.answer("hur stänger jag av larmet?")
    assert answer is not None
    assert "tre sekunder" in answer.text
    assert answer.section == "Återlämning av trygghetslarm"
    assert answer.routine == "return_alarm"


def test_keys_are_never_returned_before_the_alarm(knowledge_base: KnowledgeBase):
    answer = knowledge_base.answer("när får vi lämna tillbaka nycklarna vid avslut?")
    assert answer is not None
    assert "Återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat." in answer.text


def test_default_is_built_once():
    assert KnowledgeBase.default() is KnowledgeBase.default()


def test_page_is_found_from_any_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    knowledge_base = KnowledgeBase.from_file()
    assert knowledge_base.answer("hur ändrar jag larmkedjan?") is not None


def _on_page(line: str) -> bool:
    # Bullets are shown with "•"; the page may wrap or space differently.
    text = line.removeprefix("• ").strip()
    return " ".join(text.split()) in " ".join(PAGE_TEXT.split())
