"""Inbound activities parsed directly (bot/teams/activity_json.py) are the very objects msrest's
generic deserialiser builds, for Teams' shapes and for arbitrary JSON around them."""

from __future__ import annotations

import copy
from datetime import datetime

from botbuilder.schema import Activity
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.teams.activity_json import UnreadableActivity, read_activity
from tests.support import teams

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def _teams_shapes() -> list[dict]:
    chat, channel = teams.personal(), teams.channel()
    shapes = [
        teams.message(chat, SERVICE_URL, "ny beställning"),
        teams.message(channel, SERVICE_URL, "mina ärenden"),
        teams.card_submit(chat, SERVICE_URL, {"intake": "priority", "answer": "ja"}),
        teams.card_execute(channel, SERVICE_URL, "completeStep", {"caseId": "TL-2026-0001", "stepId": "a", "version": 2}),
        teams.bot_added(channel, SERVICE_URL),
    ]
    with_extras = copy.deepcopy(shapes[0])
    with_extras.update(unknownTopLevel={"x": [1, 2.5, None]}, attachments=[
        {"contentType": "text/html", "content": "<p>hej</p>", "unknown": True}], replyToId=None,
        localTimestamp="2026-11-26T10:00:00.000+01:00", textFormat="markdown")
    with_extras["from"]["unexpected"] = "kept"
    return shapes + [with_extras]


def _same(body: dict) -> None:
    stock = Activity().deserialize(copy.deepcopy(body))
    direct = read_activity(copy.deepcopy(body))
    assert direct == stock
    assert direct.serialize() == stock.serialize()
    assert direct.additional_properties == stock.additional_properties
    assert direct.from_property.additional_properties == stock.from_property.additional_properties


def test_teams_shapes_parse_to_the_same_objects():
    for body in _teams_shapes():
        _same(body)


def test_values_msrest_coerces_still_go_through_msrest():
    body = teams.message(teams.personal(), SERVICE_URL, "hej")
    for key, value in (("text", 5), ("localTimezone", True), ("membersAdded", [{"id": 7}]),
                       ("timestamp", "2026-11-26T09:00:00Z")):
        _same({**body, key: value})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
keys = st.sampled_from(["text", "value", "channelData", "entities", "attachments", "from", "conversation", "name",
                        "summary", "importance", "membersAdded", "expiration", "unknownKey", "label"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=4))
def test_arbitrary_json_in_any_field_parses_as_msrest_parses_it_or_fails_as_it_fails(changes):
    body = {**teams.message(teams.personal(), SERVICE_URL, "hej"), **changes}
    try:
        stock = Activity().deserialize(copy.deepcopy(body))
    except Exception as error:  # noqa: BLE001 - the same error type must come from the direct path
        try:
            read_activity(copy.deepcopy(body))
        except Exception as direct_error:  # noqa: BLE001
            # read_activity wraps msrest's error so the HTTP edge need not import msrest.
            assert isinstance(direct_error, UnreadableActivity)
            assert type(direct_error.reason) is type(error)
            return
        raise AssertionError(f"msrest refused {body!r} with {error!r}, the direct path did not")
    direct = read_activity(copy.deepcopy(body))
    assert direct == stock
    assert direct.serialize() == stock.serialize()


# --- outgoing activities -------------------------------------------------------------------------


def _replies() -> list:
    from datetime import datetime, timezone

    from botbuilder.core import CardFactory, MessageFactory, TurnContext
    from botbuilder.schema import ActivityTypes, Mention

    incoming = read_activity(teams.message(teams.channel(), SERVICE_URL, "ny beställning"))
    reference = TurnContext.get_conversation_reference(incoming)
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Steg 1", "wrap": True}],
            "actions": [{"type": "Action.Execute", "verb": "completeStep",
                         "data": {"caseId": "TL-2026-0001", "stepId": "accept", "version": 1}}]}
    with_card = MessageFactory.attachment(CardFactory.adaptive_card(card), text="TL-2026-0001")
    text = MessageFactory.text("Hej")
    text.type = ActivityTypes.message  # an Enum member, written as its value
    text.timestamp = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    text.entities = [Mention(mentioned=incoming.from_property, text="<at>Anna</at>", type="mention")]
    odd_keys = MessageFactory.attachment(CardFactory.adaptive_card({1: "int key"}))
    return [TurnContext.apply_conversation_reference(a, reference) for a in (with_card, text, odd_keys)] + [incoming]


def test_outgoing_activities_are_written_as_msrest_writes_them():
    from bot.teams.activity_json import activity_to_json

    for activity in _replies():
        assert activity_to_json(activity) == activity.serialize()


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=4))
def test_any_parsed_activity_is_written_back_as_msrest_writes_it(changes):
    from bot.teams.activity_json import activity_to_json

    body = {**teams.message(teams.personal(), SERVICE_URL, "hej"), **changes}
    try:
        activity = Activity().deserialize(copy.deepcopy(body))
        expected = activity.serialize()
    except Exception:  # noqa: BLE001 - only what msrest can read and write is compared
        return
    assert activity_to_json(activity) == expected


_OFFSETS = st.sampled_from(["Z", "+01:00", "+02:00", "-05:00", "+00:00", "+05:45", "-12:00", "+14:00"])


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)), st.integers(min_value=0, max_value=7),
       _OFFSETS)
@settings(max_examples=300)
def test_timestamps_read_as_msrest_reads_them(moment, digits, offset):
    # What Teams sends ("…T08:00:00.1234567Z") is read without msrest: the same instant, the same
    # offset and isodate's zone objects, as msrest gives them.
    from msrest.serialization import Deserializer

    from bot.teams.activity_json import _instant

    fraction = f"{moment.microsecond:06d}{moment.microsecond % 10}"[:digits]
    text = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}" + (f".{fraction}" if digits else "") + offset
    ours, stock = _instant(text), Deserializer.deserialize_iso(text)
    assert ours == stock and ours.utcoffset() == stock.utcoffset()
    assert type(ours.tzinfo) is type(stock.tzinfo)
    assert (ours.year, ours.month, ours.day, ours.hour, ours.minute, ours.second, ours.microsecond) == \
        (stock.year, stock.month, stock.day, stock.hour, stock.minute, stock.second, stock.microsecond)


def test_unusual_timestamps_are_left_to_msrest():
    body = teams.message(teams.personal(), SERVICE_URL, "hej")
    for stamp in ("2026-11-31T10:00:00Z", "2026-12-03t08:00:00z", "9999-12-31T23:00:00-05:00",
                  "2026-12-03T08:00:00.123456789Z", "2026-12-03 08:00:00Z", "not a time"):
        body["timestamp"] = stamp
        try:
            stock = Activity().deserialize(copy.deepcopy(body))
        except Exception as error:  # noqa: BLE001 - whatever msrest raises, ours must refuse too
            try:
                read_activity(copy.deepcopy(body))
            except UnreadableActivity as ours:
                assert type(ours.reason) is type(error)
                continue
            raise AssertionError(f"{stamp!r}: msrest refused it ({error!r}), ours read it") from None
        _same(body)
        assert read_activity(copy.deepcopy(body)).timestamp == stock.timestamp
