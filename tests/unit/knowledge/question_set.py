"""The measured question set, shared by the tests and the benchmark."""

from __future__ import annotations

import json
from pathlib import Path

QUESTIONS_FILE = Path(__file__).resolve().parent / "questions.json"


def load_question_set(path: Path = QUESTIONS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def expected_facts(item: dict) -> list[str]:
    """The texts any one of which the top answer must contain."""
    fact = item["fact"]
    return fact if isinstance(fact, list) else [fact]


def is_correct(answer_text: str | None, item: dict) -> bool:
    return answer_text is not None and any(fact in answer_text for fact in expected_facts(item))
