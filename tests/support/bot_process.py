"""A bot as a child OS process on a port of its own: started, waited for until it answers, stopped
cleanly or killed with SIGKILL, and started again on the same port. The fault tests, the
two-process test and the benchmarks (bench/processes.py) launch every bot through it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.support.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
# Without them the bot accepts calls that carry no token, as the fake Teams clients send them.
BOT_FRAMEWORK_CREDENTIALS = ("MicrosoftAppId", "MicrosoftAppPassword")


def _pinned_to(cpus: set[int] | None):
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)  # set before exec, so every thread inherits it


class BotProcess:
    """One bot process: `ready_path` answering 200 (or any HTTP answer when None) means ready.
    `env` is added to this process's environment, less the names in `without`."""

    def __init__(self, name: str, argv: list[str], port: int, log_path: Path, *, env: dict[str, str] | None = None,
                 without: tuple[str, ...] = (), ready_path: str | None = "/healthz", cpus: set[int] | None = None,
                 stop_signal: int = signal.SIGTERM) -> None:
        self.name, self.argv, self.port, self.log_path = name, argv, port, log_path
        self.env = {key: value for key, value in {**os.environ, **(env or {})}.items() if key not in without}
        self.ready_path, self.cpus, self.stop_signal = ready_path, cpus, stop_signal
        self.popen: subprocess.Popen | None = None
        self.starts = 0
        self.kills = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def messages_url(self) -> str:
        return self.base_url + "/api/messages"

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def start(self) -> None:
        """Start the process (again, on the same port, after a kill); its output goes to the log."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== start {self.starts + 1} =====\n".encode())
            log.flush()
            self.popen = subprocess.Popen(self.argv, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                          preexec_fn=_pinned_to(self.cpus))
        self.starts += 1

    async def wait_ready(self, http: aiohttp.ClientSession | None = None, *, timeout_s: float = 60.0,
                         poll_s: float = 0.05) -> None:
        if http is None:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as own:
                return await self.wait_ready(own, timeout_s=timeout_s, poll_s=poll_s)
        probe_url = self.base_url + (self.ready_path or "/api/messages")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.popen is None or self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                async with http.get(probe_url) as response:
                    if self.ready_path is None or response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(poll_s)
        raise TimeoutError(f"{self.name} not ready within {timeout_s} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: the process dies wherever it is in its work."""
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait()
            self.kills += 1

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(self.stop_signal)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_text()[-chars:]

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def larmlotsen(database_url: str, log_path: Path, *, name: str = "larmlotsen", kind: type[BotProcess] = BotProcess,
               cpus: set[int] | None = None, stop_signal: int = signal.SIGTERM, **settings) -> BotProcess:
    """`python -m bot` on this database and a free port, with these settings (environment names)."""
    port = free_port()
    env = {"DATABASE_URL": database_url, "PORT": str(port), "HOST": "127.0.0.1",
           **{key: str(value) for key, value in settings.items()}}
    return kind(name, [sys.executable, "-m", "bot"], port, log_path, env=env, without=BOT_FRAMEWORK_CREDENTIALS,
                cpus=cpus, stop_signal=stop_signal)
