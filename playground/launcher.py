"""Try the bot locally in the Microsoft 365 Agents Playground, a Teams-like web client.

`python -m bot playground` starts the bot and the Playground (npm package
``@microsoft/m365agentsplayground``, installed by ``npm ci``) as two child processes, the
Playground pointed at the bot, and stops both on Ctrl-C. No Microsoft account, tunnel or app
registration is involved: the Playground also plays the Bot Connector, so the bot runs as a local
development server without authentication.

The Playground's people, chats and team come from ``playground/.m365agentsplayground.yml`` (the
Playground's working directory). The browser tests in ``tests/browser/`` drive the same setup
through :class:`LocalPlayground`.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
PLAYGROUND_CLI = REPO_ROOT / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
CONFIG_DIR = REPO_ROOT / "playground"
CONFIG_FILE = CONFIG_DIR / ".m365agentsplayground.yml"

DEFAULT_BOT_PORT = 3978
DEFAULT_WEB_PORT = 56150
DEFAULT_DATABASE_URL = "sqlite:///./data/playground.db"
DEFAULT_WORK_DIR = Path("data") / "playground"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0

# The Playground has no credentials and a made-up tenant: a bot started with real credentials or
# a tenant allowlist would refuse every message it sends.
_BOT_ENV_DROPPED = ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType", "MicrosoftAppTenantId",
                    "TENANT_ALLOWLIST")
_LISTENING = re.compile(r"Listening on (\d+)")


class PlaygroundError(RuntimeError):
    """The bot or the Playground could not be started; the message says why."""


def missing_tooling() -> str | None:
    """Why the Playground cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed: install Node.js 20, then run `npm ci` at the repository root"
    if not PLAYGROUND_CLI.is_file():
        return f"the Agents Playground is not installed ({PLAYGROUND_CLI} missing): run `npm ci` at the repository root"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bot_command(port: int, database_url: str, now: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "bot", "--port", str(port), "--database-url", database_url]
    return command + ["--now", now] if now else command


def playground_command(endpoint: str, web_port: int) -> list[str]:
    node = shutil.which("node") or "node"
    return [node, str(PLAYGROUND_CLI), "-e", endpoint, "-c", "msteams", "-p", str(web_port), "--dt"]


