"""Load botbuilder.dialogs without its prompts, choices and skills until something asks for them.

The package's `__init__` star-imports `prompts`, `choices` and `skills`, and the prompts pull in
Microsoft's text recognizers (recognizers-text with its number, date-time and choice models, and
`emoji`): about a third of a second of every start and 17–18 MiB of memory for a bot that uses no
prompt (docs/performance.md). While the package's `__init__` runs, those three subpackages are
empty placeholders; afterwards they are gone again, and the package answers for their names on
first use (PEP 562), so `from botbuilder.dialogs import TextPrompt` still works, only later.
"""

from __future__ import annotations

import importlib
import sys
import types

_PACKAGE = "botbuilder.dialogs"
_DEFERRED = ("prompts", "choices", "skills")


def load_dialogs_without_prompts() -> None:
    """Import botbuilder.dialogs, deferring its prompts; nothing to do once it is imported."""
    if _PACKAGE in sys.modules:
        return
    placeholders = {f"{_PACKAGE}.{name}": _placeholder(f"{_PACKAGE}.{name}") for name in _DEFERRED}
    sys.modules.update(placeholders)
    try:
        package = importlib.import_module(_PACKAGE)
    finally:
        for full_name, placeholder in placeholders.items():
            if sys.modules.get(full_name) is placeholder:
                del sys.modules[full_name]
    for name in _DEFERRED:
        if isinstance(package.__dict__.get(name), types.ModuleType) and package.__dict__[name].__dict__.get(
                "__placeholder__"):
            delattr(package, name)
    package.__getattr__ = _load_on_first_use


def _placeholder(full_name: str) -> types.ModuleType:
    module = types.ModuleType(full_name)
    module.__all__ = []  # what the package's `from .prompts import *` takes from it
    module.__placeholder__ = True
    return module


def _load_on_first_use(name: str):
    if name in _DEFERRED:
        return importlib.import_module(f"{_PACKAGE}.{name}")
    for subpackage in _DEFERRED:
        module = importlib.import_module(f"{_PACKAGE}.{subpackage}")
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(f"module {_PACKAGE!r} has no attribute {name!r}")
