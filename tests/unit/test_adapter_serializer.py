"""bot/adapter.py's fast path for msrest's Serializer.serialize_object gives exactly what msrest
gives: for plain JSON trees, and (by falling back) for anything else."""

from __future__ import annotations

import datetime
import enum
import json

from botbuilder.core import CardFactory, MessageFactory
from botframework.connector import models
from hypothesis import given, settings, strategies as st
from msrest.serialization import Serializer

from bot.teams.adapter import make_serializer_cheap

make_serializer_cheap()
_STOCK = Serializer.serialize_object.stock
_SERIALIZER = Serializer({name: kind for name, kind in vars(models).items() if isinstance(kind, type)})


class Colour(enum.Enum):
    RED = "red"


class Text(str):
    pass


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
_odd = st.one_of(st.just(Colour.RED), st.just(Text("t")), st.just(datetime.date(2026, 11, 26)),
                 st.just((1, 2)), st.just(b"b"))
_plain = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)
_mixed = st.recursive(st.one_of(_scalars, _odd), lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), inner, max_size=4),
                      max_leaves=30)


def _same(a, b) -> bool:
    return type(a) is type(b) and json.dumps(a, sort_keys=True, default=repr) == json.dumps(b, sort_keys=True, default=repr)


@settings(max_examples=300, deadline=None)
@given(_plain)
def test_plain_json_trees_serialise_as_msrest_does(tree):
    assert _same(_SERIALIZER.serialize_object(tree), _STOCK(_SERIALIZER, tree))


@settings(max_examples=300, deadline=None)
@given(_mixed)
def test_anything_else_still_goes_through_msrest(tree):
    assert _same(_SERIALIZER.serialize_object(tree), _STOCK(_SERIALIZER, tree))


def test_the_copy_does_not_share_containers_with_the_input():
    card = {"body": [{"type": "TextBlock", "text": "hej"}], "n": 1}
    copied = _SERIALIZER.serialize_object(card)
    assert copied == card and copied is not card and copied["body"] is not card["body"]


def test_a_card_reply_body_is_what_msrest_alone_makes():
    card = {"type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": "Ärende TL-2026-0001", "wrap": True, "size": 2.5},
                     {"type": "FactSet", "facts": [{"title": "Kund", "value": None}]}],
            "actions": [{"type": "Action.Execute", "verb": "completeStep", "data": {"caseId": "TL-2026-0001"},
                         "isEnabled": False}],
            "when": datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.timezone.utc)}
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card), text="klart")
    fast = _SERIALIZER.body(activity, "Activity")
    Serializer.serialize_object, patched = _STOCK, Serializer.serialize_object
    try:
        stock = _SERIALIZER.body(activity, "Activity")
    finally:
        Serializer.serialize_object = patched
    assert json.dumps(fast, sort_keys=True) == json.dumps(stock, sort_keys=True)
    del card["when"]
    fast = _SERIALIZER.body(activity, "Activity")
    Serializer.serialize_object = _STOCK
    try:
        stock = _SERIALIZER.body(activity, "Activity")
    finally:
        Serializer.serialize_object = patched
    assert json.dumps(fast, sort_keys=True) == json.dumps(stock, sort_keys=True)