def bot_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    for name in _BOT_ENV_DROPPED:
        env.pop(name, None)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def playground_environment(log_file: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["TEAMSAPPTESTER_BROWSER"] = "none"  # print the address instead of opening a browser
    env["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = str(CONFIG_FILE)
    env["M365_AGENTS_PLAYGROUND_LOGFILE"] = str(log_file)
    return env


def wait_for_health(port: int, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    """Wait until the bot's /healthz answers 200 (it migrates its database first)."""
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PlaygroundError(f"the bot exited during start-up with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise PlaygroundError(f"the bot did not answer 200 on {url} within {timeout:.0f} s")


def wait_for_listening(output: Path, process: subprocess.Popen, log_file: Path,
                       timeout: float = START_TIMEOUT_S) -> int:
    """The port the Playground serves its page on, read from its output (it picks another port
    when the one asked for is taken). It prints that line before it reads its config file and
    exits if the file is invalid, so the page must load and the process still run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PlaygroundError(f"the Agents Playground exited during start-up with code {process.returncode}"
                                  f"{_tail(log_file)}")
        match = _LISTENING.search(output.read_text("utf-8", errors="replace")) if output.exists() else None
        if match and _serves_page(int(match.group(1))) and process.poll() is None:
            return int(match.group(1))
        time.sleep(0.2)
    raise PlaygroundError(f"the Agents Playground did not start within {timeout:.0f} s{_tail(log_file)}")


def _accepts(port: int) -> bool:
    """Whether something listens on this port of 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _serves_page(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _tail(log_file: Path, lines: int = 5) -> str:
    """The end of the Playground's own log (it says there why it stopped), for an error message."""
    if not log_file.is_file():
        return ""
    last = [line for line in log_file.read_text("utf-8", errors="replace").splitlines()
            if not line.startswith("debug ")][-lines:]
    return ":\n  " + "\n  ".join(last) if last else ""


def _stop_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


class LocalPlayground:
    """The bot and the Agents Playground pointed at it, as child processes.

    ``bot_output``: where the bot's log goes (None = this process's stderr). The Playground's
    output and log go to files in ``work_dir``.
    """

    def __init__(self, *, bot_port: int, web_port: int, database_url: str, work_dir: Path,
                 bot_output: IO | None = None, now: str | None = None) -> None:
        self.now = now  # the bot's clock starts at this local time (python -m bot --now)
        self.bot_port = bot_port
        self.web_port = web_port
        self.database_url = database_url
        self.work_dir = Path(work_dir).resolve()  # the Playground runs in CONFIG_DIR
        self._bot_output = bot_output
        self.bot: subprocess.Popen | None = None
        self.playground: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.bot_port}/api/messages"

    @property
    def url(self) -> str:
        return f"http://localhost:{self.web_port}/"

    @property
    def playground_output(self) -> Path:
        return self.work_dir / "playground-output.txt"

    @property
    def playground_log(self) -> Path:
        return self.work_dir / "m365agentsplayground.log"

    def start(self) -> LocalPlayground:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._start_bot()
            self._start_playground()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_bot(self) -> None:
        if _accepts(self.bot_port):
            raise PlaygroundError(f"port {self.bot_port} is taken (is the bot already running?); "
                                  "choose another one with --port")
        log.info("starting the bot on %s", self.endpoint)
        self.bot = subprocess.Popen(bot_command(self.bot_port, self.database_url, self.now), cwd=os.getcwd(),
                                    env=bot_environment(), stdin=subprocess.DEVNULL, stdout=self._bot_output,
                                    stderr=subprocess.STDOUT if self._bot_output else None,
                                    start_new_session=True)
        wait_for_health(self.bot_port, self.bot)

    def _start_playground(self) -> None:
        log.info("starting the Agents Playground on port %d", self.web_port)
        self.playground_output.unlink(missing_ok=True)
        with self.playground_output.open("wb") as output:
            self.playground = subprocess.Popen(
                playground_command(self.endpoint, self.web_port), cwd=CONFIG_DIR,
                env=playground_environment(self.playground_log), stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True)
        self.web_port = wait_for_listening(self.playground_output, self.playground, self.playground_log)

    def stop(self) -> None:
        """Stop the Playground, then the bot (each by its own process id)."""
        _stop_process(self.playground)
        _stop_process(self.bot)

    def exited(self) -> str | None:
        """Which child has stopped on its own, if any."""
        if self.bot is not None and self.bot.poll() is not None:
            return f"the bot stopped with code {self.bot.returncode}"
        if self.playground is not None and self.playground.poll() is not None:
            return f"the Agents Playground stopped with code {self.playground.returncode}{_tail(self.playground_log)}"
        return None

    def __enter__(self) -> LocalPlayground:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


# --------------------------------------------------------------------------- the command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot playground",
        description="Start the bot and the Microsoft 365 Agents Playground (a Teams-like web client) "
                    "pointed at it; stop both with Ctrl-C.")
    parser.add_argument("--port", type=int, default=DEFAULT_BOT_PORT, help="the bot's port (default 3978)")
    parser.add_argument("--web-port", type=int, default=DEFAULT_WEB_PORT,
                        help="the Playground's web port (default 56150; another one if it is taken)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help=f"the bot's database (default {DEFAULT_DATABASE_URL}, kept between runs)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                        help="where the Playground's log goes (default data/playground)")
    parser.add_argument("--now", metavar="2026-06-18T15:30",
                        help="start the bot's clock at this local time and let it run on (e.g. to show a "
                             "trainee a late provider change)")
    return parser


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _wait_until_stopped(playground: LocalPlayground) -> int:
    try:
        while True:
            stopped = playground.exited()
            if stopped:
                print(f"{stopped}; stopping.", file=sys.stderr)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping the Playground and the bot…")
        return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = missing_tooling()
    if missing:
        print(f"Cannot start the Playground: {missing}.", file=sys.stderr)
        return 2
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a shell may start us with it ignored
        signal.signal(signum, _raise_keyboard_interrupt)
    playground = LocalPlayground(bot_port=args.port, web_port=args.web_port, database_url=args.database_url,
                                 work_dir=args.work_dir, now=args.now)
    print(f"Starting Larmlotsen on {playground.endpoint} and the Agents Playground…")
    try:
        playground.start()
    except PlaygroundError as error:
        print(f"Cannot start the Playground: {error}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    try:
        print(f"\nOpen {playground.url} in your browser (Chrome, Edge or Firefox).")
        print("Personal Chat: type 'hjälp' or 'ny beställning'. Stop both with Ctrl-C.\n")
        return _wait_until_stopped(playground)
    finally:
        playground.stop()
