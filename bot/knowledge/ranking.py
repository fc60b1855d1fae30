"""A small BM25 index over the page's passages.

Why our own and not a package: the page has about fifty passages, so the whole index
is a few dictionaries and ranking a question costs well under a millisecond. What
matters here is not raw speed but control over the pieces BM25 packages keep inside: a
query term is a *group* of alternative tokens (stem, synonym concept, exact word form)
that must count once and weigh as its broadest meaning, the section heading is a second
field of every passage, and deciding "no answer" needs the idf of each term.
rank-bm25 has had no release since 2022, and bm25s brings numpy and scipy for a job
this small; neither would pay for itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.analyzer import EXACT_PREFIX, Term

# Chosen on the question set from a small grid (b 0.3-0.75, heading 0.3-0.8, bonus
# 0.05-0.2); results are flat around these values, so they are not a lucky spike.
K1 = 1.2
B = 0.3  # passages range from a short step to a paragraph; a long one is not less relevant
HEADING_WEIGHT = 0.8  # the page's headings are precise ("Avslut när ... lås"): nearly body weight
EXACT_BONUS = 0.1  # share of a term's weight added when the very word form is found


@dataclass(frozen=True)
class IndexedPassage:
    body: Sequence[Term]
    heading: Sequence[Term]


class PassageIndex:
    """BM25 with grouped query terms and a weighted heading field."""

    def __init__(self, passages: Sequence[IndexedPassage]):
        self.size = len(passages)
        self._frequencies: list[dict[str, float]] = [_weighted_frequencies(p) for p in passages]
        lengths = [len(p.body) + HEADING_WEIGHT * len(p.heading) for p in passages]
        average = sum(lengths) / max(len(lengths), 1)
        self._length_norm = [K1 * (1 - B + B * length / average) for length in lengths]
        document_frequency: dict[str, int] = defaultdict(int)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for number, frequencies in enumerate(self._frequencies):
            for token in frequencies:
                document_frequency[token] += 1
                self._postings[token].append(number)
        self.document_frequency = dict(document_frequency)
        self.idf = {
            token: math.log(1 + (self.size - count + 0.5) / (count + 0.5))
            for token, count in document_frequency.items()
        }
        # The weight of a token seen once: what an unknown word is worth.
        self.max_idf = math.log(1 + (self.size - 0.5) / 1.5)

    def scores(self, terms: Sequence[Term]) -> list[float]:
        """BM25 score of every passage. A term's tokens (stem, synonym concept,
        word form) are alternatives: the term weighs as its broadest token, so a
        synonym counts as much as the page's own word, and counts once."""
        totals = [0.0] * self.size
        for term in terms:
            weight = self.term_weight(term)
            best_by_passage: dict[int, tuple[float, float]] = {}
            exact_passages: set[int] = set()
            for token in term.tokens:
                if token.startswith(EXACT_PREFIX):
                    exact_passages.update(self._postings.get(token, ()))
                    continue
                # The page's own word ranks halfway between its rarity and that of
                # the concept: "installerar" prefers "installerar" to "installation",
                # yet "larmet" does not prefer "larm" much over "trygghetslarmet".
                token_weight = (weight + self.idf.get(token, weight)) / 2
                for number in self._postings.get(token, ()):
                    candidate = (token_weight, self._frequencies[number][token])
                    if candidate > best_by_passage.get(number, (0.0, 0.0)):
                        best_by_passage[number] = candidate
            for number, (token_weight, frequency) in best_by_passage.items():
                totals[number] += token_weight * frequency * (K1 + 1) / (frequency + self._length_norm[number])
            for number in exact_passages:
                totals[number] += EXACT_BONUS * weight
        return totals

    def contains(self, number: int, term: Term) -> bool:
        frequencies = self._frequencies[number]
        return any(token in frequencies for token in term.tokens)

    def term_weight(self, term: Term) -> float:
        """How much a term says: the idf of its broadest meaning found on the page
        ("larmet" weighs as the concept alarm), or the most if the page lacks it."""
        known = [
            self.idf[token] for token in term.tokens if token in self.idf and not token.startswith(EXACT_PREFIX)
        ]
        return min(known) if known else self.max_idf


def _weighted_frequencies(passage: IndexedPassage) -> dict[str, float]:
    frequencies: dict[str, float] = defaultdict(float)
    for term in passage.body:
        for token in term.tokens:
            frequencies[token] += 1.0
    for term in passage.heading:
        for token in term.tokens:
            frequencies[token] += HEADING_WEIGHT
    return dict(frequencies)
