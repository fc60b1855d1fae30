"""Build the Teams app package: manifest.json, color.png and outline.png in one zip.

The manifest is ``manifest.template.json`` with its ``{{PLACEHOLDERS}}`` filled from arguments and
the environment, and the bot's command lists added from :data:`COMMANDS` (one list per scope).

Environment (all optional except the app id):

=========================  ==============================================================
``MicrosoftAppId``         Teams app id and bot id when not passed in (must be a GUID)
``MANIFEST_BOT_ID``        bot id when it differs from the app id
``MANIFEST_VERSION``       app version (semver X.Y.Z); default: the installed package version
``MANIFEST_DEVELOPER_NAME``  default "Stockholms stad" (PLACEHOLDER, confirm before publishing)
``MANIFEST_WEBSITE_URL``   default https://start.stockholm/ (PLACEHOLDER)
``MANIFEST_PRIVACY_URL``   default https://start.stockholm/ (PLACEHOLDER: needs a real privacy page)
``MANIFEST_TERMS_URL``     default https://start.stockholm/ (PLACEHOLDER: needs real terms of use)
``MANIFEST_VALID_DOMAINS`` comma-separated host names the app may open in Teams; default none,
                           a bot-only app needs none (Adaptive Card links open in the browser)
=========================  ==============================================================

Usage: ``python -m manifest.package [--app-id GUID] [--bot-id GUID] [--version X.Y.Z]
[--out build/larmlotsen-teams-app.zip] [--print] [--validate]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from manifest.draw_icons import ACCENT_COLOR, COLOR_ICON, OUTLINE_ICON

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.json"
DEFAULT_OUT = Path("build") / "larmlotsen-teams-app.zip"

GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER_RE = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
FALLBACK_VERSION = "0.1.0"

# PLACEHOLDERS: neutral defaults until the city confirms publisher details and pages.
DEFAULT_DEVELOPER_NAME = "Stockholms stad"
DEFAULT_WEBSITE_URL = "https://start.stockholm/"
DEFAULT_PRIVACY_URL = "https://start.stockholm/"
DEFAULT_TERMS_URL = "https://start.stockholm/"

SCOPES = ("personal", "team", "groupChat")
# Teams shows at most 10 commands per scope (older schemas enforce 10, v1.24+ allows 12);
# keep to 10 so the package also passes older validators.
MAX_COMMANDS_PER_SCOPE = 10


@dataclass(frozen=True)
class Command:
    title: str
    description: str
    # Description in a team channel or group chat when it differs from the personal one.
    group_description: str | None = None

    def description_for(self, scope: str) -> str:
        if scope != "personal" and self.group_description:
            return self.group_description
        return self.description


# The commands offered in the compose box. Titles are what the user types; the bot's router
# must recognise every one of them. User-facing Swedish, reviewed together here.
COMMANDS: tuple[Command, ...] = (
    Command("ny beställning", "Ny beställning av trygghetslarm, steg för steg i rätt ordning"),
    Command("utförarbyte", "Den enskilde byter utförare, med eller utan nyckelfri hemtjänst"),
    Command("flytt", "Den enskilde flyttar: larm och lås ska följa med"),
    Command("övertagande", "Ta över ett befintligt trygghetslarm i bostaden"),
    Command("avslut", "Avsluta trygghetslarm och demontera låstillbehör"),
    Command("återlämna larm", "Lämna tillbaka ett trygghetslarm"),
    Command("larmkedja", "Meddela ändringar i larmkedjan till Stockholms trygghetsjour"),
    Command(
        "mina ärenden",
        "Visa dina öppna ärenden och nästa steg",
        group_description="Visa teamets öppna ärenden och nästa steg",
    ),
    Command("hjälp", "Vad Larmlotsen kan göra och hur du ställer en snabb fråga"),
)


class PackageError(ValueError):
    """The package cannot be built as asked (missing or malformed id, bad version, ...)."""


def _check_guid(value: str | None, what: str, how: str) -> str:
    if not value or not value.strip():
        raise PackageError(f"{what} is missing: {how}")
    value = value.strip()
    if not GUID_RE.match(value):
        raise PackageError(
            f"{what} must be a GUID like 00000000-0000-0000-0000-000000000000, got {value!r}"
        )
    return value.lower()


def _default_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("larmlotsen")
        except PackageNotFoundError:
            return FALLBACK_VERSION
    except ImportError:  # pragma: no cover - always present on 3.11
        return FALLBACK_VERSION


def command_lists(commands: Sequence[Command] = COMMANDS) -> list[dict[str, Any]]:
    """One command list per scope, as the schema recommends."""
    if len(commands) > MAX_COMMANDS_PER_SCOPE:
        raise PackageError(
            f"{len(commands)} commands, but Teams shows at most {MAX_COMMANDS_PER_SCOPE} per scope"
        )
    return [
        {
            "scopes": [scope],
            "commands": [{"title": c.title, "description": c.description_for(scope)} for c in commands],
        }
        for scope in SCOPES
    ]


def _fill(node: Any, values: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values) for value in node]
    if isinstance(node, str):
        for key, value in values.items():
            node = node.replace("{{" + key + "}}", value)
        return node
    return node


def build_manifest(
    app_id: str | None = None,
    *,
    bot_id: str | None = None,
    version: str | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the manifest as a dict. Raises :class:`PackageError` on a missing or bad id."""
    env = os.environ if env is None else env
    app_id = _check_guid(
        app_id or env.get("MicrosoftAppId"),
        "The Teams app id",
        "pass it (--app-id) or set the environment variable MicrosoftAppId",
    )
    bot_id = _check_guid(
        bot_id or env.get("MANIFEST_BOT_ID") or app_id,
        "The bot id",
        "pass it (--bot-id) or set MANIFEST_BOT_ID",
    )
    version = (version or env.get("MANIFEST_VERSION") or _default_version()).strip()
    if not SEMVER_RE.match(version):
        raise PackageError(f"Version must be X.Y.Z (digits only) for Teams, not {version!r}")
    values = {
        "APP_ID": app_id,
        "BOT_ID": bot_id,
        "VERSION": version,
        "DEVELOPER_NAME": env.get("MANIFEST_DEVELOPER_NAME") or DEFAULT_DEVELOPER_NAME,
        "WEBSITE_URL": env.get("MANIFEST_WEBSITE_URL") or DEFAULT_WEBSITE_URL,
        "PRIVACY_URL": env.get("MANIFEST_PRIVACY_URL") or DEFAULT_PRIVACY_URL,
        "TERMS_URL": env.get("MANIFEST_TERMS_URL") or DEFAULT_TERMS_URL,
        "ACCENT_COLOR": ACCENT_COLOR,
    }
    for key in ("WEBSITE_URL", "PRIVACY_URL", "TERMS_URL"):
        if not values[key].startswith("https://"):
            raise PackageError(f"MANIFEST_{key} must be an https:// address, not {values[key]!r}")
    if len(values["DEVELOPER_NAME"]) > 32:
        raise PackageError("MANIFEST_DEVELOPER_NAME is longer than the 32 characters Teams allows")
    manifest = _fill(json.loads(TEMPLATE.read_text(encoding="utf-8")), values)
    leftover = re.findall(r"\{\{[A-Z_]+\}\}", json.dumps(manifest))
    if leftover:  # pragma: no cover - guards template edits
        raise PackageError(f"Unfilled placeholders in the manifest template: {sorted(set(leftover))}")
    manifest["bots"][0]["commandLists"] = command_lists()
    domains = [d.strip() for d in (env.get("MANIFEST_VALID_DOMAINS") or "").split(",") if d.strip()]
    for domain in domains:
        if "://" in domain or "/" in domain:
            raise PackageError(f"MANIFEST_VALID_DOMAINS takes host names only, not {domain!r}")
    manifest["validDomains"] = domains
    return manifest


