"""The Agents SDK echo agent's own virtual environment, made from the registry on first use.

The SDK pins versions of aiohttp and pydantic of its own, so it never shares the project's
environment. The venv lives under bench/results/ (not tracked) and is rebuilt when the pinned
versions below change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_DIR = REPO_ROOT / "bench" / "results" / "agents-sdk-venv"
SDK_VERSION = "1.9.0"
REQUIREMENTS = [f"microsoft-agents-{name}=={SDK_VERSION}"
                for name in ("hosting-aiohttp", "hosting-core", "activity", "authentication-msal")]
_MARKER = VENV_DIR / "bench-requirements.json"


def python() -> Path:
    return VENV_DIR / "bin" / "python"


def ensure_venv(log=print) -> Path:
    """The venv's interpreter, with the pinned SDK installed (about a minute the first time)."""
    if _MARKER.exists() and json.loads(_MARKER.read_text()) == REQUIREMENTS and python().exists():
        return python()
    log(f"creating {VENV_DIR.relative_to(REPO_ROOT)} with {', '.join(REQUIREMENTS)} ...")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV_DIR)], check=True)
    subprocess.run([str(python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
                   check=True)
    _MARKER.write_text(json.dumps(REQUIREMENTS))
    return python()


def installed_versions() -> dict[str, str]:
    """What the venv actually holds, for the results file."""
    out = subprocess.run([str(python()), "-c",
                          "import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in "
                          "('microsoft-agents-hosting-core', 'microsoft-agents-hosting-aiohttp', 'aiohttp', 'pydantic')}))"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
