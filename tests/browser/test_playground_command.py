"""`python -m bot playground` as a newcomer runs it: it prints the address to open, both the bot
and the Playground answer there, and Ctrl-C stops both."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from playground.launcher import CONFIG_DIR, free_port, missing_tooling

pytestmark = pytest.mark.browser

OPEN_LINE = re.compile(r"Open (http://localhost:(\d+)/)")
TIMEOUT_S = 60


def _wait_for_address(output, process) -> tuple[str, int]:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        match = OPEN_LINE.search(output.read_text("utf-8", errors="replace"))
        if match:
            return match.group(1), int(match.group(2))
        assert process.poll() is None, f"the command stopped:\n{output.read_text('utf-8', errors='replace')}"
        time.sleep(0.2)
    raise AssertionError(f"no address printed within {TIMEOUT_S} s:\n{output.read_text('utf-8', errors='replace')}")


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_command_prints_the_address_and_ctrl_c_stops_both(tmp_path):
    missing = missing_tooling()
    if missing:
        pytest.skip(f"playground command test skipped: {missing}")
    bot_port = free_port()
    output = tmp_path / "output.txt"
    command = [sys.executable, "-m", "bot", "playground", "--port", str(bot_port), "--web-port", str(free_port()),
               "--database-url", "sqlite:///./playground.db", "--work-dir", "work"]
    with output.open("wb") as sink:
        process = subprocess.Popen(command, cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    try:
        url, web_port = _wait_for_address(output, process)
        assert _status(url) == 200, "the Playground's page"
        assert _status(f"http://127.0.0.1:{bot_port}/healthz") == 200, "the bot"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not _listening(bot_port), "the bot still listens after Ctrl-C"
    assert not _listening(web_port), "the Playground still listens after Ctrl-C"
    # Relative paths are the caller's, not the Playground's working directory (the config folder).
    assert (tmp_path / "playground.db").is_file()
    assert (tmp_path / "work" / "m365agentsplayground.log").is_file()
    assert not any((CONFIG_DIR / name).exists() for name in ("work", "devTools", "playground.db"))
