"""Draw the Teams app icons: a bell (the safety alarm) with sound waves and a keyhole (keyless care).

Run ``python -m manifest.draw_icons`` after changing the drawing; the PNGs are committed beside
this file. Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on a
transparent background. The shapes are defined in a unit square (x right, y down) and sampled
several times per pixel for smooth edges; no imaging library is needed.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Callable

from manifest.png import Image, write_png

HERE = Path(__file__).resolve().parent
COLOR_ICON = HERE / "color.png"
OUTLINE_ICON = HERE / "outline.png"
COLOR_SIZE = 192
OUTLINE_SIZE = 32
# Background of the colour icon; also the manifest's accentColor. A neutral dark blue chosen
# for contrast with white, not an official colour of the city's graphic profile.
ACCENT_COLOR = "#005B99"

Shape = Callable[[float, float], bool]


def _disc(cx: float, cy: float, r: float) -> Shape:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _bell_body(x: float, y: float) -> bool:
    """Dome and flaring sides of the bell, symmetric around x = 0.5."""
    dx = abs(x - 0.5)
    if 0.235 <= y <= 0.40:
        return dx * dx + (y - 0.40) ** 2 <= 0.165**2
    if 0.40 < y <= 0.66:
        t = (y - 0.40) / 0.26
        return dx <= 0.165 + 0.095 * t**1.8
    return False


def _rim(x: float, y: float) -> bool:
    """The bell's lip: a bar with rounded ends."""
    half_height = 0.042
    if abs(y - 0.675) > half_height:
        return False
    if 0.19 <= x <= 0.81:
        return True
    end = 0.19 if x < 0.5 else 0.81
    return (x - end) ** 2 + (y - 0.675) ** 2 <= half_height**2


def _clapper(x: float, y: float) -> bool:
    return y >= 0.70 and (x - 0.5) ** 2 + (y - 0.715) ** 2 <= 0.085**2


_knob = _disc(0.5, 0.205, 0.05)


def _keyhole(x: float, y: float) -> bool:
    if (x - 0.5) ** 2 + (y - 0.46) ** 2 <= 0.05**2:
        return True
    if 0.46 <= y <= 0.585:
        t = (y - 0.46) / 0.125
        return abs(x - 0.5) <= 0.02 + 0.022 * t
    return False


def _waves(radii: tuple[tuple[float, float], ...], up_deg: float, down_deg: float) -> Shape:
    """Arcs left and right of the bell (the alarm ringing), from up_deg above to down_deg below
    the horizontal through the bell's waist."""
    cx, cy = 0.5, 0.47
    up, down = math.radians(up_deg), math.radians(down_deg)

    def inside(x: float, y: float) -> bool:
        dx, dy = x - cx, y - cy
        d = math.hypot(dx, dy)
        if not any(r0 <= d <= r1 for r0, r1 in radii):
            return False
        angle = math.atan2(-dy, abs(dx))  # positive above the horizontal
        return -down <= angle <= up

    return inside


def _bell(x: float, y: float) -> bool:
    return _knob(x, y) or _bell_body(x, y) or _rim(x, y) or _clapper(x, y)


def color_symbol(x: float, y: float) -> bool:
    return (_bell(x, y) and not _keyhole(x, y)) or _wide_waves(x, y)


_wide_waves = _waves(((0.335, 0.375), (0.42, 0.46)), up_deg=38, down_deg=38)
# At 32 px the arcs stop higher so that they stay clear of the rim.
_outline_waves = _waves(((0.38, 0.44),), up_deg=40, down_deg=12)


def outline_symbol(x: float, y: float) -> bool:
    return _bell(x, y) or _outline_waves(x, y)


def _coverage(shape: Shape, size: int, px: int, py: int, scale: float, samples: int) -> float:
    """Fraction of the pixel (px, py) covered by the shape, the unit square scaled and centred."""
    offset = (1.0 - scale) / 2.0
    hits = 0
    for sy in range(samples):
        for sx in range(samples):
            u = ((px + (sx + 0.5) / samples) / size - offset) / scale
            v = ((py + (sy + 0.5) / samples) / size - offset) / scale
            if 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0 and shape(u, v):
                hits += 1
    return hits / (samples * samples)


def _hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def draw_color_icon(size: int = COLOR_SIZE, samples: int = 4) -> Image:
    """White symbol on a full-bleed accent-coloured square (Teams rounds the corners itself)."""
    br, bg, bb = _hex_to_rgb(ACCENT_COLOR)
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            c = _coverage(color_symbol, size, px, py, 0.78, samples)
            row.append(
                (
                    round(br + (255 - br) * c),
                    round(bg + (255 - bg) * c),
                    round(bb + (255 - bb) * c),
                    255,
                )
            )
        rows.append(row)
    return Image(size, size, rows)


def draw_outline_icon(size: int = OUTLINE_SIZE, samples: int = 8) -> Image:
    """White symbol, transparent elsewhere; anti-aliasing only through alpha, never colour."""
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            alpha = round(255 * _coverage(outline_symbol, size, px, py, 1.0, samples))
            row.append((255, 255, 255, alpha))
        rows.append(row)
    return Image(size, size, rows)


def main(argv: list[str] | None = None) -> int:
    out_dir = Path(argv[0]) if argv else HERE
    write_png(draw_color_icon(), out_dir / COLOR_ICON.name)
    write_png(draw_outline_icon(), out_dir / OUTLINE_ICON.name)
    print(f"Wrote {out_dir / COLOR_ICON.name} and {out_dir / OUTLINE_ICON.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
