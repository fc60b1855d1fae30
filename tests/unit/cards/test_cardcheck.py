"""The card toolkit itself: it passes a good card and catches the mistakes card tests rely on it for."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from manifest.png import read_png
import tests.support.cardcheck as cardcheck
from tests.support.cardcheck import (
    CARD_OUTPUT_DIR,
    TEAMS_MAX_CARD_BYTES,
    ToolMissing,
    assert_cards_valid,
    card_problems,
    card_size_bytes,
    missing_browser_tooling,
    missing_node_tooling,
    render_png,
    render_pngs,
    validate_schema,
    validate_with_renderer,
)

OUTPUT = CARD_OUTPUT_DIR

# Shaped like the bot's step card: what a real Larmlotsen card uses (1.5 features included).
SAMPLE_CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "msteams": {"width": "Full"},
    "body": [
        {
            "type": "Container",
            "style": "emphasis",
            "bleed": True,
            "items": [
                {"type": "TextBlock", "text": "Ny beställning av trygghetslarm", "style": "heading",
                 "size": "Large", "weight": "Bolder", "wrap": True},
                {"type": "TextBlock", "text": "Ärende **TL-2026-0042** · kund *K-17*", "isSubtle": True,
                 "spacing": "None", "wrap": True},
            ],
        },
        {
            "type": "FactSet",
            "facts": [
                {"title": "Steg", "value": "2 av 4"},
                {"title": "Nästa", "value": "Meddela installation och service via blanketten"},
                {"title": "Telefon", "value": "08-508 40 613 (prioriterad beställning)"},
            ],
        },
        {
            "type": "Table",
            "firstRowAsHeader": True,
            "columns": [{"width": 1}, {"width": 4}, {"width": 2}],
            "rows": [
                {"type": "TableRow", "cells": [
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "#", "weight": "Bolder"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Steg", "weight": "Bolder"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Status", "weight": "Bolder"}]},
                ]},
                {"type": "TableRow", "cells": [
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "1"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Acceptera i Paraplysystemet", "wrap": True}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Klart", "color": "Good"}]},
                ]},
                {"type": "TableRow", "cells": [
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "2"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Skicka larmblanketten", "wrap": True}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Väntar", "color": "Warning"}]},
                ]},
            ],
        },
        {
            "type": "Input.ChoiceSet",
            "id": "lock",
            "label": "Har kunden nyckelfri hemtjänst?",
            "isRequired": True,
            "errorMessage": "Välj ja eller nej",
            "style": "expanded",
            "choices": [{"title": "Ja", "value": "yes"}, {"title": "Nej", "value": "no"}],
        },
        {"type": "Input.Text", "id": "note", "label": "Anteckning (valfri)", "isMultiline": True,
         "maxLength": 500},
    ],
    "actions": [
        {"type": "Action.Execute", "title": "Markera steg 2 som klart", "verb": "step.complete",
         "style": "positive", "data": {"case": "TL-2026-0042", "step": 2, "msteams": {"type": "x"}}},
        {"type": "Action.Submit", "title": "Visa ärendet", "data": {"action": "case.show"}},
        {"type": "Action.ShowCard", "title": "Ångra ett steg", "card": {
            "type": "AdaptiveCard",
            "body": [{"type": "Input.Text", "id": "reason", "label": "Varför?", "isRequired": True,
                      "errorMessage": "Ange ett skäl"}],
            "actions": [{"type": "Action.Execute", "title": "Ångra", "verb": "step.undo"}],
        }},
        {"type": "Action.OpenUrl", "title": "Rutinen på stadens webb",
         "url": "https://start.stockholm/"},
    ],
}


def _card(**changes) -> dict:
    card = copy.deepcopy(SAMPLE_CARD)
    card.update(changes)
    return card


def _minimal(body=None, actions=None, version="1.5", **extra) -> dict:
    card = {"type": "AdaptiveCard", "version": version,
            "body": body if body is not None else [{"type": "TextBlock", "text": "Hej"}]}
    if actions is not None:
        card["actions"] = actions
    card.update(extra)
    return card


@pytest.fixture
def node_tools() -> None:
    reason = missing_node_tooling()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def browser_tools() -> None:
    reason = missing_browser_tooling()
    if reason:
        pytest.skip(reason)


# ---------------------------------------------------------------- schema + Teams rules (Python)


def test_sample_card_passes_schema_checks():
    assert validate_schema(SAMPLE_CARD) == []


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (_minimal([{"type": "Frobnicator", "text": "x"}]), "unknown type 'Frobnicator'"),
        (_minimal([{"type": "TextBlock", "text": "x", "size": "huge"}]), "$.body[0].size"),
        (_minimal([{"type": "TextBlock", "text": "x", "colour": "Good"}]), "'colour' was unexpected"),
        (_minimal([{"type": "TextBlock"}]), "'text' is a required property"),
        (_minimal([{"type": "Input.Text", "label": "Utan id"}]), "'id' is a required property"),
        (_minimal([{"type": "Container", "items": [{"type": "Image", "url": "x", "size": "gigantic"}]}]),
         "$.body[0].items[0].size"),
        (_minimal(actions=[{"type": "Action.Execute", "title": "Klart"}]), "needs a non-empty 'verb'"),
        (_minimal(actions=[{"type": "Action.Execute", "verb": "step.complete"}]), "needs a 'title'"),
        (_minimal(actions=[{"type": "Action.OpenUrl", "title": "Länk"}]), "'url' is a required property"),
        (_minimal(actions=[{"type": "Action.Bogus", "title": "x"}]), "unknown type 'Action.Bogus'"),
        (_minimal([{"type": "Table", "columns": [], "rows": []}], version="1.4"), "Table needs card version 1.5"),
        (_minimal(actions=[{"type": "Action.Execute", "title": "x", "verb": "v"}], version="1.3"),
         "Action.Execute needs card version 1.4"),
        (_minimal(version="1.6"), "up to 1.5"),
        (_minimal(version=None), "needs a version"),
        ({"version": "1.5", "body": []}, "must be 'AdaptiveCard'"),
        (_minimal([{"type": "Input.Text", "id": "a"}, {"type": "Input.Number", "id": "a"}]), "duplicate id 'a'"),
        (_minimal(msteams={"width": "Wide"}), "$.msteams.width"),
        (_minimal(msteams={"widht": "Full"}), "'widht' was unexpected"),
        (_minimal([{"type": "TextBlock", "text": "x", "msteams": {"width": "Full"}}]), "'msteams' was unexpected"),
        (_minimal(msteams={"entities": [{"type": "mention", "text": "<at>Anna</at>",
                                         "mentioned": {"id": "29:1", "name": "Anna"}}]}),
         "does not appear in the card"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_schema_checks_catch_mistakes(card, expected):
    errors = validate_schema(card)
    assert any(expected in e for e in errors), errors


def test_msteams_allowed_where_teams_allows_it():
    card = _minimal(
        [
            {"type": "TextBlock", "text": "Hej <at>Anna</at>, steg 2 väntar på dig.", "wrap": True},
            {"type": "Image", "url": "https://example.org/karta.png", "altText": "Karta",
             "msteams": {"allowExpand": True}},
        ],
        msteams={"width": "Full", "entities": [
            {"type": "mention", "text": "<at>Anna</at>", "mentioned": {"id": "29:1abc", "name": "Anna"}}
        ]},
    )
    assert validate_schema(card) == []


def test_size_limit():
    filler = [{"type": "TextBlock", "text": "Lång rad med text om trygghetslarm " * 10, "wrap": True}] * 90
    card = _minimal(filler)
    assert card_size_bytes(card) > TEAMS_MAX_CARD_BYTES
    assert any("Teams refuses" in e for e in validate_schema(card))
    assert validate_schema(_minimal(filler[:20])) == []


def test_not_an_object():
    assert validate_schema([]) == ["$: a card must be a JSON object, got list"]


# ---------------------------------------------------------------- official renderer (Node)


def test_renderer_checks_many_cards_in_one_call(node_tools):
    cards = [
        SAMPLE_CARD,
        _minimal([{"type": "Frobnicator"}]),
        _minimal([{"type": "TextBlock", "text": "x", "size": "huge"}]),
        _minimal([{"type": "Input.Text", "id": "a"}, {"type": "Input.Text", "id": "a"}]),
        _minimal([{"type": "Input.Text"}]),
        _minimal(actions=[{"type": "Action.Bogus", "title": "x"}]),
    ]
    results = validate_with_renderer(cards)
    assert len(results) == len(cards)
    sample, unknown, bad_value, duplicate, no_id, bad_action = results
    assert sample == []
    assert any('Unknown element type "Frobnicator"' in e for e in unknown), unknown
    assert any('Invalid value "huge"' in e for e in bad_value), bad_value
    assert any('Duplicate Id "a"' in e for e in duplicate), duplicate
    assert any("unique Id" in e for e in no_id), no_id
    assert any('Unknown action type "Action.Bogus"' in e for e in bad_action), bad_action
    assert validate_with_renderer([]) == []


def test_card_problems_and_assert_combine_both_checks(node_tools):
    cards = {"good": SAMPLE_CARD, "bad": _minimal([{"type": "Frobnicator"}],
                                                  actions=[{"type": "Action.Execute", "title": "x"}])}
    problems = card_problems(cards)
    assert list(problems) == ["bad"]
    assert any(p.startswith("schema ") and "unknown type" in p for p in problems["bad"])
    assert any(p.startswith("schema ") and "verb" in p for p in problems["bad"])
    assert any(p.startswith("renderer ") and "Frobnicator" in p for p in problems["bad"])
    assert_cards_valid({"good": SAMPLE_CARD})
    with pytest.raises(AssertionError, match="1 of 2 card"):
        assert_cards_valid(cards)


def test_schema_only_mode_needs_no_node():
    assert card_problems({"good": SAMPLE_CARD}, renderer=False) == {}


def test_without_node_schema_still_fails_and_renderer_part_skips(monkeypatch):
    monkeypatch.setattr(cardcheck, "missing_node_tooling", lambda: "node is not installed (test)")
    with pytest.raises(ToolMissing, match="node is not installed"):
        validate_with_renderer([SAMPLE_CARD])
    with pytest.raises(AssertionError, match="unknown type"):
        assert_cards_valid({"bad": _minimal([{"type": "Frobnicator"}])})
    with pytest.raises(pytest.skip.Exception, match="renderer check skipped: node is not installed"):
        assert_cards_valid({"good": SAMPLE_CARD})


# ---------------------------------------------------------------- rendering (Chromium)


def _ink(path: Path) -> int:
    image = read_png(path)
    return sum(1 for row in image.pixels for r, g, b, _ in row if r + g + b < 300)


def test_render_sample_card_to_png(browser_tools):
    out = render_png(SAMPLE_CARD, OUTPUT / "sample.png")
    assert out == OUTPUT / "sample.png" and out.is_file()
    image = read_png(out)
    assert image.width >= 600 and image.height >= 300  # full-width card with a table and inputs
    assert _ink(out) > 2000, "the rendered card looks empty"


def test_render_many_cards_in_one_browser(browser_tools, tmp_path):
    cards = {
        "kort en": _minimal([{"type": "TextBlock", "text": "**Påminnelse:** steg 3 är försenat", "wrap": True}]),
        "two": _minimal(actions=[{"type": "Action.Submit", "title": "OK"}]),
    }
    written = render_pngs(cards, tmp_path)
    assert set(written) == set(cards)
    assert written["kort en"].name == "kort_en.png"
    for path in written.values():
        assert path.is_file() and _ink(path) > 50


async def test_rendering_works_from_async_tests(browser_tools, tmp_path):
    out = render_png(_minimal(), tmp_path / "async.png")
    assert out.is_file()
