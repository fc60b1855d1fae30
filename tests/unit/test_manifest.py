"""The Teams app package: manifest content, official schema (offline, via Node), icons, zip."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from manifest import package
from manifest.draw_icons import draw_color_icon, draw_outline_icon
from manifest.png import decode_png, read_png

REPO = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
VALIDATOR = REPO / "tools" / "validate_manifest.cjs"
APP_ID = "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"
BOT_ID = "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"

ROUTINE_COMMANDS = {
    "ny beställning",
    "utförarbyte",
    "flytt",
    "övertagande",
    "avslut",
    "återlämna larm",
    "larmkedja",
}


def _node_tooling_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed: install Node.js 20 to validate the manifest against the official schema"
    if not SCHEMA_DIR.is_dir() or not (REPO / "node_modules" / "fs-extra").is_dir():
        return "node_modules missing (@microsoft/app-manifest, fs-extra): run `npm ci` at the repository root"
    return None


@pytest.fixture
def node_tooling() -> None:
    reason = _node_tooling_missing()
    if reason:
        pytest.skip(reason)


def test_main_validate_option(node_tooling, tmp_path, capsys):
    assert package.main(["--app-id", APP_ID, "--out", str(tmp_path / "v.zip"), "--validate"]) == 0
    assert "schema-valid" in capsys.readouterr().out
    assert package.schema_errors({"manifestVersion": "1.30"})  # required fields missing


def _validate(manifest: dict, tmp_path: Path) -> tuple[int, dict]:
    path = tmp_path / "manifest-under-test.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        ["node", str(VALIDATOR), str(path)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode in (0, 1), f"validator failed to run: {proc.stderr}"
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict]:
    out = package.build_package(APP_ID, tmp_path / "app.zip", env={})
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
    return out, manifest


# ---------------------------------------------------------------- content


def test_manifest_has_swedish_names_and_descriptions(built):
    _, manifest = built
    assert manifest["name"]["short"] == "Larmlotsen"
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "sv-se"
    full = manifest["description"]["full"]
    for phrase in ("trygghetslarm", "nyckelfri hemtjänst", "utförarbyte", "flytt", "övertagande",
                   "avslut", "återlämning", "larmkedjan", "loggas", "kanal"):
        assert phrase in full, phrase
    assert "trygghetslarm" in manifest["description"]["short"]


def test_bot_scopes_flags_and_commands(built):
    _, manifest = built
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False
    by_scope = {}
    for entry in bot["commandLists"]:
        assert len(entry["scopes"]) == 1
        by_scope[entry["scopes"][0]] = entry["commands"]
    assert sorted(by_scope) == ["groupChat", "personal", "team"]
    for scope, commands in by_scope.items():
        titles = [c["title"] for c in commands]
        assert len(titles) <= 10, f"Teams shows at most 10 commands in {scope}"
        assert len(set(titles)) == len(titles)
        assert ROUTINE_COMMANDS | {"mina ärenden", "hjälp"} == set(titles)
        for command in commands:
            # Limits of the older schemas (title 32, description 128), stricter than v1.30's.
            assert len(command["title"]) <= 32 and len(command["description"]) <= 128
            assert command["description"].strip()
    mine = {c["title"]: c["description"] for c in by_scope["personal"]}["mina ärenden"]
    team = {c["title"]: c["description"] for c in by_scope["team"]}["mina ärenden"]
    assert "dina" in mine and "teamets" in team


def test_ids_version_developer_defaults(built):
    _, manifest = built
    assert manifest["id"] == APP_ID
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    developer = manifest["developer"]
    assert developer["name"] == package.DEFAULT_DEVELOPER_NAME == "Stockholms stad"
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key].startswith("https://")
    assert manifest["validDomains"] == []
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])


def test_environment_overrides(tmp_path):
    env = {
        "MicrosoftAppId": APP_ID.upper(),
        "MANIFEST_BOT_ID": BOT_ID,
        "MANIFEST_VERSION": "2.3.4",
        "MANIFEST_DEVELOPER_NAME": "Exempelutföraren AB",
        "MANIFEST_WEBSITE_URL": "https://example.org/larmlotsen",
        "MANIFEST_PRIVACY_URL": "https://example.org/integritet",
        "MANIFEST_TERMS_URL": "https://example.org/villkor",
        "MANIFEST_VALID_DOMAINS": "larmlotsen.example.org, ",
    }
    manifest = package.build_manifest(env=env)
    assert manifest["id"] == APP_ID  # normalised to lower case
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert manifest["version"] == "2.3.4"
    assert manifest["developer"] == {
        "name": "Exempelutföraren AB",
        "websiteUrl": "https://example.org/larmlotsen",
        "privacyUrl": "https://example.org/integritet",
        "termsOfUseUrl": "https://example.org/villkor",
    }
    assert manifest["validDomains"] == ["larmlotsen.example.org"]
    # Explicit arguments win over the environment.
    assert package.build_manifest(BOT_ID, version="1.0.0", env=env)["id"] == BOT_ID


@pytest.mark.parametrize(
    ("env", "kwargs", "message"),
    [
        ({}, {}, "MicrosoftAppId"),
        ({"MicrosoftAppId": ""}, {}, "MicrosoftAppId"),
        ({"MicrosoftAppId": "not-a-guid"}, {}, "GUID"),
        ({}, {"app_id": "{" + APP_ID + "}"}, "GUID"),
        ({"MicrosoftAppId": APP_ID}, {"bot_id": "bot"}, "GUID"),
        ({"MicrosoftAppId": APP_ID}, {"version": "1.0"}, "X.Y.Z"),
        ({"MicrosoftAppId": APP_ID, "MANIFEST_PRIVACY_URL": "http://insecure.example"}, {}, "https"),
        ({"MicrosoftAppId": APP_ID, "MANIFEST_VALID_DOMAINS": "https://x.example/"}, {}, "host names"),
    ],
)
def test_refuses_missing_or_malformed_input(tmp_path, env, kwargs, message):
    app_id = kwargs.pop("app_id", None)
    with pytest.raises(package.PackageError, match=message):
        package.build_package(app_id, tmp_path / "app.zip", env=env, **kwargs)
    assert not (tmp_path / "app.zip").exists()


def test_app_id_from_process_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.delenv("MANIFEST_BOT_ID", raising=False)
    out = package.build_package(None, tmp_path / "from-env.zip")
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("manifest.json"))["id"] == APP_ID


# ---------------------------------------------------------------- official schema


def test_manifest_uses_newest_bundled_schema(node_tooling, built):
    _, manifest = built
    versions = [
        tuple(int(p) for p in d.name[1:].split("."))
        for d in SCHEMA_DIR.iterdir()
        if re.fullmatch(r"v\d+\.\d+", d.name)
    ]
    newest = ".".join(map(str, max(versions)))
    assert manifest["manifestVersion"] == newest
    assert manifest["$schema"].endswith(f"/teams/v{newest}/MicrosoftTeams.schema.json")


def test_built_manifest_passes_official_schema(node_tooling, built, tmp_path):
    _, manifest = built
    code, result = _validate(manifest, tmp_path)
    assert result["errors"] == [] and code == 0, result


def test_schema_validator_catches_errors(node_tooling, built, tmp_path):
    _, manifest = built
    broken = json.loads(json.dumps(manifest))
    broken["name"]["short"] = "L" * 31
    broken["bots"][0]["scopes"].append("meeting")
    broken["bots"][0]["commandLists"][0]["commands"] *= 2  # 18 > the schema's 12
    del broken["developer"]["privacyUrl"]
    code, result = _validate(broken, tmp_path)
    assert code == 1
    text = "\n".join(result["errors"])
    for fragment in ("/name/short", "/bots/0/scopes", "/bots/0/commandLists/0/commands", "privacyUrl"):
        assert fragment in text, (fragment, text)


# ---------------------------------------------------------------- icons


def test_color_icon_is_192_opaque_and_colourful():
    icon = read_png(package.COLOR_ICON)
    assert (icon.width, icon.height) == (192, 192)
    pixels = [p for row in icon.pixels for p in row]
    assert all(a == 255 for *_, a in pixels)
    assert len({p[:3] for p in pixels}) > 2
    background = icon.pixel(0, 0)
    assert background[:3] != (255, 255, 255)
    assert "#%02X%02X%02X" % background[:3] == package.ACCENT_COLOR.upper()


def test_outline_icon_is_32_white_on_transparent():
    icon = read_png(package.OUTLINE_ICON)
    assert (icon.width, icon.height) == (32, 32)
    pixels = [p for row in icon.pixels for p in row]
    assert all(p[:3] == (255, 255, 255) for p in pixels), "outline icon must be white only"
    alphas = [p[3] for p in pixels]
    assert alphas.count(0) > len(alphas) * 0.4, "background must be transparent"
    assert sum(a == 255 for a in alphas) > 60, "the symbol must be clearly visible"
    for x, y in ((0, 0), (31, 0), (0, 31), (31, 31)):
        assert icon.pixel(x, y)[3] == 0


def test_committed_icons_match_the_drawing_script():
    assert read_png(package.COLOR_ICON).pixels == draw_color_icon().pixels
    assert read_png(package.OUTLINE_ICON).pixels == draw_outline_icon().pixels


# ---------------------------------------------------------------- zip and command line


def test_zip_holds_manifest_and_icons_at_root(built):
    out, manifest = built
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert zf.testzip() is None
        assert zf.read("color.png") == package.COLOR_ICON.read_bytes()
        assert zf.read("outline.png") == package.OUTLINE_ICON.read_bytes()
        assert decode_png(zf.read("outline.png")).width == 32
        raw = zf.read("manifest.json")
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    assert "Larmlotsen" in raw.decode("utf-8")


def test_package_is_reproducible(tmp_path):
    first = package.build_package(APP_ID, tmp_path / "a.zip", version="1.2.3", env={})
    second = package.build_package(APP_ID, tmp_path / "b.zip", version="1.2.3", env={})
    assert first.read_bytes() == second.read_bytes()


def test_main_writes_zip_and_reports_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert package.main(["--out", str(tmp_path / "x.zip")]) == 2
    assert "MicrosoftAppId" in capsys.readouterr().err
    assert package.main(["--app-id", APP_ID, "--out", str(tmp_path / "x.zip")]) == 0
    assert zipfile.is_zipfile(tmp_path / "x.zip")
    assert "Wrote" in capsys.readouterr().out
    assert package.main(["--app-id", APP_ID, "--print"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == APP_ID


def test_python_dash_m_manifest_package(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MANIFEST_")}
    env["MicrosoftAppId"] = APP_ID
    proc = subprocess.run(
        [sys.executable, "-m", "manifest.package", "--out", str(tmp_path / "cli.zip")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert zipfile.is_zipfile(tmp_path / "cli.zip")
