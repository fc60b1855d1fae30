"""Starting and stopping the measured bots as separate OS processes, and timing their cold start."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from . import procstat
from .report import AGENTS_ECHO, BASELINES, BOTBUILDER_ECHO  # noqa: F401 - the bots' names

REPO_ROOT = Path(__file__).resolve().parent.parent
BOT_CPU = 0  # the measured bot gets core 0; the load generator and connector take the others


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pinned_to(cpus: set[int] | None):
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)  # set before exec, so every thread inherits it


@dataclass
class BotProcess:
    """One bot under test: `ready_path` answering 200 (or any HTTP answer when None) means ready."""

    name: str
    argv: list[str]
    port: int
    log_path: Path
    ready_path: str | None = "/healthz"
    env: dict[str, str] = field(default_factory=dict)
    cpus: set[int] | None = None
    popen: subprocess.Popen | None = None
    cold_start_s: float = 0.0
    cold_start_cpu_s: float = 0.0  # the process's own CPU time until ready: what a busy machine moves least

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    async def start(self, timeout_s: float = 60.0) -> "BotProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        started = time.perf_counter()
        self.popen = subprocess.Popen(
            self.argv, cwd=REPO_ROOT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_pinned_to(self.cpus),
        )
        log.close()
        await self._wait_ready(started, timeout_s)
        self.cold_start_s = time.perf_counter() - started
        self.cold_start_cpu_s = procstat.cpu_seconds(self.pid)
        return self

    async def _wait_ready(self, started: float, timeout_s: float) -> None:
        probe_url = self.base_url + (self.ready_path or "/api/messages")
        timeout = aiohttp.ClientTimeout(total=2)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while time.perf_counter() - started < timeout_s:
                if self.popen.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; see {self.log_path}")
                try:
                    async with http.get(probe_url) as response:
                        if self.ready_path is None or response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.005)
        raise TimeoutError(f"{self.name} was not ready within {timeout_s} s; see {self.log_path}")

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGINT)  # aiohttp's run_app shuts down cleanly on SIGINT
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def larmlotsen(database_url: str, log_path: Path, cpus: set[int] | None, **env: str) -> BotProcess:
    port = free_port()
    return BotProcess(
        name="larmlotsen", argv=[sys.executable, "-m", "bot"], port=port, log_path=log_path, cpus=cpus,
        env={"DATABASE_URL": database_url, "PORT": str(port), "HOST": "127.0.0.1", **env},
    )


def echo_bot(log_path: Path, cpus: set[int] | None) -> BotProcess:
    """botbuilder's stock echo bot, in the project's environment."""
    port = free_port()
    return BotProcess(
        name=BOTBUILDER_ECHO, argv=[sys.executable, str(REPO_ROOT / "bench" / "echo_bot.py"), "--port", str(port)],
        port=port, log_path=log_path, cpus=cpus, ready_path=None,
    )


def agents_echo(python: Path, log_path: Path, cpus: set[int] | None) -> BotProcess:
    """The Agents SDK's echo agent, in its own environment (bench/agents_sdk.py)."""
    port = free_port()
    return BotProcess(
        name=AGENTS_ECHO, argv=[str(python), str(REPO_ROOT / "bench" / "agents_echo.py"), "--port", str(port)],
        port=port, log_path=log_path, cpus=cpus, ready_path=None,
    )
