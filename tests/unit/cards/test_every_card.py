"""Every card the bot can send: the official 1.5 schema (with Teams' msteams property), the
official renderer, Teams' size limit, and a PNG of each to look at."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.support import cardcheck
from tests.support.cards import execute_actions
from tests.unit.cards.catalogue import all_cards

CARDS = all_cards()


def test_catalogue_covers_every_card_builder():
    kinds = {re.sub(r"_(new|middle|all_done|closed|declined|mine|team_empty|refused|with_routine|plain|priority_notify|team|mine_no_lead_time)$", "", name)
             .split("_")[0] for name in CARDS}
    assert {"help", "question", "checklist", "customer", "case", "answer", "export", "statistics"} <= kinds


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_matches_the_official_schema_and_teams_limits(name):
    assert cardcheck.validate_schema(CARDS[name]) == []


def test_every_card_parses_in_the_official_renderer():
    cardcheck.skip_if_missing(cardcheck.missing_node_tooling())
    problems = cardcheck.card_problems(CARDS, renderer=True)
    assert {name: errors for name, errors in problems.items() if errors} == {}


def test_every_card_renders_to_a_png():
    cardcheck.skip_if_missing(cardcheck.missing_browser_tooling())
    paths = cardcheck.render_pngs(CARDS, cardcheck.CARD_OUTPUT_DIR / "catalogue")
    assert set(paths) == set(CARDS)
    for path in paths.values():
        assert path.stat().st_size > 2000


def test_priority_order_card_gives_the_phone_number_as_a_tel_link_and_names_the_form():
    card = str(CARDS["checklist_new_order_priority_notify"])
    assert "tel:+46850840613" in card
    assert "Blankett för nyinstallation, ändring eller avslut av trygghetslarm och lås" in card


def test_mail_link_is_prefilled_with_reference_routine_facts_and_customer_reference():
    card = CARDS["checklist_new_order_priority_notify"]
    mailtos = [unquote(url) for url in re.findall(r"'(mailto:[^']+)'", str(card))]
    assert mailtos, "the step that contacts installation och service offers a mail"
    mail = mailtos[0]
    assert mail.startswith("mailto:installationochservice@stockholm.se?subject=TL-2026-0099")
    assert "Ny beställning av trygghetslarm" in mail
    assert "Kundreferens: Löpnr 7" in mail
    # In the sender's voice: facts, not the bot's instructions to staff.
    assert "Vi beställer installation av trygghetslarm och lås enligt bifogad blankett." in mail
    assert "Beställningen är prioriterad." in mail
    assert "Skicka blanketten" not in mail and "?" not in mail.split("body=", 1)[1]


def test_every_prefilled_mail_is_short_enough_for_every_mail_client():
    mailtos = [url for card in CARDS.values() for url in re.findall(r"'(mailto:[^']+)'", str(card))]
    assert mailtos
    assert all(len(url) <= 1800 for url in mailtos)


def test_every_card_has_a_fallback_text():
    assert all(card.get("fallbackText") for card in CARDS.values())


def test_checklist_actions_use_universal_actions_with_a_submit_fallback():
    card = CARDS["checklist_new_order_new"]
    executes = execute_actions(card)
    assert executes
    for action in executes:
        assert action["data"]["caseId"] == "TL-2026-0001"
        assert action["fallback"]["type"] == "Action.Submit"
        assert action["fallback"]["data"]["verb"] == action["verb"]


def test_declined_and_closed_cards_offer_no_actions():
    assert "actions" not in CARDS["checklist_new_order_declined"]
    assert "actions" not in CARDS["checklist_move_closed"]
