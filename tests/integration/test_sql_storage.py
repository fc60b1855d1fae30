"""SqlStorage against botbuilder-testing's storage conformance suite, and the eTag contract."""

from __future__ import annotations

import asyncio

import pytest
from botbuilder.testing.storage_base_tests import StorageBaseTests

from bot.db import create_engine, migrate, session_factory
from bot.teams.storage import EtagConflictError, SqlStorage


@pytest.fixture
async def storage(database_url):
    engine = create_engine(database_url)
    await migrate(engine)
    yield SqlStorage(session_factory(engine))
    await engine.dispose()


CONFORMANCE = [
    "return_empty_object_when_reading_unknown_key",
    "handle_null_keys_when_reading",
    "handle_null_keys_when_writing",
    "does_not_raise_when_writing_no_items",
    "create_object",
    "handle_crazy_keys",
    "update_object",
    "delete_object",
    "delete_unknown_object",
    "perform_batch_operations",
    "proceeds_through_waterfall",
]


@pytest.mark.parametrize("case", CONFORMANCE)
async def test_botbuilder_storage_conformance(storage, case):
    assert await getattr(StorageBaseTests, case)(storage) is True


async def test_stale_etag_is_refused_and_nothing_in_the_batch_is_written(storage):
    await storage.write({"a": {"n": 1, "e_tag": "*"}, "b": {"n": 1, "e_tag": "*"}})
    first = await storage.read(["a", "b"])
    second = await storage.read(["a", "b"])
    first["a"]["n"] = 2
    await storage.write({"a": first["a"]})
    second["b"]["n"] = 99
    second["a"]["n"] = 3  # stale
    with pytest.raises(EtagConflictError):
        await storage.write({"b": second["b"], "a": second["a"]})
    now = await storage.read(["a", "b"])
    assert (now["a"]["n"], now["b"]["n"]) == (2, 1)


async def test_empty_etag_is_refused(storage):
    await storage.write({"a": {"n": 1}})
    with pytest.raises(ValueError):
        await storage.write({"a": {"n": 2, "e_tag": ""}})
    assert (await storage.read(["a"]))["a"]["n"] == 1


async def test_wildcard_and_missing_etag_write_unconditionally(storage):
    await storage.write({"a": {"n": 1}})
    await storage.write({"a": {"n": 2, "e_tag": "*"}})
    await storage.write({"a": {"n": 3}})
    assert (await storage.read(["a"]))["a"]["n"] == 3


async def test_concurrent_writers_with_the_same_etag_exactly_one_wins(storage):
    await storage.write({"k": {"n": 0, "e_tag": "*"}})
    snapshot = (await storage.read(["k"]))["k"]
    etag = snapshot["e_tag"]

    async def writer(value):
        try:
            await storage.write({"k": {"n": value, "e_tag": etag}})
            return True
        except EtagConflictError:
            return False

    results = await asyncio.gather(*(writer(i) for i in range(1, 6)))
    assert results.count(True) == 1
    winner = results.index(True) + 1
    assert (await storage.read(["k"]))["k"]["n"] == winner


async def test_objects_round_trip_with_their_type(storage):
    from botbuilder.dialogs import DialogState

    await storage.write({"state": {"DialogState": DialogState()}})
    restored = (await storage.read(["state"]))["state"]["DialogState"]
    assert isinstance(restored, DialogState)


async def test_a_prefetched_state_row_serves_the_first_read_only_and_never_after_a_write(storage):
    from bot.teams.storage import prefetched_state

    await storage.write({"k": {"n": 1}})
    stored = await storage.read(["k"])
    document_and_etag = ('{"n":1}', stored["k"]["e_tag"])
    with prefetched_state("k", document_and_etag):
        await storage.write({"other": {"n": 9}})  # another key: the prefetch stays
        assert (await storage.read(["k"]))["k"]["n"] == 1  # from the prefetch
        await storage.write({"k": {"n": 2, "e_tag": "*"}})
        assert (await storage.read(["k"]))["k"]["n"] == 2  # from the database
    with prefetched_state("k", ('{"n":1}', "old")):
        await storage.write({"k": {"n": 3, "e_tag": "*"}})  # written before any read: the prefetch is dropped
        assert (await storage.read(["k"]))["k"]["n"] == 3
    with prefetched_state("gone", None):
        assert await storage.read(["gone"]) == {}
        await storage.write({"gone": {"n": 4}})
        assert (await storage.read(["gone"]))["gone"]["n"] == 4
