"""`python -m bot` builds itself with the garbage collector paused, freezes what it built, and
collects again afterwards (bot/__main__.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from bot.__main__ import collecting_after_start_up


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_the_collector_is_paused_while_the_bot_builds_itself_and_runs_again_after():
    gc.enable()
    frozen_before = gc.get_freeze_count()
    with collecting_after_start_up():
        assert not gc.isenabled()
        built = [_Node() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(built)


def test_a_failed_start_up_leaves_the_collector_running():
    gc.enable()
    with pytest.raises(RuntimeError):
        with collecting_after_start_up():
            raise RuntimeError("the database is not reachable")
    assert gc.isenabled()


def test_garbage_made_after_start_up_is_still_collected():
    gc.enable()
    with collecting_after_start_up():
        pass
    node = _Node()
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


def test_the_bot_serves_on_uvloop_unless_told_asyncio():
    import asyncio

    import uvloop

    from bot.__main__ import _event_loop

    for name, kind in (("uvloop", uvloop.Loop), ("asyncio", asyncio.BaseEventLoop)):
        loop = _event_loop(name)
        try:
            assert isinstance(loop, kind)
            assert name == "uvloop" or not isinstance(loop, uvloop.Loop)
        finally:
            loop.close()


def test_an_unknown_event_loop_is_refused_with_a_clear_error():
    from bot.config import ConfigurationError, check_settings, load_settings

    assert load_settings({}).event_loop == "uvloop"
    assert load_settings({"EVENT_LOOP": " Asyncio "}).event_loop == "asyncio"
    with pytest.raises(ConfigurationError, match="EVENT_LOOP must be uvloop or asyncio"):
        check_settings(load_settings({"EVENT_LOOP": "trio"}))
