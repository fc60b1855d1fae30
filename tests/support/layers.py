"""The dependency rule, read from the source: which layer each module is in, which layers it may
import, and every import (also inside functions) that crosses the rule.

    domain, knowledge  <-  cards  <-  cases, notifications, teams  <-  dialogs  <-  composition root, app

`infrastructure` (settings, database, dialect, unit of work, log guard) serves the middle layer and
imports only the domain. Only `bot/teams/` and `dialogs/` import the Bot Framework SDK (the HTTP edge
in bot/app.py reads an activity through bot/teams/activity_json.py).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECKED_PACKAGES = ("bot", "cards", "dialogs")
SDK_PACKAGES = ("botbuilder", "botframework", "msrest")

# Longest prefix wins.
LAYER_OF_PREFIX = {
    "bot": "infrastructure",  # the package itself holds only the version
    "bot.__main__": "root",
    "bot.app": "root",
    "bot.composition": "root",
    "bot.migrations": "root",
    "bot.config": "infrastructure",
    "bot.db": "infrastructure",
    "bot.dialect": "infrastructure",
    "bot.jsontext": "infrastructure",
    "bot.unit_of_work": "infrastructure",
    "bot.log_guard": "infrastructure",
    "bot.domain": "domain",
    "bot.knowledge": "knowledge",
    "cards": "cards",
    "bot.cases": "cases",
    "bot.notifications": "notifications",
    "bot.teams": "teams",
    "dialogs": "dialogs",
}

_MIDDLE = {"cases", "notifications", "teams"}
_BELOW_MIDDLE = {"infrastructure", "cards", "knowledge", "domain"}
MAY_IMPORT = {
    "domain": {"domain"},
    "knowledge": {"knowledge", "domain"},
    "cards": {"cards", "knowledge", "domain"},
    "infrastructure": {"infrastructure", "domain"},
    **{layer: _MIDDLE | _BELOW_MIDDLE for layer in _MIDDLE},
    "dialogs": {"dialogs"} | _MIDDLE | _BELOW_MIDDLE,
    "root": {"root", "dialogs"} | _MIDDLE | _BELOW_MIDDLE,
}
MAY_IMPORT_SDK = {"teams", "dialogs"}


@dataclass(frozen=True)
class Crossing:
    path: str
    line: int
    importer: str
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported} ({self.why})"


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        layer = LAYER_OF_PREFIX.get(".".join(parts[:size]))
        if layer is not None:
            return layer
    return None


def imported_modules(source: str, module: str, is_package: bool):
    """(line, absolute module name) of every import in the source, at any depth."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target
            for alias in node.names:  # `from bot import composition` imports bot.composition
                yield node.lineno, f"{target}.{alias.name}"


def crossings_in(source: str, module: str, path: str = "<source>", is_package: bool = False) -> list[Crossing]:
    importer_layer = layer_of(module)
    if importer_layer is None:
        return []
    found = []
    for line, target in imported_modules(source, module, is_package):
        top = target.split(".")[0]
        if top in SDK_PACKAGES:
            if importer_layer not in MAY_IMPORT_SDK:
                found.append(Crossing(path, line, module, target, f"the {importer_layer} layer may not use the SDK"))
            continue
        if top not in CHECKED_PACKAGES:
            continue
        target_layer = layer_of(target)
        if target_layer is not None and target_layer not in MAY_IMPORT[importer_layer]:
            found.append(Crossing(path, line, module, target,
                                  f"the {importer_layer} layer may not import the {target_layer} layer"))
    return found


def module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def all_crossings() -> list[Crossing]:
    found = []
    for package in CHECKED_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            module, is_package = module_name(path)
            found.extend(crossings_in(path.read_text(encoding="utf-8"), module,
                                      str(path.relative_to(REPO)), is_package))
    return found


def unplaced_modules() -> list[str]:
    """Modules no layer claims: a new top-level module of bot/ must be given its place."""
    missing = []
    for package in CHECKED_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            module, _ = module_name(path)
            if module.count(".") == 1 and module.startswith("bot.") and module not in LAYER_OF_PREFIX:
                missing.append(module)
    return missing
