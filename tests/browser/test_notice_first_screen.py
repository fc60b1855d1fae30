"""The notice channel's cards keep their next action on a phone's first screen now that they show
what their times rest on: at 412 px wide, the case card's "Visa ärendet" (and a priority order's
"Ring") ends within the first 600 px, and a three-case digest, its settings line included, fits
in it. Drawn by the official renderer in headless Chromium; PNGs in build/cards/. Skipped, with
what to install, without Chromium or npm ci."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cardcheck import missing_browser_tooling
from tests.support.cardmeasure import PHONE_WIDTH, measure_cards
from tests.support.notice_states import notice_cards

pytestmark = pytest.mark.browser

FIRST_SCREEN_PX = 600
OUT_DIR = Path(__file__).resolve().parents[2] / "build" / "cards"


def test_the_notice_cards_next_action_is_on_the_first_screen_at_412_px():
    missing = missing_browser_tooling()
    if missing:
        pytest.skip(f"notice first-screen test skipped: {missing}")
    cards = notice_cards()
    assert "(inställning)" in str(cards["notice_case_deadline"]) and "(inställning)" in str(cards["notice_digest"])
    measures = measure_cards(cards, PHONE_WIDTH, OUT_DIR)
    heights = {name: round(m.height) for name, m in measures.items()}
    for name in ("notice_case_priority", "notice_case_deadline"):
        button = measures[name].button(r"^Visa ärendet$")
        assert button is not None and button.bottom <= FIRST_SCREEN_PX, (name, heights)
    call = measures["notice_case_priority"].button(r"^Ring 08-508 40 613$")
    assert call is not None and call.bottom <= FIRST_SCREEN_PX, heights
    assert measures["notice_digest"].height <= FIRST_SCREEN_PX, heights
    assert all((OUT_DIR / f"{name}.png").is_file() for name in cards)
