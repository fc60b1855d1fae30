"""User text is text: what staff type (a customer reference) and what Teams hands over (display
names) shows literally in every card, never as a link, an image, markup or reordered text.

The cards are drawn by the official renderer (npm adaptivecards) in headless Chromium, with
markdown rendered the way a CommonMark client does it (markdown-it with raw HTML and link
detection switched on, the strictest setting), and the resulting page is searched.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from bot.domain import Actor, CaseEngine, guard_free_text
from cards import notices
from cards.base import literal
from cards.cases import case_list_card
from cards.checklist import checklist_card, mail_link
from tests.support import cardcheck

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
ATTACKS = {
    "markdown link": "[klicka här](https://evil.example/login)",
    "markdown image": "![x](https://evil.example/pixel.png)",
    "html link": '<a href="https://evil.example">Öppna</a>',
    "html image": '<img src="https://evil.example/p.png">',
    "autolink": "<https://evil.example/a>",
    "bare url": "se https://evil.example/b nu",
    "domain": "www.evil.example",
    "e-mail": "hjalp@evil.example",
    "bold and list": "- **VIKTIGT** _läs_",
    "bidi override": "Lpnr 12 \u202eexe.fdp\u202c",
    "bidi isolate": "\u2067Kund 7\u2069 \u2066x\u2069",
    "zero width": "Kund\u200b 1\u200d2\ufeff",
    "mention": "<at>Alla</at>",
    "very long": "x" * 2000,
}
# The bot's own links (the page's contacts); everything else in a card must not be a link.
OWN_LINK = r"(?:mailto:(?:installationochservice|trygghetslarm)@stockholm\.se|tel:\+46850840613)"
OWN_ANCHOR = re.compile(r'<a href="' + OWN_LINK + r'[^"]*">([^<]*)</a>')
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable("linkify")


def _cards_showing(attack: str) -> dict[str, dict]:
    """Every card that shows a customer reference or a person's name, with `attack` as both."""
    engine = CaseEngine()
    person = Actor("00000000-0000-4000-8000-0000000000a1", attack)
    case = engine.open_case("new_order", reference="TL-2026-0042", actor=person, at=NOW - timedelta(days=1),
                            facts={"priority": True, "declines_keys_and_keyless": False}, team_id="19:team").case
    case = dataclasses.replace(case, customer_ref=attack)  # as if stored before input was cleaned
    done = case.complete_step(case.next_step.id, person, NOW - timedelta(hours=2)).case
    declined = case.decline(person, NOW, "Kunden har flyttat").case
    due = engine.deadline_views(done, NOW)
    step_done = done.events[-1]
    closed_case = done
    status = notices.ChannelStatus(True, True, "channel", attack, NOW)
    return {
        "checklist": checklist_card(done, due),
        "declined checklist": checklist_card(declined, {}),
        "case list": case_list_card([(done, None)], NOW, team=True),
        "channel case card": notices.case_card(done, None, NOW),
        "step done": notices.step_done_card(done, step_done),
        "closed": notices.closed_card(closed_case, step_done),
        "declined": notices.declined_card(declined, declined.events[-1]),
        "reminder": notices.reminder_card(done, done.next_step.id, NOW, overdue=True),
        "digest": notices.digest_card(NOW.date(), [notices.DigestRow(done, None)], [], NOW),
        "notice status": notices.status_card(status, 0, []),
    }


