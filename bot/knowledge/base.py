"""Answer quick questions about the routines from the city's page, or say none.

An answer is the best-ranked passage of the page, quoted as written, joined with at
most two neighbours that also answer the question, together with its section heading.
A question that names a whole section ("hur återlämnar jag ett trygghetslarm?") gets
the section's opening instead.

A question is answered only when the passage covers enough of what the question is
about: a word the page never uses ("semester", "medicin", "väder") weighs as much as
the rarest word on the page, words that are the page's very subject ("kunden",
"larmet") are no evidence at all, and at least one specific word must meet the
passage (two for a looser coverage). A question built around unknown words gets no
answer rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.knowledge.analyzer import Analyzer, Term
from bot.knowledge.lexicon import GENERIC_CONCEPTS, ROUTINE_INTENTS
from bot.knowledge.normalize import question_text, words
from bot.knowledge.page import SOURCE_PAGE, Kind, Passage, Section, load_sections
from bot.knowledge.ranking import IndexedPassage, PassageIndex

MAX_ANSWER_CHARS = 420
MAX_OPENING_PASSAGES = 3
# A question that names a section is answered with the section's opening only if
# the section also holds (nearly) the best passage: "vem installerar trygghetslarmet?"
# names "Installation av trygghetslarm och lås" but is answered by a step elsewhere.
SECTION_SHARE = 0.9
MIN_SCORE = 1.0  # below this even the best passage shares only a common word
# Share of the question's weight the passage must cover: less when two or more
# specific words of the question meet in the passage (unknown fillers such as
# "dotter" or "lördag" then do not sink a clear answer), more when only one does
# ("när stänger apoteket?" meets "stänger" alone).
MIN_COVERAGE = 0.6
MIN_COVERAGE_WITH_TWO_SPECIFIC = 0.4
NEIGHBOUR_SHARE = 0.6  # a neighbour joins the answer if it scores this share of the best
# A token found in more than this share of passages ("trygghetslarm", "utförare")
# is no evidence on its own that the page answers the question.
GENERIC_SHARE = 0.3


@dataclass(frozen=True)
class Answer:
    """A short passage quoted from the page, the heading it stands under, the
    routine the bot may offer to start, and the ranking score (for logs/tuning)."""

    text: str
    section: str
    routine: str | None
    score: float


class KnowledgeBase:
    """The page's passages, indexed once, ready to answer in well under a millisecond."""

    def __init__(self, sections: Sequence[Section]):
        self._passages: list[Passage] = [p for section in sections for p in section.passages]
        page_words = [w for p in self._passages for w in words(p.text)]
        page_words += [w for section in sections for w in words(section.heading)]
        self._analyzer = Analyzer(page_words)
        heading_terms = {s.heading: self._analyzer.terms(s.heading) for s in sections}
        self._index = PassageIndex(
            [IndexedPassage(self._analyzer.terms(p.text), heading_terms[p.section]) for p in self._passages]
        )
        self._section_routines = {heading: _routine_for(terms) for heading, terms in heading_terms.items()}
        # The page's title names the whole page, not the section under it: a
        # question about "installation" is not answered by the page's introduction.
        page_title = sections[0].heading if sections else None
        self._heading_tokens = {
            heading: frozenset().union(*(t.tokens for t in terms)) if terms else frozenset()
            for heading, terms in heading_terms.items()
            if heading != page_title
        }
        self._heading_sizes = {heading: len(terms) for heading, terms in heading_terms.items()}

    @classmethod
    def from_file(cls, path: Path = SOURCE_PAGE) -> KnowledgeBase:
        return cls(load_sections(path))

    @classmethod
    def default(cls) -> KnowledgeBase:
        """The knowledge base of the bundled source page, built once per process."""
        return _default_knowledge_base()

    # -- questions --------------------------------------------------------------

    def answer(self, question: str) -> Answer | None:
        """The page's answer to a question about the routines, or None if the page
        has none (off-topic, or too vague to point at one passage)."""
        terms = self._analyzer.terms(question_text(question))
        if not terms:
            return None
        scores = self._index.scores(terms)
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] < MIN_SCORE or not self._is_answered_by(terms, best):
            return None
        named_section = self._section_named_by(terms)
        if named_section is not None and self._section_best(named_section, scores) >= SECTION_SHARE * scores[best]:
            # "Hur återlämnar jag ett trygghetslarm?" names a whole section: its
            # opening answers better than any single sentence inside it.
            first = self._first_passage(named_section)
            text, section = self._section_opening(first), named_section
        else:
            text, section = self._answer_text(best, scores), self._passages[best].section
        routine = _routine_for(terms) or self._section_routines.get(section)
        return Answer(text, section, routine, round(scores[best], 3))

    def suggest_routine(self, text: str) -> str | None:
        """The routine a message is about doing ("kunden ska flytta" -> "move"), if any."""
        return _routine_for(self._analyzer.terms(question_text(text)))

    # -- deciding whether a passage answers ----------------------------------

    def _is_answered_by(self, terms: Sequence[Term], number: int) -> bool:
        weights = [self._index.term_weight(term) for term in terms]
        matched = [self._index.contains(number, term) for term in terms]
        coverage = sum(w for w, hit in zip(weights, matched) if hit) / sum(weights)
        specific = sum(1 for term, hit in zip(terms, matched) if hit and self._is_specific(term))
        if specific >= 2:
            return coverage >= MIN_COVERAGE_WITH_TWO_SPECIFIC
        return specific == 1 and coverage >= MIN_COVERAGE

    def _is_specific(self, term: Term) -> bool:
        """A term that points at some passages rather than at the page's subject."""
        if term.tokens & GENERIC_CONCEPTS:
            return False
        limit = GENERIC_SHARE * self._index.size
        return any(0 < self._index.document_frequency.get(token, 0) <= limit for token in term.tokens)

    def _section_named_by(self, terms: Sequence[Term]) -> str | None:
        """The most focused heading that contains every term of the question, not
        counting the page's subjects ("kunden", "larmet") that headings leave out."""
        topical = [term for term in terms if not term.tokens & GENERIC_CONCEPTS]
        if not topical:
            return None
        covering = [
            heading
            for heading, tokens in self._heading_tokens.items()
            if all(term.tokens & tokens for term in topical)
        ]
        return min(covering, key=self._heading_sizes.__getitem__, default=None)

    def _section_best(self, section: str, scores: list[float]) -> float:
        return max(scores[n] for n, p in enumerate(self._passages) if p.section == section)

    def _first_passage(self, section: str) -> int:
        return next(n for n, p in enumerate(self._passages) if p.section == section and p.kind is not Kind.LINK)

    # -- building the answer text ---------------------------------------------

    def _section_opening(self, first: int) -> str:
        chosen = [first]
        following = self._neighbour(first, +1)
        while following is not None and len(chosen) < MAX_OPENING_PASSAGES:
            if _length([*chosen, following], self._passages) > MAX_ANSWER_CHARS:
                break
            chosen.append(following)
            following = self._neighbour(following, +1)
        return "\n".join(self._passages[n].text for n in chosen)

    def _answer_text(self, best: int, scores: list[float]) -> str:
        passage = self._passages[best]
        if passage.kind is Kind.LINK or self._is_bare_contact(best):
            # A bare form link or address means little alone: show what it belongs to.
            previous = self._neighbour(best, -1)
            chosen = [previous, best] if previous is not None else [best]
        elif passage.kind is Kind.LEAD_IN:
            chosen = self._whole_list(best)
        else:
            chosen = self._with_neighbours(best, scores)
            lead_ins = [n for n in chosen if self._passages[n].kind is Kind.LEAD_IN]
            if lead_ins:
                # A sentence that announces a list is pointless without the list.
                chosen = self._whole_list(lead_ins[0], start=chosen)
        following = self._neighbour(max(chosen), +1)
        if following is not None and self._is_bare_contact(following):
            # "... skicka den via e-post" is only useful with the address that follows.
            chosen.append(following)
        return "\n".join(self._passages[n].text for n in sorted(set(chosen)))

    def _is_bare_contact(self, number: int) -> bool:
        passage = self._passages[number]
        return passage.kind is Kind.CONTACT and "\n" not in passage.text

    def _whole_list(self, number: int, start: Sequence[int] = ()) -> list[int]:
        group = self._passages[number].group
        members = [
            n for n, p in enumerate(self._passages) if p.group == group and p.kind in (Kind.LEAD_IN, Kind.STEP)
        ]
        chosen: list[int] = list(start)
        for member in members:
            if member in chosen:
                continue
            if _length([*chosen, member], self._passages) > MAX_ANSWER_CHARS:
                break
            chosen.append(member)
        return chosen or [number]

    def _with_neighbours(self, best: int, scores: list[float]) -> list[int]:
        chosen = [best]
        candidates = [n for n in (self._neighbour(best, -1), self._neighbour(best, +1)) if n is not None]
        for candidate in sorted(candidates, key=lambda n: -scores[n]):
            if scores[candidate] < NEIGHBOUR_SHARE * scores[best]:
                continue
            if _length([*chosen, candidate], self._passages) <= MAX_ANSWER_CHARS:
                chosen.append(candidate)
        return chosen

    def _neighbour(self, number: int, step: int) -> int | None:
        """The nearest passage before or after, in the same section, skipping links."""
        section = self._passages[number].section
        position = number + step
        while 0 <= position < len(self._passages) and self._passages[position].section == section:
            if self._passages[position].kind is not Kind.LINK:
                return position
            position += step
        return None


def _routine_for(terms: Sequence[Term]) -> str | None:
    tokens = frozenset().union(*(term.tokens for term in terms)) if terms else frozenset()
    for routine, alternatives in ROUTINE_INTENTS:
        if any(required <= tokens for required in alternatives):
            return routine
    return None


def _length(numbers: list[int], passages: list[Passage]) -> int:
    return sum(len(passages[n].text) for n in numbers) + len(numbers) - 1


@lru_cache(maxsize=1)
def _default_knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_file()