def build_package(
    app_id: str | None,
    out_path: Path,
    *,
    bot_id: str | None = None,
    version: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Write the uploadable zip (manifest.json, color.png, outline.png at its root); return its path.

    ``app_id`` falls back to the environment variable ``MicrosoftAppId``; ``bot_id`` to
    ``MANIFEST_BOT_ID`` and then to the app id.
    """
    manifest = build_manifest(app_id, bot_id=bot_id, version=version, env=env)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    # Fixed timestamps keep the zip reproducible for the same inputs.
    stamp = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [
            ("manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
            (manifest["icons"]["color"], COLOR_ICON.read_bytes()),
            (manifest["icons"]["outline"], OUTLINE_ICON.read_bytes()),
        ]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    os.replace(tmp, out_path)
    return out_path


REPO_ROOT = HERE.parent
SCHEMA_VALIDATOR = REPO_ROOT / "tools" / "validate_manifest.cjs"


def schema_errors(manifest: Mapping[str, Any]) -> list[str]:
    """Validate against the official schema offline (Node + npm @microsoft/app-manifest).

    Returns the schema errors ([] when valid). Raises :class:`RuntimeError` when Node or the npm
    packages are missing (``npm ci`` at the repository root) or the validator cannot run.
    """
    if shutil.which("node") is None:
        raise RuntimeError("node is not installed: Node.js 20 is needed to validate the manifest")
    proc = subprocess.run(
        ["node", str(SCHEMA_VALIDATOR), "-"],
        input=json.dumps(manifest, ensure_ascii=False).encode("utf-8"),
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip() or "manifest validator failed")
    return list(json.loads(proc.stdout.decode("utf-8"))["errors"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m manifest.package",
        description="Build the Teams app package (zip) for Larmlotsen.",
    )
    parser.add_argument("--app-id", help="Teams app id (GUID); default: $MicrosoftAppId")
    parser.add_argument("--bot-id", help="bot's Microsoft App Id; default: $MANIFEST_BOT_ID or the app id")
    parser.add_argument("--version", help="app version X.Y.Z; default: $MANIFEST_VERSION or the package version")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"zip to write (default {DEFAULT_OUT})")
    parser.add_argument("--print", action="store_true", help="print the manifest instead of writing the zip")
    parser.add_argument(
        "--validate",
        action="store_true",
        help="also validate against the official schema offline (needs node and `npm ci`)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        manifest = build_manifest(args.app_id, bot_id=args.bot_id, version=args.version)
        if args.validate:
            errors = schema_errors(manifest)
            if errors:
                print("error: the manifest does not match the official schema:", file=sys.stderr)
                for error in errors:
                    print(f"  {error}", file=sys.stderr)
                return 1
        if args.print:
            print(json.dumps(manifest, ensure_ascii=False, indent=2))
            return 0
        path = build_package(args.app_id, args.out, bot_id=args.bot_id, version=args.version)
    except (PackageError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path}" + (" (schema-valid)" if args.validate else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