def _texts(node) -> list[str]:
    """The strings of a card the renderer runs through markdown: TextBlock text, facts."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found.append(node["text"])
        if node.get("type") == "FactSet":
            found += [part for fact in node["facts"] for part in (fact["title"], fact["value"])]
        for value in node.values():
            found += _texts(value)
    elif isinstance(node, list):
        for value in node:
            found += _texts(value)
    return found


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_no_markup_or_invisible_character_reaches_a_card(attack):
    for name, card in _cards_showing(ATTACKS[attack]).items():
        texts = _texts(card)
        assert texts, name
        for text in texts:
            html = OWN_ANCHOR.sub(r"\1", MARKDOWN.render(text))
            assert not re.search(r"<(a|img)\b", html), (name, text, html)
            assert not re.search(r"<(?!/?(p|strong|em|br)\b)[a-z]", html), (name, text, html)
            assert not INVISIBLE.search(text), (name, text)
        assert all(len(re.sub(r"\(" + OWN_LINK + r"[^)]*\)", "", text)) < 600 for text in texts), name


def test_the_text_still_reads_as_typed():
    html = MARKDOWN.render(literal("[klicka](https://evil.example) *x* <b>"))
    visible = re.sub(r"<[^>]+>", "", html).strip()
    assert visible == "[klicka](https\ua789//evil\u2024example) *x* &lt;b&gt;"
    assert literal("Anna-Lena Öberg") == "Anna-Lena Öberg"
    assert literal("x" * 500).endswith("…") and len(literal("x" * 500)) == 120


def test_the_mailto_body_carries_the_reference_as_plain_text():
    engine = CaseEngine()
    case = engine.open_case("takeover", reference="TL-2026-0042", actor=Actor("a", "Anna"), at=NOW).case
    case = dataclasses.replace(case, customer_ref=ATTACKS["bidi override"] + " https://evil.example")
    step = case.routine.step("send_change_form")
    body = unquote(mail_link(case, step.contacts_for(case.facts)[0]).split("body=", 1)[1])
    assert "Lpnr 12 exe\u2024fdp https\ua789//evil\u2024example" in body
    assert not INVISIBLE.search(body) and "\\" not in body


def test_input_is_cleaned_where_it_is_stored():
    assert guard_free_text("Kund\u200b 7 \u202eabc\u202c\n\tB", "kundreferens") == "Kund 7 abc B"


# --- through the official renderer ----------------------------------------------------------------------


def _render_and_inspect(cards: dict[str, dict]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    markdown = {text: MARKDOWN.render(text) for card in cards.values() for text in _texts(card)}
    found: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(cardcheck.CHROMIUM), args=cardcheck.CHROMIUM_ARGS,
                                     headless=True)
        try:
            context = browser.new_context()
            context.route("**/*", lambda r: r.continue_() if cardcheck._is_local(r.request.url) else r.abort())
            page = context.new_page()
            page.goto(cardcheck.RENDER_PAGE.as_uri())
            page.wait_for_function("window.previewReady === true && !!window.AdaptiveCards", timeout=15_000)
            page.evaluate("""markdown => {
                window.unrendered = [];
                AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
                    if (!(text in markdown)) { window.unrendered.push(text); return; }
                    result.outputHtml = markdown[text];
                    result.didProcess = true;
                };
            }""", markdown)
            for name, card in cards.items():
                result = page.evaluate("card => window.renderCard(card)", card)
                assert result["ok"], (name, result)
                found[name] = page.evaluate("""ownLink => {
                    const host = document.getElementById('card-host');
                    const own = new RegExp('^' + ownLink);
                    return {links: [...host.querySelectorAll('a')].filter(a => !own.test(a.getAttribute('href'))).length, images: host.querySelectorAll('img').length,
                            text: host.innerText, unrendered: window.unrendered.slice()};
                }""", OWN_LINK)
        finally:
            browser.close()
    return found


def test_the_renderer_shows_no_link_image_or_reordered_text():
    cardcheck.skip_if_missing(cardcheck.missing_browser_tooling())
    cards = {f"{attack} / {name}": card for attack, text in ATTACKS.items()
             for name, card in _cards_showing(text).items()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # playwright's sync API, off the loop
        rendered = pool.submit(_render_and_inspect, cards).result()
    for name, page in rendered.items():
        assert page["unrendered"] == [], name
        assert (page["links"], page["images"]) == (0, 0), name
        assert not INVISIBLE.search(page["text"]), name
    shown = rendered["markdown link / channel case card"]["text"]
    assert "[klicka här](https\ua789//evil\u2024example/login)" in shown  # literally, not as a link
    assert "Lpnr 12 exe\u2024fdp" in rendered["bidi override / checklist"]["text"]
