"""The blind question set: its held-out half meets the bar, and it stays as it was drawn."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.page import SOURCE_PAGE
from tests.unit.knowledge_blind.evaluate import evaluate, fold, load
from tests.unit.knowledge_blind.questions_dev2 import QUESTIONS as SECOND_BATCH
from tests.unit.knowledge_blind.questions_dev3 import QUESTIONS as THIRD_BATCH
from tests.unit.knowledge_blind.questions_dev4 import QUESTIONS as FOURTH_BATCH
from tests.unit.knowledge_blind.questions_written import QUESTIONS
from tests.unit.knowledge_blind.split import split

KEY_FACT_SHARE = 0.90
# What the held-out half measured when the second round of tuning ended (90/95, was 82/95);
# a change that loses a fact fails.
MEASURED_TEST_FLOOR = 90 / 95
OUT_OF_SCOPE_REFUSED_SHARE = 0.95


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_file()


def test_the_set_is_large_and_mixed():
    kinds = [q["kind"] for q in QUESTIONS]
    assert len(QUESTIONS) >= 200
    assert kinds.count("out") >= 30 and kinds.count("unknown") >= 20


def test_the_halves_are_the_committed_seeded_draw():
    dev, test = split(QUESTIONS)
    assert [q["id"] for q in dev] == [q["id"] for q in load("dev")]
    assert [q["id"] for q in test] == [q["id"] for q in load("test")]
    assert not {q["q"] for q in dev} & {q["q"] for q in test}


@pytest.mark.parametrize("half, batch, prefix", [("dev2", SECOND_BATCH, "n"), ("dev3", THIRD_BATCH, "m"), ("dev4", FOURTH_BATCH, "k")])
def test_the_later_development_batches_are_as_written(half: str, batch: list[dict], prefix: str):
    assert [(q["q"], q["must"], q["must_not"]) for q in load(half)] == [(q["q"], q["must"], q["must_not"]) for q in batch]
    assert [q["id"] for q in load(half)] == [f"{prefix}{n:03d}" for n in range(1, len(batch) + 1)]


def test_every_key_fact_and_forbidden_fact_is_the_page_s_wording():
    page = fold(SOURCE_PAGE.read_text(encoding="utf-8"))
    for question in QUESTIONS + SECOND_BATCH + THIRD_BATCH + FOURTH_BATCH:
        for alternatives in question["must"] + [[fact] for fact in question["must_not"]]:
            assert any(fold(fact) in page for fact in alternatives), (question["q"], alternatives)


@pytest.mark.parametrize("half", ["test", "dev", "dev_extra", "dev2", "dev3", "dev4"])
def test_half_never_contradicts_the_page_and_refuses_out_of_scope(knowledge_base: KnowledgeBase, half: str):
    score = evaluate(knowledge_base, load(half))
    assert score.contradicting == 0, "\n".join(score.lines())
    assert score.out[0] / score.out[1] >= OUT_OF_SCOPE_REFUSED_SHARE, "\n".join(score.lines())


@pytest.mark.parametrize("half, floor", [("test", MEASURED_TEST_FLOOR), ("dev", KEY_FACT_SHARE), ("dev_extra", KEY_FACT_SHARE), ("dev2", KEY_FACT_SHARE), ("dev3", KEY_FACT_SHARE), ("dev4", KEY_FACT_SHARE)])
def test_half_carries_the_key_facts(knowledge_base: KnowledgeBase, half: str, floor: float):
    """The tuned halves meet the target; the held-out half must not fall below what it measured."""
    score = evaluate(knowledge_base, load(half))
    carried, total = score.in_scope
    assert carried / total >= floor, "\n".join(score.lines())


def test_held_out_half_meets_the_90_percent_target(knowledge_base: KnowledgeBase):
    score = evaluate(knowledge_base, load("test"))
    carried, total = score.in_scope
    assert carried / total >= KEY_FACT_SHARE, "\n".join(score.lines())
