"""Draw every routine's checklist card (first, middle and last state) and the notice channel's
case cards and digest 412 px wide with the official renderer in headless Chromium, write
build/cards/<name>.png and print each card's height and where the button of its next action sits
("Klart"/"Avsluta" on a checklist, "Visa ärendet" on a channel card; a digest has none).

    python tools/checklist_pngs.py [out_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.cardmeasure import PHONE_WIDTH, measure_cards  # noqa: E402
from tests.support.checklist_states import checklist_cards  # noqa: E402
from tests.support.notice_states import notice_cards  # noqa: E402


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "build" / "cards"
    measures = measure_cards({**checklist_cards(), **notice_cards()}, PHONE_WIDTH, out_dir)
    print(f"{'card':<26} {'height':>7} {'next-step button bottom':>24}")
    for name, measure in measures.items():
        button = measure.button(r"^(Klart|Avsluta|Visa ärendet)")
        where = f"{button.bottom:.0f}" if button else "-"
        print(f"{name:<26} {measure.height:>7.0f} {where:>24}")
    print(f"PNGs in {out_dir}")


if __name__ == "__main__":
    main()
