"""End to end in a Teams-like client: the bot and the Microsoft 365 Agents Playground as child
processes, the Playground's page in headless Chromium, every card clicked as rendered by the
official Adaptive Cards renderer.

Screenshots of each stage go to test-output/browser/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from bot.domain import routine_catalog
from bot.domain import wording as domain_words
from cards import wording as card_words
from dialogs import wording as dialog_words

from .playground_ui import PlaygroundPage

pytestmark = pytest.mark.browser

BOT_NAME = "Larmlotsen"  # playground/.m365agentsplayground.yml
TEAM, CHANNEL = "Hemtjänst Söder", "General"
NEW_ORDER = routine_catalog()["new_order"]
REFERENCE = re.compile(r"TL-\d{4}-\d{4,6}")
DONE_BUTTON = re.compile("^" + re.escape(card_words.MARK_DONE.split("{")[0]))
MAX_CLICKS = 12


def _step(step_id: str):
    return next(step for step in NEW_ORDER.steps if step.id == step_id)


@pytest.fixture
def ui(browser_context, local_playground, screenshots):
    page = browser_context.new_page()
    try:
        yield PlaygroundPage(page, screenshots).open(local_playground.url)
    finally:
        page.close()


def done_buttons(card: Locator) -> Locator:
    return card.get_by_role("button", name=DONE_BUTTON)


def complete_next(ui: PlaygroundPage, card: Locator) -> str:
    """Click the first 'Klart: steg …' button; the invoke's answer replaces the card in place."""
    button = done_buttons(card).first
    title = button.inner_text().strip()
    button.click()
    expect(card.get_by_role("button", name=title, exact=True)).to_have_count(0)
    return title


def answer_questions_by_clicking(ui: PlaygroundPage) -> Locator:
    """`ny beställning`: not a priority order, the customer hands out a copy of the keys (each
    answer chosen by what it says on the card), the reference skipped."""
    seen = ui.card_count()
    ui.say("ny beställning")
    question = ui.next_card(seen)
    expect(question).to_contain_text(NEW_ORDER.facts[0].question)
    ui.choose(question, NEW_ORDER.facts[0].no_label)
    ui.screenshot("01-question-card", around=question)
    ui.click(question, card_words.NEXT_BUTTON)
    second = ui.next_card(seen + 1)
    expect(second).to_contain_text(NEW_ORDER.facts[1].question)
    ui.choose(second, NEW_ORDER.facts[1].yes_label)
    ui.click(second, card_words.NEXT_BUTTON)
    customer_ref = ui.next_card(seen + 2)
    ui.click(customer_ref, card_words.SKIP)
    return ui.next_card(seen + 3)


def test_new_order_walked_to_the_last_step_by_clicking_the_cards(ui):
    checklist = answer_questions_by_clicking(ui)
    expect(checklist).to_contain_text(card_words.STATUS_LINE["open"])
    reference = REFERENCE.search(checklist.inner_text()).group(0)
    expect(checklist).to_contain_text(f"{reference} · {NEW_ORDER.title}")
    ui.screenshot("02-checklist-started", around=checklist)

    # Typed out of order: step 3 before step 2 is refused in the chat, with the reason.
    ui.say("klar 3")
    ui.shows(domain_words.blocked_by("3", "2", _step("notify_installation").title))
    ui.screenshot("03-typed-step-3-refused")

    # Steps in the order they are done: securing access (A) before step 2.
    clicked = [complete_next(ui, checklist) for _ in range(3)]
    assert clicked == [card_words.MARK_DONE.format(label=label) for label in ("1", "A", "2")]

    _refuse_a_click_out_of_order(ui, checklist, reference)

    for _ in range(MAX_CLICKS):
        if not done_buttons(checklist).count():
            break
        clicked.append(complete_next(ui, checklist))
    # Informing the customer (B) comes before step 3.
    assert clicked[-4:] == [card_words.MARK_DONE.format(label=label) for label in ("2", "B", "3", "4")]
    expect(checklist).to_contain_text(card_words.ALL_DONE.format(done=NEW_ORDER.done_message))
    ui.click(checklist, card_words.CLOSE_CASE)
    expect(checklist).to_contain_text(f"{card_words.STATUS_LINE['closed']} – {NEW_ORDER.done_message}")
    expect(checklist.get_by_role("button")).to_have_count(1)  # only "Visa mer": the log stays readable
    expect(checklist.get_by_role("button", name=card_words.SHOW_MORE, exact=True)).to_be_visible()
    ui.screenshot("05-case-closed-insatsen-igang", around=checklist.get_by_text(NEW_ORDER.done_message))


def _refuse_a_click_out_of_order(ui: PlaygroundPage, checklist: Locator, reference: str) -> None:
    """A second copy of the card (`ärende TL-…`) still offers step B after step 2 is undone on the
    first one: the copy is stale, so clicking it changes nothing and the copy becomes the current
    card, which says why."""
    seen = ui.card_count()
    ui.say(f"ärende {reference}")
    copy = ui.next_card(seen)
    step_b = card_words.MARK_DONE.format(label="B")
    expect(copy.get_by_role("button", name=step_b, exact=True)).to_be_visible()

    ui.click(checklist, card_words.UNDO_LAST)
    checklist.get_by_role("textbox").fill("Fel knapp i testet")
    ui.click(checklist, card_words.UNDO_CONFIRM.format(label="2"))
    expect(checklist.get_by_role("button", name=card_words.MARK_DONE.format(label="2"), exact=True)).to_be_visible()

    ui.click(copy, step_b)
    refusal = dialog_words.STALE_CARD
    expect(ui.page.get_by_text(refusal).first).to_be_visible()
    expect(copy.get_by_role("button", name=card_words.MARK_DONE.format(label="2"), exact=True)).to_be_visible()
    ui.screenshot("04-click-on-step-b-refused", around=ui.page.get_by_text(refusal))


def test_a_quick_question_is_answered_from_the_citys_page(ui):
    seen = ui.card_count()
    ui.say("vilket nummer ringer jag vid prioriterad beställning?")
    answer = ui.next_card(seen)
    expect(answer).to_contain_text("08-508 40 613")
    ui.screenshot("06-quick-answer", around=answer)


def test_a_mention_in_the_team_channel_gets_the_help_card(ui):
    ui.open_channel(TEAM, CHANNEL)
    ui.post_mentioning(BOT_NAME, "hjälp")
    post = ui.page.get_by_text(re.compile(rf"^{BOT_NAME}\s+hjälp$")).last
    expect(post).to_be_visible()
    # The answer comes in the post's thread; the bot may also post notices in the channel.
    help_card = ui.cards.filter(has_text=card_words.HELP_TITLE).last
    expect(help_card).to_be_visible()
    expect(help_card.get_by_role("button").first).to_be_visible()
    ui.screenshot("07-channel-mention-help", around=help_card)
