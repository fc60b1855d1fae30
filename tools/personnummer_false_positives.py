"""How often ordinary numbers are refused as personnummer: the guard against the PyPI
`personnummer` package (a test dependency) on random samples. Prints the rates the README gives.

    python tools/personnummer_false_positives.py [--samples 200000]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta

from personnummer import personnummer

from bot.domain import contains_personal_number


def samples(kind: str, rng: random.Random) -> str:
    if kind == "mobile number (07XXXXXXXX)":
        return "07" + f"{rng.randrange(10**8):08d}"
    if kind == "random 10 digits":
        return f"{rng.randrange(10**10):010d}"
    moment = datetime(2020, 1, 1) + timedelta(minutes=rng.randrange(60 * 24 * 365 * 10))
    return moment.strftime("%Y%m%d %H%M")


KINDS = ("mobile number (07XXXXXXXX)", "random 10 digits", "date and time (YYYYMMDD HHMM)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for kind in KINDS:
        refused = oracle = disagree = 0
        for _ in range(args.samples):
            text = samples(kind, rng)
            guard = contains_personal_number(text)
            valid = personnummer.valid(text.replace(" ", ""))
            refused += guard
            oracle += valid
            disagree += guard != valid
        print(f"{kind}: refused {refused / args.samples:.2%}, valid per the oracle {oracle / args.samples:.2%}, "
              f"disagreements {disagree} of {args.samples}")


if __name__ == "__main__":
    main()
