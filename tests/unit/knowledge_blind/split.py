"""Split the blind question set once into a development half and a test half.

Run once when the set was written (`python -m tests.unit.knowledge_blind.split`); the halves
are committed and never redrawn. The draw is
stratified by kind (fact / unknown / out) so each half has its share of every kind.
"""

import json
import random
from collections import defaultdict
from pathlib import Path

try:
    from tests.unit.knowledge_blind.questions_written import QUESTIONS
except ImportError:  # run as a script from this folder
    from questions_written import QUESTIONS

SEED = 20261202
HERE = Path(__file__).parent


def split(questions, seed=SEED):
    by_kind = defaultdict(list)
    for index, question in enumerate(questions):
        by_kind[question["kind"]].append(dict(question, id=f"b{index + 1:03d}"))
    rng = random.Random(seed)
    dev, test = [], []
    for kind in sorted(by_kind):
        items = by_kind[kind]
        rng.shuffle(items)
        half = len(items) // 2
        dev += items[:half]
        test += items[half:]
    return sorted(dev, key=lambda q: q["id"]), sorted(test, key=lambda q: q["id"])


def write(path, questions):
    lines = ",\n".join(json.dumps(q, ensure_ascii=False) for q in questions)
    path.write_text("[\n" + lines + "\n]\n", encoding="utf-8")


if __name__ == "__main__":
    dev, test = split(QUESTIONS)
    write(HERE / "dev.json", dev)
    write(HERE / "test.json", test)
    print(f"dev {len(dev)}, test {len(test)}")
