"""Measure cards as a phone shows them: the official renderer (npm ``adaptivecards``) in headless
Chromium, the card drawn 412 px wide, heights and button positions read from the page.

Used by the first-screen browser test and by ``tools/checklist_pngs.py``. Every request that is
not local is blocked; :class:`tests.support.cardcheck.ToolMissing` says what to install when
Chromium, playwright or ``node_modules`` are missing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from tests.support.cardcheck import (
    CHROMIUM,
    CHROMIUM_ARGS,
    RENDER_PAGE,
    CardRenderError,
    ToolMissing,
    _is_local,
    missing_browser_tooling,
)

PHONE_WIDTH = 412

_MEASURE = """() => {
  const host = document.getElementById('card-host');
  const top = host.getBoundingClientRect().top;
  const buttons = [...host.querySelectorAll('button, .ac-pushButton')]
    .filter(b => b.offsetParent !== null)
    .map(b => { const r = b.getBoundingClientRect();
                return {title: (b.getAttribute('aria-label') || b.innerText || '').trim(),
                        top: r.top - top, bottom: r.bottom - top}; });
  return {height: host.getBoundingClientRect().height, buttons};
}"""


@dataclass(frozen=True)
class Button:
    title: str
    top: float
    bottom: float


@dataclass(frozen=True)
class Measure:
    height: float
    buttons: tuple[Button, ...]

    def button(self, pattern: str) -> Button | None:
        """The first visible button whose title matches `pattern` (a regular expression)."""
        return next((b for b in self.buttons if re.search(pattern, b.title)), None)


def _measure_sync(cards: Mapping[str, Mapping[str, Any]], width: int, out_dir: Path | None) -> dict[str, Measure]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Measure] = {}
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width + 48, "height": 900}, device_scale_factor=1)
            context.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort())
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(RENDER_PAGE.as_uri())
            page.wait_for_function("window.previewReady === true && !!window.AdaptiveCards", timeout=15_000)
            page.add_style_tag(content=f"#card-host, #card-host.full-width {{ width: {width}px !important; }}")
            if out_dir is not None:
                out_dir.mkdir(parents=True, exist_ok=True)
            for name, card in cards.items():
                errors.clear()
                result = page.evaluate("card => window.renderCard(card)", card)
                if not result.get("ok") or errors:
                    raise CardRenderError(f"card {name!r} could not be rendered: {result.get('problems')} {errors}")
                raw = page.evaluate(_MEASURE)
                results[name] = Measure(raw["height"], tuple(Button(**b) for b in raw["buttons"]))
                if out_dir is not None:
                    page.locator("#frame").screenshot(path=str(out_dir / f"{name}.png"))
        finally:
            browser.close()
    return results


def measure_cards(cards: Mapping[str, Mapping[str, Any]], width: int = PHONE_WIDTH,
                  out_dir: Path | None = None) -> dict[str, Measure]:
    """Render each card `width` px wide; its height and visible buttons (y from the card's top).
    With `out_dir`, also a screenshot `<name>.png` of each."""
    reason = missing_browser_tooling()
    if reason:
        raise ToolMissing(reason)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _measure_sync(cards, width, out_dir)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_measure_sync, cards, width, out_dir).result()
