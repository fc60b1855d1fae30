"""bot/jsontext.py: the same values back from every document it writes as the standard library gives,
also for what orjson cannot write (a lone surrogate, an integer beyond 64 bits), and older documents
the standard library wrote."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import jsontext

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(_json_values)
def test_a_document_reads_back_as_the_standard_library_reads_it(value):
    written = jsontext.dumps(value)
    assert jsontext.loads(written) == json.loads(written) == json.loads(json.dumps(value))


def test_non_ascii_is_written_as_it_is_and_compactly():
    assert jsontext.dumps({"steg": "Nyckelfri hemtjänst – lås", "n": [1, 2]}) == \
        '{"steg":"Nyckelfri hemtjänst – lås","n":[1,2]}'


def test_integer_keys_become_text_as_with_the_standard_library():
    assert jsontext.loads(jsontext.dumps({1: "a"})) == json.loads(json.dumps({1: "a"})) == {"1": "a"}


def test_a_lone_surrogate_from_an_escape_is_read_and_written_back():
    # orjson refuses it both ways; the standard library reads the escape and keeps the character.
    value = jsontext.loads('{"text": "a\\ud800b"}')
    assert value == {"text": "a\ud800b"}
    assert jsontext.loads(jsontext.dumps(value)) == value
    assert jsontext.dumps_bytes(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass")


def test_an_older_document_with_a_lone_surrogate_is_read():
    older = json.dumps({"text": "a\ud800"}, ensure_ascii=False)  # as the standard library wrote state before
    assert jsontext.loads(older) == {"text": "a\ud800"}


@pytest.mark.parametrize("big", [2**63, 2**70 + 1, -(2**64) - 3])
def test_integers_beyond_64_bits_stay_integers(big):
    # orjson writes none and reads them as floats: 2**70 + 1 would come back as 1.1805916207174113e+21.
    back = jsontext.loads(jsontext.dumps({"n": big}))["n"]
    assert type(back) is int and back == big
    assert json.loads(jsontext.dumps_bytes({"n": big})) == {"n": big}


@pytest.mark.parametrize("document", ["{", '{"a": }', "", "[1,]", " {"])
def test_malformed_json_raises_the_standard_error(document):
    with pytest.raises(json.JSONDecodeError):
        jsontext.loads(document)
