"""Draw every routine's checklist card (first, middle and last state) 412 px wide with the
official renderer in headless Chromium, write build/cards/<routine>_<state>.png and print each
card's height and where its first "Klart" button sits.

    python tools/checklist_pngs.py [out_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.cardmeasure import PHONE_WIDTH, measure_cards  # noqa: E402
from tests.support.checklist_states import checklist_cards  # noqa: E402


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "build" / "cards"
    measures = measure_cards(checklist_cards(), PHONE_WIDTH, out_dir)
    print(f"{'card':<26} {'height':>7} {'next-step button bottom':>24}")
    for name, measure in measures.items():
        button = measure.button(r"^(Klart|Avsluta)")
        where = f"{button.bottom:.0f}" if button else "-"
        print(f"{name:<26} {measure.height:>7.0f} {where:>24}")
    print(f"PNGs in {out_dir}")


if __name__ == "__main__":
    main()
