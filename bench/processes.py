"""Starting and stopping the measured bots as separate OS processes, and timing their cold start."""

from __future__ import annotations

import compileall
import signal
import sys
import time
from functools import cache
from pathlib import Path

from tests.support import bot_process
from tests.support.bot_process import BotProcess
from tests.support.ports import free_port

from . import procstat
from .report import AGENTS_ECHO, BASELINES, BOTBUILDER_ECHO  # noqa: F401 - the bots' names

REPO_ROOT = Path(__file__).resolve().parent.parent
BOT_CPU = 0  # the measured bot gets core 0; the load generator and connector take the others


class MeasuredBot(BotProcess):
    """A bot under test (tests/support/bot_process.py launches it) whose cold start is timed: the
    wall time until it answers, and its own CPU time until then, which a busy machine moves least."""

    cold_start_s: float = 0.0
    cold_start_cpu_s: float = 0.0

    async def start_timed(self, timeout_s: float = 60.0) -> "MeasuredBot":
        started = time.perf_counter()
        self.start()
        await self.wait_ready(timeout_s=timeout_s, poll_s=0.005)
        self.cold_start_s = time.perf_counter() - started
        self.cold_start_cpu_s = procstat.cpu_seconds(self.pid)
        return self


@cache
def compile_bytecode() -> None:
    """Compile the bot's own modules before its starts are timed, as an installed bot has them (pip
    compiles a package's modules when it installs them). A checkout run with PYTHONDONTWRITEBYTECODE
    set, as on this machine, never caches them and compiles its ≈ 100 modules again at every start
    (≈ 0.1 s of CPU); the libraries in site-packages, and the echo bots', are compiled already."""
    for package in ("bot", "dialogs", "cards"):
        compileall.compile_dir(REPO_ROOT / package, quiet=1)


def larmlotsen(database_url: str, log_path: Path, cpus: set[int] | None, **env: str) -> MeasuredBot:
    compile_bytecode()
    # SIGINT: aiohttp's run_app shuts down cleanly on it.
    return bot_process.larmlotsen(database_url, log_path, kind=MeasuredBot, cpus=cpus, stop_signal=signal.SIGINT,
                                  **env)


def echo_bot(log_path: Path, cpus: set[int] | None) -> MeasuredBot:
    """botbuilder's stock echo bot, in the project's environment."""
    port = free_port()
    return MeasuredBot(BOTBUILDER_ECHO, [sys.executable, str(REPO_ROOT / "bench" / "echo_bot.py"), "--port", str(port)],
                       port, log_path, cpus=cpus, ready_path=None, stop_signal=signal.SIGINT)


def agents_echo(python: Path, log_path: Path, cpus: set[int] | None) -> MeasuredBot:
    """The Agents SDK's echo agent, in its own environment (bench/agents_sdk.py)."""
    port = free_port()
    return MeasuredBot(AGENTS_ECHO, [str(python), str(REPO_ROOT / "bench" / "agents_echo.py"), "--port", str(port)],
                       port, log_path, cpus=cpus, ready_path=None, stop_signal=signal.SIGINT)
