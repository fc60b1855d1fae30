"""Browser tests: the real bot and the Microsoft 365 Agents Playground as child processes, driven
in headless Chromium through Python playwright.

Needs Debian's ``chromium`` and ``npm ci`` (Node 20); without them every test here is skipped
with a message saying what to install. Every request that does not go to this machine is
blocked: the Playground's page asks a Microsoft CDN for fonts and a script, and nothing may
leave the machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from playground.launcher import LocalPlayground, free_port, missing_tooling
from tests.support.cardcheck import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1280, "height": 1500}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: drives the Agents Playground in headless Chromium (select with -m browser)")


def missing_browser() -> str | None:
    """Why these tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium` (or set CHROMIUM_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python package playwright is not installed (pip install -e '.[test]')"
    return missing_tooling()


def is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlsplit(url).hostname in LOCAL_HOSTS


@pytest.fixture(scope="module")
def local_playground(tmp_path_factory):
    """The bot (fresh SQLite database, a free port) and the Playground (a free port)."""
    missing = missing_browser()
    if missing:
        pytest.skip(f"browser tests skipped: {missing}")
    work_dir = tmp_path_factory.mktemp("playground")
    with (work_dir / "bot.log").open("wb") as bot_log:
        playground = LocalPlayground(bot_port=free_port(), web_port=free_port(),
                                     database_url=f"sqlite:///{work_dir}/larmlotsen.db", work_dir=work_dir,
                                     bot_output=bot_log)
        with playground:
            yield playground


@pytest.fixture(scope="module")
def browser_context(local_playground):
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []  # what the page asked for elsewhere (all refused), for debugging

    def route(route_request) -> None:
        url = route_request.request.url
        if is_local(url):
            route_request.continue_()
        else:
            blocked.append(url)
            route_request.abort()

    with tempfile.TemporaryDirectory(prefix="larmlotsen-chromium-") as user_data_dir, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport=VIEWPORT, locale="sv-SE", timezone_id="Europe/Stockholm", service_workers="block")
        context.route("**/*", route)
        context.set_default_timeout(20_000)
        context.blocked = blocked
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
