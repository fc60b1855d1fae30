"""From Swedish text to terms: each meaningful word with every form it may match.

A term carries its stem, its exact form and the concept of the staff's synonyms it
belongs to; a phrase ("stänga av") is one term. The same analysis runs on the page
and on the question, so both sides meet in the same tokens. A word neither the page
nor the lexicon knows is first tried as a compound of known parts
("nyckelöverlämning" -> "nyckel" + "överlämning"), then as a typo of a known word;
if both fail it stays unknown — which is what later tells an off-topic question apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.knowledge.fuzzy import TypoCorrector, edit_distance
from bot.knowledge.lexicon import CONCEPTS
from bot.knowledge.normalize import STOPWORDS, stem, words

# Swedish endings of definite form, plural and genitive, tried before a typo correction.
INFLECTION_ENDINGS = ("en", "et", "n", "t", "er", "ar", "or", "na", "erna", "arna", "s")
MIN_INFLECTED_LENGTH = 5
MAX_PHRASE_GAP = 2  # "stänger jag av", "lämnar vi sedan tillbaka"
MIN_COMPOUND_LENGTH = 7
MIN_PART_LENGTH = 3
MIN_HEAD_LENGTH = 5  # a head shorter than this must have a known modifier too
EXACT_PREFIX = "="
# A stem this short stands for too many words ("order" stems to "ord"): such
# lexicon words carry their concept only in the exact form.
MIN_CONCEPT_STEM = 4


@dataclass(frozen=True)
class Term:
    """One meaningful word or phrase of a text and all the tokens it may match."""

    surface: str
    tokens: frozenset[str]


class Analyzer:
    """Analyses text against the vocabulary of the page and the synonym lexicon."""

    def __init__(self, page_words: Iterable[str]):
        page_counts = Counter(word for word in page_words if word not in STOPWORDS)
        self._concept_by_stem: dict[str, str] = {}
        self._concept_by_word: dict[str, str] = {}
        self._phrases_by_first_stem: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        self._lexicon_words: set[str] = set()
        self._load_lexicon()
        self.known_words: frozenset[str] = frozenset(page_counts) | frozenset(self._lexicon_words)
        self._known_stems: frozenset[str] = frozenset(stem(word) for word in self.known_words)
        # Fillers are corrected too ("vraför", "gller"), so a slip in one is not an unknown word.
        self._corrector = TypoCorrector(self.known_words | STOPWORDS, dict(page_counts))

    def _load_lexicon(self) -> None:
        concepts_by_phrase: dict[tuple[str, ...], set[str]] = {}
        for concept, entries in CONCEPTS.items():
            for entry in entries:
                entry_words = words(entry)
                if len(entry_words) == 1:
                    word = entry_words[0]
                    self._lexicon_words.add(word)
                    self._concept_by_word.setdefault(word, concept)
                    if len(stem(word)) >= MIN_CONCEPT_STEM:
                        self._concept_by_stem.setdefault(stem(word), concept)
                else:
                    # A phrase may belong to several concepts ("flyttas med": moving,
                    # and coming along).
                    phrase = tuple(stem(word) for word in entry_words)
                    concepts_by_phrase.setdefault(phrase, set()).add(concept)
                    self._lexicon_words.update(w for w in entry_words if w not in STOPWORDS)
        for phrase, concepts in concepts_by_phrase.items():
            self._phrases_by_first_stem.setdefault(phrase[0], []).append((phrase, frozenset(concepts)))
        for phrases in self._phrases_by_first_stem.values():
            phrases.sort(key=lambda item: -len(item[0]))  # longest phrase wins

    # -- public --------------------------------------------------------------

    def terms(self, text: str) -> list[Term]:
        """The meaningful terms of a text, in order, stopwords dropped."""
        folded_words = [self._resolve_typo(word) for word in words(text)]
        stems = [stem(word) for word in folded_words]
        consumed: set[int] = set()
        terms: list[Term] = []
        for position, word in enumerate(folded_words):
            if position in consumed:
                continue
            phrase_term = self._phrase_at(position, folded_words, stems, consumed)
            if phrase_term is not None:
                terms.append(phrase_term)
            elif word not in STOPWORDS:
                terms.extend(self._word_terms(word, stems[position]))
        return terms

    def corrected(self, text: str) -> str:
        """The text's folded words with typos corrected, for matching question patterns
        ("opptetider" -> "oppettider")."""
        return " ".join(self._resolve_typo(word) for word in words(text))

    # -- words ----------------------------------------------------------------

    def _is_known(self, word: str) -> bool:
        return word in self.known_words or stem(word) in self._known_stems

    def _resolve_typo(self, word: str) -> str:
        """The word itself if it is known or a compound of known parts, else the
        known word it most likely misspells, else the word unchanged."""
        if word in STOPWORDS or word.isdigit() or self._is_known(word):
            return word
        inflected = self._known_inflection(word)
        if inflected is not None:
            return inflected
        for single in _one_letter_undoubled(word):
            # A key held a moment too long ("knaapp", "larmmbeställning"): commonest on a phone.
            if single in self.known_words:
                return single
        corrected = self._corrector.correct(word)
        if corrected is not None and edit_distance(word, corrected) == 1:
            # One slip from a known word beats a guessed compound ("opptetider" is not "oppte|tider").
            return corrected
        if self._compound_parts(word, allow_modifier_only=False):
            return word
        return corrected or word

    def _known_inflection(self, word: str) -> str | None:
        """The page's form of a word the stemmer leaves apart: "insats" is the page's
        "insatsen", "blankett" its "blanketten" -- an ending added or taken off."""
        if len(word) < MIN_INFLECTED_LENGTH:
            return None
        for ending in INFLECTION_ENDINGS:
            if word + ending in self.known_words:
                return word + ending
            if word.endswith(ending) and len(word) - len(ending) >= MIN_INFLECTED_LENGTH and word[: -len(ending)] in self.known_words:
                return word[: -len(ending)]
        return None

    def _word_terms(self, word: str, word_stem: str) -> list[Term]:
        if word.isdigit() or self._is_known(word):
            return [self._term(word, word_stem)]
        parts = self._compound_parts(word)
        if not parts:
            return [self._term(word, word_stem)]
        # Each part of a compound is a term of its own: "sjuk|anmäler" is not
        # answered by a passage about "anmäla" alone, "nyckel|överlämning" is
        # answered best where both are found.
        return [self._term(part, stem(part)) for part in parts]

    def _term(self, word: str, word_stem: str) -> Term:
        # The exact word form is a token too: a small bonus for the question's own
        # wording, never a reason to prefer a passage on its own.
        tokens = {word_stem, EXACT_PREFIX + word}
        concept = self._concept_by_word.get(word) or self._concept_by_stem.get(word_stem)
        if concept:
            tokens.add(concept)
        return Term(word, frozenset(tokens))

    def _compound_parts(self, word: str, allow_modifier_only: bool = True) -> tuple[str, ...]:
        """Split a compound into (modifier, head) when the head — or, failing that,
        the modifier — is a known word. The head carries the meaning in Swedish
        ("trygghetslarmet" is an alarm), so the longest known head wins."""
        if len(word) < MIN_COMPOUND_LENGTH or word.isdigit():
            return ()
        fallback: tuple[str, ...] = ()
        for cut in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
            modifier, head = word[:cut], word[cut:]
            known_modifier = self._is_known_modifier(modifier)
            if head not in STOPWORDS and self._is_known(head):
                if known_modifier:
                    return (_without_linking_s(modifier, self._is_known), head)
                if len(head) >= MIN_HEAD_LENGTH:
                    # An unknown modifier still says what the word is about
                    # ("sjuk|anmäler"), unless it is too short to mean much ("hem").
                    return (modifier, head) if len(modifier) > MIN_PART_LENGTH else (head,)
            if known_modifier and len(head) >= MIN_HEAD_LENGTH and not self._is_known(head):
                # A slip in the head of a compound: "larm|bställning", "installations|ebställningen".
                corrected = self._corrector.correct(head)
                if corrected is not None and corrected not in STOPWORDS and edit_distance(head, corrected) == 1:
                    return (_without_linking_s(modifier, self._is_known), corrected)
            if not fallback and len(head) > MIN_PART_LENGTH and len(modifier) > MIN_PART_LENGTH and known_modifier:
                fallback = (modifier, head)
        return fallback if allow_modifier_only else ()

    def _is_known_modifier(self, modifier: str) -> bool:
        if modifier in STOPWORDS:
            return False
        if self._is_known(modifier):
            return True
        # The linking -s of Swedish compounds: "trygghets|larm".
        return modifier.endswith("s") and len(modifier) > MIN_PART_LENGTH and self._is_known(modifier[:-1])

    # -- phrases --------------------------------------------------------------

    def _phrase_at(
        self, position: int, folded_words: list[str], stems: list[str], consumed: set[int]
    ) -> Term | None:
        for phrase, concepts in self._phrases_by_first_stem.get(stems[position], ()):
            positions = _match_phrase(phrase, stems, position, consumed)
            if positions is None:
                continue
            consumed.update(positions)
            # A phrase means more than its words ("stänga av" is not "stänga"): it
            # matches through its concept only.
            surface = " ".join(folded_words[i] for i in positions)
            return Term(surface, concepts)
        return None


def _match_phrase(
    phrase: tuple[str, ...], stems: list[str], start: int, consumed: set[int]
) -> list[int] | None:
    """Positions of the phrase's words from start, allowing small gaps between them
    and never reusing a word an earlier phrase took."""
    positions = [start]
    cursor = start
    for wanted in phrase[1:]:
        for candidate in range(cursor + 1, min(cursor + 2 + MAX_PHRASE_GAP, len(stems))):
            if stems[candidate] == wanted and candidate not in consumed:
                positions.append(candidate)
                cursor = candidate
                break
        else:
            return None
    return positions


def _without_linking_s(modifier: str, is_known: Callable[[str], bool]) -> str:
    """ "trygghets" -> "trygghet" when only the form without the linking s is known."""
    if modifier.endswith("s") and not is_known(modifier) and is_known(modifier[:-1]):
        return modifier[:-1]
    return modifier


def _one_letter_undoubled(word: str) -> list[str]:
    """`word` with one letter of a doubled letter taken out, at each place it doubles."""
    return [word[:i] + word[i + 1:] for i in range(len(word) - 1) if word[i] == word[i + 1]]
