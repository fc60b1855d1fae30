"""A card action's verb: one that the bot has no action for is refused politely and changes nothing."""

from __future__ import annotations

import pytest

from bot.domain import Actor
from bot.domain.access import Place
from dialogs import wording as w
from dialogs.card_actions import _act, perform
from dialogs.case_actions import Refusal

ANNA = Actor("aad-anna", "Anna Andersson")
PERSONAL = Place("personal", "a:1", None)


class RecordingActions:
    """Stands in for CaseActions: records every action asked of it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattr__(self, name):
        async def record(*args, **kwargs):
            self.calls.append(name)

        return record


async def test_an_unknown_verb_is_no_close():
    actions = RecordingActions()
    with pytest.raises(Refusal) as refused:
        await _act(actions, "reopenCase", "TL-2026-0001", {}, ANNA, PERSONAL, None)
    assert refused.value.message == w.UNKNOWN_ACTION
    assert actions.calls == []


async def test_close_is_still_close():
    actions = RecordingActions()
    await _act(actions, "closeCase", "TL-2026-0001", {}, ANNA, PERSONAL, 3)
    assert actions.calls == ["close"]


@pytest.mark.parametrize("verb", ["reopenCase", "", None, 42, "closecase"])
async def test_perform_answers_an_unknown_verb_in_swedish_before_reading_anything(verb):
    actions = RecordingActions()
    reply = await perform(actions, None, verb, {"caseId": "TL-2026-0001"})
    assert reply.card is None and reply.message == w.UNKNOWN_ACTION
    assert "knappen" in reply.message  # Swedish, for the user
    assert actions.calls == []
