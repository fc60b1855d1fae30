"""Summarise a py-spy profile in collapsed-stack form (`py-spy record --format raw`).

    python bench/profile_summary.py bench/results/profiles/larmlotsen-sqlite-10.txt [--top 40]
    python bench/profile_summary.py PROFILE --match jsonpickle   # inclusive share of matching frames

Prints the functions with the most samples inclusive (anywhere on the stack) and exclusive (on
top), as shares of all samples, idle samples excluded.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

_IDLE = ("EpollSelector.select (", "Condition.wait (threading", "Queue.get (queue")
_LINE = re.compile(r":\d+\)$")


def _frames(stack: str) -> list[str]:
    return [_LINE.sub(")", frame) for frame in stack.split(";")]


def load(path: str) -> list[tuple[list[str], int]]:
    samples = []
    with open(path, encoding="utf-8") as profile:
        for line in profile:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            frames = _frames(stack)
            if frames and any(idle in frames[-1] for idle in _IDLE):
                continue
            samples.append((frames, int(count)))
    return samples


def summarise(samples, top: int, match: str | None) -> str:
    total = sum(count for _, count in samples) or 1
    inclusive, exclusive = Counter(), Counter()
    matched = 0
    for frames, count in samples:
        for frame in set(frames):
            inclusive[frame] += count
        exclusive[frames[-1]] += count
        if match and any(match in frame for frame in frames):
            matched += count
    lines = [f"{total} busy samples"]
    if match:
        lines.append(f"frames matching {match!r}: {100 * matched / total:.1f}% inclusive")
    lines.append("\ninclusive:")
    lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(top)]
    lines.append("\nexclusive:")
    lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in exclusive.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match")
    args = parser.parse_args()
    print(summarise(load(args.profile), args.top, args.match))


if __name__ == "__main__":
    main()
