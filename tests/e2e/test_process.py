"""`python -m bot` as a newcomer runs it: a real process, its start-up log, loopback only without
credentials, /healthz, and the package command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]



def wait_healthy(port: int, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return json.loads(response.read())
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError("no /healthz 200")


def test_python_m_bot_serves_on_loopback_without_credentials(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("Microsoft")}
    env.update(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/data/bot.db")
    env.pop("HOST", None)
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        health = wait_healthy(port)
        assert health["database"] is True
        assert (tmp_path / "data" / "bot.db").exists(), "the SQLite file is created on first start"
        if shutil.which("ss"):  # iproute2 may be missing on a minimal machine
            listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
            assert [line.split()[3] for line in listening.splitlines()] == [f"127.0.0.1:{port}"]
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "LOCAL DEVELOPMENT server" in output and "127.0.0.1" in output


def test_now_starts_the_bots_clock_at_that_stockholm_time(tmp_path):
    """`python -m bot --now 2026-06-18T15:30`: a trainer's clock, 15:30 local (13:30 UTC in June), running on."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("Microsoft")}
    env.update(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/bot.db", TIMEZONE="Europe/Stockholm")
    env.pop("HOST", None)
    process = subprocess.Popen([sys.executable, "-m", "bot", "--now", "2026-06-18T15:30"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        bot_time = datetime.fromisoformat(wait_healthy(port)["time"])
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    start = datetime(2026, 6, 18, 13, 30, tzinfo=timezone.utc)
    assert start <= bot_time < start + timedelta(minutes=10), output
    assert "the clock is set" in output


def test_a_now_that_is_no_time_is_a_configuration_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "--now", "imorgon", "--port", str(free_port())],
                            cwd=tmp_path, capture_output=True, text=True, timeout=30,
                            env={k: v for k, v in os.environ.items() if not k.startswith("Microsoft")})
    assert result.returncode == 2
    assert "--now" in result.stderr and "2026-06-18T15:30" in result.stderr


def test_wrong_configuration_stops_with_a_clear_message(tmp_path):
    env = dict(os.environ, MicrosoftAppId="11111111-2222-3333-4444-555555555555",
               MicrosoftAppPassword="x", MicrosoftAppType="SingleTenant", PORT="1")
    env.pop("MicrosoftAppTenantId", None)
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode != 0
    assert "MicrosoftAppTenantId" in result.stderr
    assert "Traceback" not in result.stderr


def test_package_command_builds_the_app_zip(tmp_path):
    env = dict(os.environ, MicrosoftAppId="11111111-2222-3333-4444-555555555555")
    out = tmp_path / "larmlotsen.zip"
    result = subprocess.run([sys.executable, "-m", "bot", "package", "--out", str(out)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["bots"][0]["botId"] == "11111111-2222-3333-4444-555555555555"
