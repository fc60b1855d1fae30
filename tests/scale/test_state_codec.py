"""The storage's fast document codec (a performance path, docs/performance.md) writes and reads
exactly what jsonpickle writes and reads, shared references included, and leaves everything else
to jsonpickle."""

from __future__ import annotations

from datetime import date

from botbuilder.dialogs import DialogInstance, DialogState
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler

from bot.teams.storage import _NotPlain, _decode, _encode, _flatten_fast, _restore_fast


def intake_state() -> dict:
    facts = {"priority": True}
    inner = DialogState([
        DialogInstance(id="facts", state={"options": {"facts": facts}, "values": {"instanceId": "f", "facts": facts,
                                                                               "asking": "declines"}, "stepIndex": 0}),
        DialogInstance(id="intake", state={"options": None, "values": {"instanceId": "i"}, "stepIndex": 0}),
    ])
    outer = DialogState([DialogInstance(id="intake_new_order", state={"dialogs": inner, "options": None})])
    return {"DialogState": outer, "CaseFocus": {"aad-1": "TL-2026-0001"}, "e_tag": "abc"}


def _same_shape(a, b) -> bool:
    return Pickler().flatten(a) == Pickler().flatten(b)


def test_dialog_state_with_shared_references_is_flattened_like_jsonpickle():
    state = intake_state()
    assert _flatten_fast(state) == Pickler().flatten(state)


def test_restored_like_jsonpickle_with_references_kept_shared():
    flat = Pickler().flatten(intake_state())
    ours, theirs = _restore_fast(flat), Unpickler().restore(flat)
    assert _same_shape(ours, theirs)
    facts = ours["DialogState"].dialog_stack[0].state["dialogs"].dialog_stack[0].state
    assert facts["options"]["facts"] is facts["values"]["facts"]


def test_other_types_fall_back_to_jsonpickle():
    for value in ({"when": date(2026, 11, 26)}, {"pair": (1, 2)}, {1: "non-string key"}):
        try:
            _flatten_fast(value)
            raise AssertionError(f"{value!r} should not take the fast path")
        except _NotPlain:
            pass
        assert _same_shape(_decode(_encode(value), "e"), {**value, "e_tag": "e"})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=20,
)
# Keys a user's state may hold that look like jsonpickle's tags or like the codec's escape.
_TAG_LIKE_KEYS = st.sampled_from(["py/", "py/id", "py/object", "py/tuple", "py/set", "\x00", "\x00py/id", "\x00\x00x"])
json_values_with_tag_like_keys = st.recursive(
    st.none() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(_TAG_LIKE_KEYS | st.text(max_size=4), children, max_size=4),
    max_leaves=20,
)


def _has_tag_like_key(value) -> bool:
    if isinstance(value, dict):
        return any(key.startswith(("py/", "\x00")) or _has_tag_like_key(item) for key, item in value.items())
    return isinstance(value, list) and any(_has_tag_like_key(item) for item in value)


def _document(tree, share: bool) -> dict:
    return {"a": tree, "b": tree if share else None, "dialog": DialogState([DialogInstance(id="x", state={"t": tree})])}


@settings(max_examples=200, deadline=None)
@given(json_values, st.booleans())
def test_any_json_tree_with_sharing_matches_jsonpickle(tree, share):
    if _has_tag_like_key(tree):
        return  # jsonpickle itself reads such keys as its tags; see the round-trip test below
    document = _document(tree, share)
    flat = _flatten_fast(document)
    assert flat == Pickler().flatten(document)
    assert _same_shape(_restore_fast(flat), Unpickler().restore(flat))


@settings(max_examples=200, deadline=None)
@given(json_values_with_tag_like_keys, st.booleans())
@example({"py/": None}, False)
@example({"py/id": 0}, True)
@example({"py/tuple": [1]}, False)
@example([{"\x00py/object": "x"}], False)
def test_user_keys_that_look_like_jsonpickle_tags_round_trip_exactly(tree, share):
    restored = _decode(_encode(_document(tree, share)), "e")
    assert restored["a"] == tree
    assert restored["dialog"].dialog_stack[0].state["t"] == tree
    if share and isinstance(tree, (dict, list)):
        assert restored["b"] is restored["a"]  # a shared container stays shared
