"""Shared fixtures for the knowledge tests."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from tests.unit.knowledge.question_set import load_question_set


@pytest.fixture(scope="session")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.default()


@pytest.fixture(scope="session")
def question_set() -> dict:
    return load_question_set()
