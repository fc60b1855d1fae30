"""The first screen acts: on a phone 412 px wide, the button that does the next step (or closes a
finished case) sits within the first 600 px of the checklist card, for every routine in its first,
middle and last state.

The cards are the ones the bot sends over /api/messages (the real app, a set clock); they are
drawn by the official renderer (npm adaptivecards) in headless Chromium, and a PNG of each is
written to build/cards/ to look at. Skipped, with what to install, without Chromium or npm ci.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.support import teams
from tests.support.botserver import BotServer, bot_settings
from tests.support.cardcheck import missing_browser_tooling
from tests.support.cardmeasure import PHONE_WIDTH, measure_cards
from tests.support.cards import execute_actions

pytestmark = pytest.mark.browser

FIRST_SCREEN_PX = 600
OUT_DIR = Path(__file__).resolve().parents[2] / "build" / "cards"
# Each routine with the answers that give its fullest branch.
ROUTINES = {
    "new_order": ("ny beställning", ["ja", "ja"]),
    "provider_change": ("utförarbyte", ["ja", "2027-01-20", "Vi lämnar (tidigare utförare)", "ja", "ja"]),
    "move": ("flytt", ["ja"]),
    "takeover": ("övertagande", []),
    "termination": ("avslut", ["ja", "ja"]),
    "return_alarm": ("återlämna larm", ["Larm med grå knapp på undersidan", "ja"]),
    "alarm_chain": ("larmkedja", []),
}


class SetClock:
    def __call__(self) -> datetime:
        return datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)  # Thursday 09:00 in Stockholm


async def _say(bot, chat, text):
    await bot.post(teams.message(chat, bot.service_url, text))


async def _states(bot, connector, key: str) -> dict[str, dict]:
    typed, answers = ROUTINES[key]
    chat = teams.personal()
    for text in [typed, *answers, "Löpnr 7"]:
        await _say(bot, chat, text)
    card = connector.sent[-1].cards[0]
    reference = card["body"][0]["items"][0]["text"].split(" ·")[0]
    case = await bot.runtime.cases.get_by_reference(reference)
    states, clicks = {f"{key}_first": card}, 0
    if len(case.steps) // 2 == 0:
        states[f"{key}_middle"] = card  # a one-step routine: its middle is its start
    while execute_actions(card, "completeStep"):
        action = execute_actions(card, "completeStep")[0]
        reply = await bot.post(teams.card_execute(chat, bot.service_url, "completeStep", action["data"]))
        card = reply.body["value"]
        clicks += 1
        if clicks == len(case.steps) // 2:
            states[f"{key}_middle"] = card
    states[f"{key}_last"] = card
    return states


@pytest.fixture(scope="module")
def tooling():
    missing = missing_browser_tooling()
    if missing:
        pytest.skip(f"first-screen test skipped: {missing}")


async def test_the_next_step_button_is_on_the_first_screen_at_412_px(tooling, sqlite_url, connector):
    bot = await BotServer(bot_settings(sqlite_url), connector, SetClock()).start()
    try:
        cards: dict[str, dict] = {}
        for key in ROUTINES:
            cards.update(await _states(bot, connector, key))
    finally:
        await bot.stop()
    measures = measure_cards(cards, PHONE_WIDTH, OUT_DIR)
    report = {name: round(m.height) for name, m in measures.items()}
    for name, measure in measures.items():
        wanted = r"^Klart: steg" if execute_actions(cards[name], "completeStep") else r"^Avsluta ärendet$"
        button = measure.button(wanted)
        assert button is not None, (name, [b.title for b in measure.buttons])
        assert button.bottom <= FIRST_SCREEN_PX, f"{name}: {button.title!r} ends at {button.bottom:.0f} px ({report})"
    priority = measures["new_order_first"].button(r"^Ring 08-508 40 613$")
    assert priority is not None and priority.bottom <= FIRST_SCREEN_PX, "the priority number is on the first screen"
    assert all(not execute_actions(cards[f"{key}_last"], "completeStep") for key in ROUTINES)
    assert all((OUT_DIR / f"{name}.png").is_file() for name in cards)
