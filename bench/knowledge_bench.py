"""Measure the quick-answer knowledge base: top-1 accuracy and answer latency.

Run from the repository root:  python bench/knowledge_bench.py [--repeat N]

Accuracy is the share of the measured questions whose top answer holds the expected
fact; out-of-scope questions must get no answer. Latency is the wall time of one
`answer()` call, over every question repeated N times, after the index is built.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.knowledge import KnowledgeBase  # noqa: E402
from tests.unit.knowledge.question_set import is_correct, load_question_set  # noqa: E402
from tests.unit.knowledge_blind import evaluate as blind  # noqa: E402


def answered(answer) -> bool:
    """A passage of the page was given (not "the page does not say", not "Menade du")."""
    return answer is not None and answer.answered


def measure_build() -> tuple[KnowledgeBase, float]:
    started = time.perf_counter()
    knowledge_base = KnowledgeBase.from_file()
    return knowledge_base, (time.perf_counter() - started) * 1000


def measure_accuracy(knowledge_base: KnowledgeBase, question_set: dict) -> tuple[dict[str, list[int]], list[str], list[str]]:
    """Correct and total per question set ('dev', 'blind1', ...), the missed questions,
    and the out-of-scope questions that wrongly got an answer."""
    per_set: dict[str, list[int]] = {}
    misses = []
    for item in question_set["answerable"]:
        answer = knowledge_base.answer(item["question"])
        counts = per_set.setdefault(item.get("set", "all"), [0, 0])
        counts[1] += 1
        if is_correct(answer.text if answer else None, item):
            counts[0] += 1
        else:
            misses.append(item["question"])
    wrongly_answered = [q for q in question_set["out_of_scope"] if answered(knowledge_base.answer(q))]
    return per_set, misses, wrongly_answered


def measure_latency(
    knowledge_base: KnowledgeBase, questions: list[str], repeat: int
) -> tuple[list[float], list[float]]:
    """Wall time and CPU time of each answer, in ms. On a shared, loaded machine the
    wall time's tail is mostly waiting for a core; the CPU time shows our own cost."""
    wall, cpu = [], []
    gc.collect()
    for _ in range(repeat):
        for question in questions:
            started_cpu = time.thread_time()
            started = time.perf_counter()
            knowledge_base.answer(question)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def describe(timings: list[float]) -> str:
    ordered = sorted(timings)
    return (
        f"p50 {percentile(ordered, 0.50):.3f} ms, p95 {percentile(ordered, 0.95):.3f} ms, "
        f"p99 {percentile(ordered, 0.99):.3f} ms, max {ordered[-1]:.3f} ms, mean {statistics.fmean(ordered):.3f} ms"
    )


def percentile(sorted_values: list[float], share: float) -> float:
    index = min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="repetitions of the whole question set")
    parser.add_argument("--held-out", action="store_true",
                        help="also score the held-out test half (its questions are always timed, never shown)")
    arguments = parser.parse_args()

    question_set = load_question_set()
    knowledge_base, build_ms = measure_build()
    per_set, misses, wrongly_answered = measure_accuracy(knowledge_base, question_set)
    total = len(question_set["answerable"])
    correct = total - len(misses)
    out_of_scope = len(question_set["out_of_scope"])

    blind_sets = {name: blind.load(name) for name in ("dev", "dev_extra", "dev2", "dev3", "dev4", "test")}
    questions = [item["question"] for item in question_set["answerable"]] + question_set["out_of_scope"]
    questions += [item["q"] for items in blind_sets.values() for item in items]
    if not arguments.held_out:
        del blind_sets["test"]  # scored only on request, so tuning never looks at it by accident
    wall, cpu = measure_latency(knowledge_base, questions, arguments.repeat)

    print(f"index build: {build_ms:.1f} ms")
    print(f"top-1 accuracy: {correct}/{total} = {correct / total:.1%}")
    for name, (set_correct, set_total) in per_set.items():
        print(f"  {name}: {set_correct}/{set_total} = {set_correct / set_total:.1%}")
    for question in misses:
        print(f"  miss: {question}")
    print(f"out of scope with no answer: {out_of_scope - len(wrongly_answered)}/{out_of_scope}")
    for question in wrongly_answered:
        print(f"  answered but should not be: {question}")
    for name, items in blind_sets.items():
        print(f"blind set, {name} ({len(items)} questions):")
        for line in blind.evaluate(knowledge_base, items).lines():
            print(f"  {line}")
    print(f"latency over {len(wall)} answers ({len(questions)} questions x {arguments.repeat}):")
    print(f"  wall: {describe(wall)}")
    print(f"  cpu:  {describe(cpu)}")
    print(f"  load average at the end: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
