"""Score the quick answers on a question set: key facts, forbidden facts, admitted-unknown, refused.

Runs the real answering code (`KnowledgeBase.answer`) and reads what the staff member would be
shown: the answer's text, its section, and its contacts (label and link). Facts are compared after
folding case and diacritics, so "återlämna" meets "aterlamna" in either direction.

    python -m tests.unit.knowledge_blind.evaluate dev            # scores and the misses of the dev half
    python -m tests.unit.knowledge_blind.evaluate test --quiet   # scores only
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS = {"dev": HERE / "dev.json", "dev_extra": HERE / "dev_extra.json", "dev2": HERE / "dev2.json", "dev3": HERE / "dev3.json", "dev4": HERE / "dev4.json", "test": HERE / "test.json"}

ANSWERED, NOT_ON_PAGE, REFUSED = "answered", "not_on_page", "refused"


def load(name: str) -> list[dict]:
    return json.loads(SETS[name].read_text(encoding="utf-8"))


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.replace("\u2011", "-").replace("\u2013", "-"))


def outcome(answer) -> str:
    """How the bot replied: with a passage, with "the page does not say", or not at all."""
    if answer is None:
        return REFUSED
    kind = getattr(answer, "kind", "answer")
    return {"answer": ANSWERED, "not_on_page": NOT_ON_PAGE}.get(kind, REFUSED)


def shown_text(answer) -> str:
    """Everything the reply shows that can carry a fact: text, section, contacts' labels and links."""
    if answer is None:
        return ""
    parts = [getattr(answer, "text", "") or "", getattr(answer, "section", "") or ""]
    for contact in getattr(answer, "contacts", ()) or ():
        parts += [contact.label, contact.value, contact.url]
    return fold("\n".join(parts))


def has_fact(text: str, alternatives: list[str]) -> bool:
    return any(fold(alternative) in text for alternative in alternatives)


@dataclass
class Score:
    facts: list[int] = field(default_factory=lambda: [0, 0])  # carried the key fact(s), of
    unknown: list[int] = field(default_factory=lambda: [0, 0])  # admitted with a contact, of
    unknown_admitted: int = 0  # admitted, with or without a contact
    out: list[int] = field(default_factory=lambda: [0, 0])  # refused, of
    contradicting: int = 0  # answers carrying a forbidden fact
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (id, question, why)

    @property
    def in_scope(self) -> tuple[int, int]:
        return self.facts[0] + self.unknown[0], self.facts[1] + self.unknown[1]

    def lines(self) -> list[str]:
        def share(pair):
            return f"{pair[0]}/{pair[1]} = {pair[0] / pair[1]:.1%}" if pair[1] else "0/0"

        return [
            f"key fact carried (fact + page-does-not-say): {share(self.in_scope)}",
            f"  fact questions with their key fact(s): {share(self.facts)}",
            f"  page does not say, admitted with a contact: {share(self.unknown)}"
            f" (admitted at all: {self.unknown_admitted})",
            f"out of scope refused: {share(self.out)}",
            f"answers carrying a forbidden (contradicting/misleading) fact: {self.contradicting}",
        ]


def evaluate(knowledge_base, questions: list[dict]) -> Score:
    score = Score()
    for item in questions:
        answer = knowledge_base.answer(item["q"])
        got, text = outcome(answer), shown_text(answer)
        forbidden = [fact for fact in item["must_not"] if has_fact(text, [fact])]
        missing = [alts[0] for alts in item["must"] if not has_fact(text, alts)]
        score.contradicting += bool(forbidden)
        if item["kind"] == "out":
            ok = got == REFUSED
            bucket, why = score.out, f"not refused ({got})"
        elif item["kind"] == "unknown":
            admitted = got in (NOT_ON_PAGE, REFUSED)  # "vet inte" is honest; the contact is checked below
            score.unknown_admitted += admitted
            ok = admitted and not missing and not forbidden
            bucket, why = score.unknown, f"{got}; missing {missing}; forbidden {forbidden}"
        else:
            ok = got == ANSWERED and not missing and not forbidden
            bucket, why = score.facts, f"{got}; missing {missing}; forbidden {forbidden}"
        bucket[1] += 1
        if ok:
            bucket[0] += 1
        else:
            score.misses.append((item["id"], item["q"], why))
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=sorted(SETS))
    parser.add_argument("--quiet", action="store_true", help="scores only, no misses")
    arguments = parser.parse_args()
    from bot.knowledge import KnowledgeBase

    score = evaluate(KnowledgeBase.from_file(), load(arguments.set))
    print("\n".join([f"{arguments.set}:"] + score.lines()))
    if not arguments.quiet:
        for number, question, why in score.misses:
            print(f"  miss {number}: {question}  [{why}]")


if __name__ == "__main__":
    main()
