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

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from bot.knowledge import complete, topics
from bot.knowledge import wording as w
from bot.knowledge.analyzer import Analyzer, Term
from bot.knowledge.answer import NOT_ON_PAGE, SUGGEST, Answer, Block, Suggestion
from bot.knowledge.lexicon import GENERIC_CONCEPTS, ROUTINE_INTENTS
from bot.knowledge.normalize import fold_letters, question_text, words
from bot.knowledge.page import SOURCE_PAGE, Kind, Passage, Section, load_sections
from bot.knowledge.ranking import IndexedPassage, PassageIndex

MAX_ANSWER_CHARS = 420
MAX_OPENING_PASSAGES = 3
GENERIC_WEIGHT = 0.3
# "Larmet är installerat, vad nu?" names the main step, not the preparation sentence that
# happens to say "innan nyckelfri hemtjänst är installerat".
PREPARATION_WEIGHT = 0.5
LATEST_SHARE = 0.6  # steps named this well besides the best: the question lists what is done
EXACT_WORD_BONUS = 2.0  # "larmblanketten" written as the step's page sentence writes it
# Below the usual coverage, a passage is still taken when its section is about the very
# routine the question names ("får larmet ligga i samma påse?" and the return steps).
MIN_COVERAGE_IN_NAMED_ROUTINE = 0.5
# A passage of the named routine's own sections is preferred to a general one
# (the list of kinds of change) when it scores at least this share of it.
OWN_SECTION_SHARE = 0.6
RUNNER_UP_SHARE = 0.8
SHORT_PARAGRAPH = 3  # sentences of a paragraph shown together
SHORT_SECTION = 2  # a section this short is answered whole: its sentences belong together
MAX_SUGGESTIONS = 3
# Routines whose sections answer each other's questions: ending an alarm and returning it.
# Routines whose page text is scattered over sentences rather than one list: a question about
# how to do them is answered from the routine data, every step quoting the page.
PROCEDURE_FROM_ROUTINE = frozenset({"provider_change", "move", "takeover", "termination", "alarm_chain"})
# Routines that branch on the lock: a question that says whether there is one gets the branch.
LOCK_ROUTINES = frozenset({"provider_change", "move", "termination"})
# What places a question among the routines: their things, and the parts of the devices.
ABOUT_THE_ROUTINES = topics.DOMAIN_CONCEPTS | {"#KNAPP", "#STANGAV", "#LADDARE", "#SLADD", "#BAND", "#PASE", "#LOCK"}
# Ways of getting in touch ("samtal", "mejl"): no evidence of what a question is about.
HOW_TO_REACH = frozenset({"#TELEFON", "#EPOST"})
CHANGES = "changes"  # a topic of the page that is no routine of its own
ROUTINE_KEYS = frozenset(key for key, _ in ROUTINE_INTENTS)
# A question about one of these routines that no single passage answers gets the routine whole.
# Not the alarm chain: staff name it by the people in it ("anhöriga"), and its page text is
# one sentence that retrieval finds anyway.
WHOLE_ROUTINE_WHEN_UNSURE = frozenset({"new_order", "provider_change", "move", "takeover", "termination", "return_alarm"})
RELATED_ROUTINES = frozenset({frozenset({"termination", "return_alarm"})})
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


class KnowledgeBase:
    """The page's passages, indexed once, ready to answer in well under a millisecond."""

    def __init__(self, sections: Sequence[Section]):
        self._passages: list[Passage] = [p for section in sections for p in section.passages]
        page_words = [word for p in self._passages for word in words(p.text)]
        page_words += [word for section in sections for word in words(section.heading)]
        self._analyzer = Analyzer(page_words)
        heading_terms = {s.heading: self._analyzer.terms(s.heading) for s in sections}
        self._index = PassageIndex(
            [IndexedPassage(self._analyzer.terms(p.text), heading_terms[p.section]) for p in self._passages]
        )
        self._section_routines = {heading: _routine_for(terms) for heading, terms in heading_terms.items()}
        self._section_routines.update(self._routines_quoted_in_unnamed_sections())
        takeover = complete.routines_by_key()["takeover"].sources
        for passage in self._passages:
            if passage.kind is Kind.LIST and any(source in passage.text for source in takeover):
                self._section_routines[passage.section] = CHANGES  # the list of the kinds of change
        # The page's title names the whole page, not the section under it: a
        # question about "installation" is not answered by the page's introduction.
        page_title = sections[0].heading if sections else None
        self._heading_tokens = {
            heading: frozenset().union(*(t.tokens for t in terms)) if terms else frozenset()
            for heading, terms in heading_terms.items()
            if heading != page_title
        }
        self._heading_sizes = {heading: len(terms) for heading, terms in heading_terms.items()}
        self._page_title = page_title
        self._routines_with_section = frozenset(r for r in self._section_routines.values() if r)
        self._find_landmarks()
        self._step_terms = [
            (routine, step, frozenset().union(*(t.tokens for t in self._analyzer.terms(f"{step.source} {step.title}"))),
             frozenset(words(step.source)))
            for routine in complete.routines_by_key().values()
            for step in routine.steps
        ]

    def _routines_quoted_in_unnamed_sections(self) -> dict[str, str]:
        """A section whose heading names no routine belongs to the one routine whose steps
        quote it ("Informera kunden och säkerställ tillgång till bostad": a new order)."""
        found = {}
        for section in {p.section for p in self._passages if self._section_routines.get(p.section) is None}:
            text = " ".join(" ".join(p.text.split()) for p in self._passages if p.section == section)
            quoting = {routine.key for routine in complete.routines_by_key().values()
                       for step in routine.steps if " ".join(step.source.split()) in text}
            if len(quoting) == 1:
                found[section] = quoting.pop()
        return found

    def _find_landmarks(self) -> None:
        """The passages some answers are built around: the return instructions' two device
        lists (in page order, named as the routine data names the devices), the reminder
        about the keys, and the sentence that closes the list of a new order."""
        passages = self._passages
        device_labels = [choice.label for choice in complete.routines_by_key()["return_alarm"].fact("device").choices]
        self._return_section = next((p.section for p in passages if p.section.startswith("Återlämning")), "")
        in_return = [n for n, p in enumerate(passages) if p.section == self._return_section]
        groups = sorted({passages[n].group for n in in_return if passages[n].kind is Kind.STEP})
        self._return_variants = []
        for label, group in zip(device_labels, groups):
            steps = sorted(self._group_list(group))
            after = [n for n in in_return if n > steps[-1]]
            link = next((n for n in after if passages[n].kind is Kind.LINK), None)
            contact = next((n for n in after if passages[n].kind is Kind.CONTACT), None)
            self._return_variants.append((label, steps + [n for n in (link, contact) if n is not None]))
        opening = [n for n in in_return if passages[n].kind is Kind.SENTENCE][:1]
        self._return_steps_and_opening = {n for n in in_return if passages[n].kind is Kind.STEP} | set(opening)
        self._keys_reminder = next(n for n in in_return if passages[n].text.startswith("Kom ihåg"))
        self._running_sentence = next(n for n, p in enumerate(passages) if "dessa steg" in p.text)

    @classmethod
    def from_file(cls, path: Path = SOURCE_PAGE) -> KnowledgeBase:
        return cls(load_sections(path))

    @classmethod
    def default(cls) -> KnowledgeBase:
        """The knowledge base of the bundled source page, built once per process."""
        return _default_knowledge_base()

    # -- questions --------------------------------------------------------------

    def answer(self, question: str) -> Answer | None:
        """The page's answer to a question about the routines; "the page does not say" for
        what the page leaves out; nearest sections to choose from when no passage answers
        confidently; None for a question that is not about the routines at all. A message
        with two questions ("vem hämtar larmet och hur meddelar vi IS?") gets both answers."""
        parts = _questions_in(question_text(question))
        whole = self._answer_one(question)
        if len(parts) < 2 or whole is None or not whole.answered:
            return whole
        # The later question leans on the first for its subject ("... och hur meddelar vi IS?").
        answers = [self._answer_one(parts[0])] + [self._answer_one(f"{part} {parts[0]}") for part in parts[1:]]
        if not all(a is not None and a.answered for a in answers):
            return whole
        return self._joined([whole] + answers)

    def _joined(self, answers: Sequence[Answer]) -> Answer:
        """Several answers as one: each block once, in order, every contact once."""
        blocks: list[Block] = []
        seen: set[str] = set()
        for answer in answers:
            for block in answer.blocks:
                lines = tuple(line for line in block.lines if line not in seen)
                if lines:
                    blocks.append(Block(lines, block.title))
                    seen.update(lines)
        first = answers[0]
        return self._quoted(blocks, first.section, first.routine, first.score,
                            [c for a in answers for c in a.contacts])

    def _answer_one(self, question: str) -> Answer | None:
        text = question_text(question)
        terms = self._analyzer.terms(text)
        if not terms:
            return None
        terms = _declining_what(terms)
        # Question patterns are matched on the words as typed and as corrected (one per line).
        folded = fold_letters(text) + "\n" + self._analyzer.corrected(text)
        if self._keys_to_elsewhere(fold_letters(text)):
            return None
        tokens = frozenset().union(*(term.tokens for term in terms))
        gap = topics.gap_asked(folded, tokens, all_known=not any(self._is_unknown(t) for t in terms))
        if gap is not None:
            return self._not_on_page(gap)
        intent = _routine_for(terms)
        if intent is None and "#ANDRING" in tokens:
            intent = CHANGES  # changes in general: the section that lists them
        if (not tokens & ABOUT_THE_ROUTINES and any(self._is_unknown(t) for t in terms)
                and self._named_by_one_word(terms, intent)):
            # Nothing of the routines named, and a word the page never uses ("byta pass med en
            # kollega", "avsluta min anställning"): a passage that shares a verb would be about
            # another topic. A routine's verb gets its sections to choose from, no passage.
            if intent is None:
                return None
            return self._unsure(tokens, intent, self._index.scores(terms), force_suggestions=True)
        scores = self._index.scores(terms)
        gives_lock = bool(tokens & {"#LAS", "#UTANLAS"}) and intent in LOCK_ROUTINES
        if gives_lock:
            # "Avslut med lås, vem hämtar och när får vi lämna nycklarna": that branch, whole.
            return self._procedure_answer(intent, tokens, scores)
        if _asks_keys_back(folded, tokens, intent):
            return self._keys_answer(folded, tokens, intent, scores)
        if topics.NEXT_STEP.search(folded):
            # "Larmet är uppsatt, behöver vi göra nåt mer i systemet?": the step done is named
            # before the question, and the question's own words may name another step.
            done_terms = self._analyzer.terms(_done_clause(text)) or terms
            following = self._next_step_answer(done_terms, intent)
            if following is not None:
                return following
        if topics.WHO_DOES.search(folded):
            doer = self._who_does_answer(terms, intent, scores)
            if doer is not None:
                return doer
        if _asks_before_installation(folded, tokens, intent):
            return self._preparation_answer(scores)
        if "#SISTA" in tokens and intent in ROUTINE_KEYS:
            return self._last_step_answer(intent, scores)
        if intent in PROCEDURE_FROM_ROUTINE and (topics.PROCEDURE.search(folded) or intent not in self._routines_with_section):
            return self._procedure_answer(intent, tokens, scores)
        best = max(range(len(scores)), key=scores.__getitem__)
        own = self._best_in_routine(intent, scores, terms) if intent else None
        if own is not None and self._section_routines.get(self._passages[best].section) is None:
            if scores[own] >= OWN_SECTION_SHARE * scores[best] and self._is_answered_by(terms, own):
                best = own
        named_section = self._section_named_by(terms)
        if named_section is not None and not self._agrees(intent, named_section):
            named_section = None  # "ändringar" names the alarm chain's heading too
        if named_section is not None and not self._is_answered_by(terms, best):
            # "Återlämning av trygghetslarm": a heading's own words, common as they are.
            best = self._first_passage(named_section)
        elif scores[best] < MIN_SCORE or not self._is_answered_by(terms, best):
            if (own is None or scores[own] < MIN_SCORE or self._has_unknown_word(terms)
                    or not self._is_answered_by(terms, own, MIN_COVERAGE_IN_NAMED_ROUTINE)):
                return self._unsure(tokens, intent, scores, terms, folded)
            best = own
        if not self._agrees(intent, self._passages[best].section):
            # A passage about another routine misleads: look only where the question points.
            best = self._best_in_routine(intent, scores, terms)
            if best is None or scores[best] < MIN_SCORE or not self._is_answered_by(terms, best):
                return self._unsure(tokens, intent, scores, terms, folded)
        if named_section is not None and self._section_best(named_section, scores) >= SECTION_SHARE * scores[best]:
            # "Hur återlämnar jag ett trygghetslarm?" names a whole section: its
            # opening answers better than any single sentence inside it.
            chosen, section = self._section_opening(self._first_passage(named_section)), named_section
        else:
            chosen, section = self._answer_passages(best, scores), self._passages[best].section
            # A second passage of the same section nearly as good answers too: show both.
            chosen += [n for n, p in enumerate(self._passages) if p.section == section and n not in chosen
                       and p.kind is Kind.SENTENCE and scores[n] >= RUNNER_UP_SHARE * scores[best]]
        if intent == CHANGES and self._section_routines.get(section) == CHANGES:
            chosen = self._whole_section(section)  # the kinds of change and the rule for all of them
        blocks = self._complete(chosen, folded, intent)
        routine = intent or self._section_routines.get(section)
        return self._quoted(blocks, section, routine, scores[best])

    # -- complete answers ---------------------------------------------------------

    def _quoted(self, blocks: Sequence[Block], section: str, routine: str | None, score: float,
                extra_contacts: Sequence = ()) -> Answer:
        blocks = list(blocks)
        text = "\n".join(line for block in blocks for line in block.lines)
        names_form = "blankett" in fold_letters(text)
        if names_form and "(pdf)" not in text:
            # "via blanketten nedan", "genom larmblanketten": which form, by its page name.
            blocks.append(Block((self._passages[self._form_link(section)].text,)))
            text += "\n" + blocks[-1].lines[0]
        routine = routine if routine in ROUTINE_KEYS else None
        notes, contact_text = complete.channels_only_on_page(text)
        contacts = complete.contacts_for(contact_text, section)
        if names_form:
            contacts += complete.form_recipient(contacts, section)
        known = {c.value for c in contacts}
        for contact in extra_contacts:
            if contact.value not in known:
                contacts += (contact,)
                known.add(contact.value)
        return Answer(text, section, routine, round(score, 3), blocks=tuple(blocks), contacts=contacts, notes=notes)

    def _complete(self, chosen: Sequence[int], folded_question: str, intent: str | None) -> list[Block]:
        """The chosen passages with what they need to stand alone: the whole list a step
        belongs to, the sentence that closes it, the section's contact and form lines,
        and for the return instructions each device's whole list."""
        numbers = set(chosen)
        for number in list(numbers):
            passage = self._passages[number]
            if passage.kind in (Kind.STEP, Kind.LEAD_IN):
                numbers |= self._group_list(passage.group)
        for number in list(numbers):
            if "dessa steg" in self._passages[number].text:
                # "Efter dessa steg är insatsen igång" means nothing without the steps.
                previous = self._neighbour(number, -1)
                if previous is not None:
                    numbers |= self._group_list(self._passages[previous].group)
        for number in sorted(numbers):
            following = self._neighbour(number, +1)
            if following is not None and "dessa steg" in self._passages[following].text:
                numbers.add(following)
        for number in list(numbers):
            paragraph = self._paragraph(number)
            if len(paragraph) <= SHORT_PARAGRAPH:
                # A sentence of a short paragraph leans on the others ("innan kontakt ...").
                numbers |= paragraph
        section = self._passages[min(numbers)].section
        if self._is_short_section(section):
            numbers |= {n for n, p in enumerate(self._passages) if p.section == section}
        about_return = intent in ("return_alarm", "termination")
        if section == self._return_section and about_return and numbers & self._return_steps_and_opening:
            return self._return_blocks(folded_question)
        text = fold_letters(" ".join(self._passages[n].text for n in numbers))
        if "e-post" in text or "epost" in text:
            numbers |= self._section_contacts(section, numbers)
        if "blankett" in text and not any(self._passages[n].kind is Kind.LINK for n in numbers):
            numbers.add(self._form_link(section))
        return [Block(tuple(line for n in sorted(numbers) for line in self._passages[n].text.splitlines()))]

    def _paragraph(self, number: int) -> set[int]:
        passage = self._passages[number]
        if passage.kind is not Kind.SENTENCE:
            return {number}
        return {n for n, p in enumerate(self._passages) if p.group == passage.group and p.kind is Kind.SENTENCE}

    def _group_list(self, group: int) -> set[int]:
        return {n for n, p in enumerate(self._passages) if p.group == group and p.kind in (Kind.LEAD_IN, Kind.STEP)}

    def _whole_section(self, section: str) -> list[int]:
        return [n for n, p in enumerate(self._passages) if p.section == section and p.kind is not Kind.LINK]

    def _is_short_section(self, section: str) -> bool:
        sentences = [p for p in self._passages if p.section == section and p.kind is not Kind.LINK]
        return len(sentences) <= SHORT_SECTION

    def _section_contacts(self, section: str, numbers: set[int]) -> set[int]:
        contacts = [n for n, p in enumerate(self._passages) if p.section == section and p.kind is Kind.CONTACT]
        if not contacts or numbers & set(contacts):
            return set()
        return {min(contacts, key=lambda n: min(abs(n - m) for m in numbers))}

    def _form_link(self, section: str) -> int:
        links = [n for n, p in enumerate(self._passages) if p.kind is Kind.LINK]
        return next((n for n in links if self._passages[n].section == section), links[0])

    def _return_blocks(self, folded_question: str) -> list[Block]:
        """Both devices' instructions, each whole with its address, unless the question
        picks one; then the reminder about the keys."""
        grey = bool(topics.GREY_BUTTON_DEVICE.search(folded_question))
        lid = bool(topics.BACK_LID_DEVICE.search(folded_question))
        blocks = []
        for (label, numbers), wanted in zip(self._return_variants, (grey or not lid, lid or not grey)):
            if wanted:
                lines = [line for n in numbers for line in self._passages[n].text.splitlines()]
                blocks.append(Block(tuple(lines), label))
        blocks.append(Block((self._passages[self._keys_reminder].text,)))
        return blocks

    # -- answers from the routine data ---------------------------------------------

    def _next_step_answer(self, terms: Sequence[Term], intent: str | None) -> Answer | None:
        """"Vi har accepterat i Paraply, vad är nästa steg?": the step that waits for the one
        the question says is done, quoted as the routine data quotes the page."""
        found = self._step_named_by(terms, intent, latest=True)
        if found is None:
            return None
        routine, done = found
        blocks = complete.next_step_blocks(routine, done)
        if blocks:
            blocks = (Block((done.source,), w.STEP_BEFORE),) + blocks
        if not blocks:
            if routine.key != "new_order":
                return None
            blocks = (Block((self._passages[self._running_sentence].text,), w.ROUTINE_DONE),)
        following = complete.next_steps(routine, done)
        extra = [complete.email_contact(c.address, routine.title) if c.kind == "email" else complete.phone_contact(c.address)
                 for step in following for c in step.contacts]
        section = self._section_of(blocks[0].lines[0]) or routine.title
        return self._quoted(blocks, section, routine.key, 0.0, extra)

    def _who_does_answer(self, terms: Sequence[Term], intent: str | None, scores: list[float]) -> Answer | None:
        """"Vem skickar larmblanketten?": the step the question names, as the page words it --
        the page's sentence says who does it."""
        found = self._step_named_by(terms, intent if intent in ROUTINE_KEYS else None)
        if found is None:
            return None
        routine, step = found
        position = self._page_position(step.source)
        if position >= len(scores) or scores[position] < NEIGHBOUR_SHARE * max(scores):
            return None  # another sentence answers better ("Stockholms trygghetsjour hanterar ...")
        extra = [complete.email_contact(c.address, routine.title) if c.kind == "email" else complete.phone_contact(c.address)
                 for c in step.contacts]
        section = self._section_of(step.source) or routine.title
        return self._quoted([Block((step.source,))], section, routine.key, max(scores), extra)

    def _preparation_answer(self, scores: list[float]) -> Answer:
        """"Vad ska vi göra innan installationen?": the section the new order's preparation
        steps quote, whole, in the page's order (inform, secure access, keys or the cost)."""
        routine = complete.routines_by_key()["new_order"]
        preparation = [step.source for step in routine.steps if step.phase == "preparation"]
        section = self._section_of(preparation[0]) or routine.title
        lines = tuple(p.text for p in self._passages if p.section == section and p.kind is not Kind.LINK)
        return self._quoted([Block(lines)], section, routine.key, max(scores))

    def _last_step_answer(self, intent: str, scores: list[float]) -> Answer:
        """"Sista steget vid återlämning?": the step(s) the routine ends with, as the page
        words them, each branch with its condition."""
        routine = complete.routines_by_key()[intent]
        steps = complete.last_steps(routine)
        blocks = []
        for step in steps:
            condition = complete.condition_text(step)
            blocks.append(Block((step.source,), f"{w.LAST_STEP} {condition}" if condition and len(steps) > 1 else w.LAST_STEP))
        blocks = complete.merge_same_source(blocks)
        extra = [complete.email_contact(c.address, routine.title) if c.kind == "email" else complete.phone_contact(c.address)
                 for step in steps for c in step.contacts]
        section = self._section_of(steps[-1].source) or routine.title
        return self._quoted(blocks, section, intent, max(scores), extra)

    def _routine_answer(self, intent: str, tokens: frozenset[str], scores: list[float], folded: str) -> Answer:
        """The whole routine: the page's own list where it has one, else the routine data."""
        if intent == "return_alarm":
            blocks = self._return_blocks(folded)
            return self._quoted(blocks, self._return_section, intent, max(scores))
        if intent == "new_order":
            numbers = sorted(self._group_list(self._passages[self._running_sentence - 1].group) | {self._running_sentence})
            block = Block(tuple(self._passages[n].text for n in numbers))
            return self._quoted([block], self._passages[self._running_sentence].section, intent, max(scores))
        return self._procedure_answer(intent, tokens, scores)

    def _procedure_answer(self, intent: str, tokens: frozenset[str], scores: list[float]) -> Answer:
        """"Vi har fått ett övertagande, vad ska vi göra?": every step of the routine that may
        apply, each quoted from the page, with the condition it depends on."""
        routine = complete.routines_by_key()[intent]
        facts = {}
        if "#UTANLAS" in tokens:
            facts["lock"] = False
        elif "#LAS" in tokens:
            facts["lock"] = True
        blocks = complete.procedure_blocks(routine, facts, self._page_position)
        if intent not in self._routines_with_section:
            # A routine without a section of its own is named in the page's list of changes.
            naming = [p.text for p in self._passages if p.kind is Kind.LIST and any(s in p.text for s in routine.sources)]
            blocks = tuple(Block(tuple(text.splitlines())) for text in naming[:1]) + blocks
        extra = [complete.email_contact(c.address, routine.title) if c.kind == "email" else complete.phone_contact(c.address)
                 for step in routine.steps for c in step.contacts if complete.may_apply(step.when, facts)]
        section = self._section_of(blocks[0].lines[0]) or routine.title
        own = self._best_in_routine(intent, scores)
        if own is not None:
            section = self._passages[own].section
        return self._quoted(blocks, section, intent, max(scores), extra)

    def _step_named_by(self, terms: Sequence[Term], intent: str | None, latest: bool = False):
        """The routine step the terms name best. With `latest`, of steps of that routine named
        nearly as well, the one done last ("vi har accepterat och skickat blanketten")."""
        weighed = []
        for routine, step, step_tokens, step_words in self._step_terms:
            if intent is not None and routine.key != intent:
                continue
            matched = [term for term in terms if term.tokens & step_tokens]
            if not any(self._is_specific(term) or _names_a_thing(term) for term in matched):
                continue
            # Common words ("återkopplat", "kunden") only break ties between specific matches.
            weight = sum(self._index.term_weight(t) * (1.0 if self._is_specific(t) else GENERIC_WEIGHT) for t in matched)
            weight += EXACT_WORD_BONUS * sum(self._index.term_weight(t) for t in matched if fold_letters(t.surface) in step_words)
            if step.phase != "main":
                weight *= PREPARATION_WEIGHT
            weighed.append((weight, routine, step))
        if not weighed:
            return None
        best_weight, routine, step = max(weighed, key=lambda item: item[0])
        if latest:
            order = [s.id for s in routine.steps]
            near = [s for w_, r, s in weighed if r.key == routine.key and w_ >= LATEST_SHARE * best_weight]
            step = max(near, key=lambda s: order.index(s.id))
        return routine, step

    def _keys_answer(self, folded: str, tokens: frozenset[str], intent: str | None, scores: list[float]) -> Answer:
        """When the customer's keys go back: after installation the provider decides; at the
        end, not before the alarm is returned. Both unless the question says which."""
        after_installation, at_end = complete.keys_rule_sources()
        about_installation = intent == "new_order" or "#INSTALL" in tokens
        about_end = intent in ("termination", "return_alarm") or "#AVSLUT" in tokens
        if about_end or not about_installation:
            blocks = [Block((at_end,), None if about_end else w.KEYS_AT_END)]
            if not about_end:
                blocks.append(Block((after_installation,), w.KEYS_AFTER_INSTALLATION))
        else:
            blocks = [Block((after_installation,))]
        section = self._section_of(blocks[0].lines[0]) or ""
        return self._quoted(blocks, section, intent or self._section_routines.get(section), max(scores))

    def _page_position(self, sentence: str) -> int:
        flat = " ".join(sentence.split())
        return next((p.index for p in self._passages if flat in " ".join(p.text.split())), len(self._passages))

    def _section_of(self, sentence: str) -> str | None:
        flat = " ".join(sentence.split())
        return next((p.section for p in self._passages if flat in " ".join(p.text.split())), None)

    # -- when the page does not answer ---------------------------------------------

    def _not_on_page(self, gap: topics.Gap) -> Answer:
        text = (w.NOT_ON_PAGE_ASK_TRYGGHETSJOUR if gap.ask == "trygghetsjour" else w.NOT_ON_PAGE).format(says=gap.says)
        return Answer(text, "", None, 0.0, kind=NOT_ON_PAGE, blocks=(Block((text,)),),
                      contacts=complete.whom_to_ask(gap.topic, gap.ask))

    def _unsure(self, tokens: frozenset[str], intent: str | None, scores: list[float],
                terms: Sequence[Term] = (), folded: str = "", force_suggestions: bool = False) -> Answer | None:
        """No passage answers confidently. A question that names a routine in words the page
        knows gets that routine whole; another about the routines gets the nearest sections
        to pick from ("Menade du") and whom to ask; anything else no answer at all."""
        if intent in WHOLE_ROUTINE_WHEN_UNSURE and terms and not self._has_unknown_word(terms):
            return self._routine_answer(intent, tokens, scores, folded)
        if intent == CHANGES and terms and not self._has_unknown_word(terms):
            section = next(s for s, r in self._section_routines.items() if r == CHANGES)
            return self._quoted(self._complete(self._whole_section(section), folded, intent), section, None, max(scores))
        if not tokens & topics.DOMAIN_CONCEPTS and not force_suggestions:
            return None
        best_by_section: dict[str, float] = {}
        for number, score in enumerate(scores):
            section = self._passages[number].section
            if score > 0 and section != self._page_title:
                best_by_section[section] = max(score, best_by_section.get(section, 0.0))
        # The sections of the routine the question names come first, then by score.
        nearest = sorted(best_by_section, key=lambda s: (self._section_routines.get(s) != intent, -best_by_section[s]))
        nearest = nearest[:MAX_SUGGESTIONS]
        if intent is not None and not nearest:
            nearest = [s for s, r in self._section_routines.items() if r == intent][:MAX_SUGGESTIONS]
        suggestions = tuple(Suggestion(section, w.SUGGESTION_QUESTION.format(section=section)) for section in nearest)
        return Answer(w.NOT_SURE, "", intent if intent in ROUTINE_KEYS else None, 0.0, kind=SUGGEST, blocks=(Block((w.NOT_SURE,)),),
                      contacts=complete.whom_to_ask("trygghetslarm"), suggestions=suggestions)

    # -- topic check -----------------------------------------------------------------

    def _agrees(self, intent: str | None, section: str) -> bool:
        """Does a passage of this section fit a question about this routine?"""
        section_routine = self._section_routines.get(section)
        if intent is None or section_routine is None or section_routine == intent:
            return True
        return frozenset({intent, section_routine}) in RELATED_ROUTINES

    def _best_in_routine(self, intent: str | None, scores: list[float], terms: Sequence[Term] = ()) -> int | None:
        """The best passage of the sections about this routine; with `terms`, the best one
        that answers them, if any does."""
        candidates = sorted((n for n, p in enumerate(self._passages) if self._section_routines.get(p.section) == intent),
                            key=lambda n: -scores[n])
        if terms:
            answering = [n for n in candidates if scores[n] >= MIN_SCORE and self._is_answered_by(terms, n)]
            if answering:
                return answering[0]
        return candidates[0] if candidates else None

    def suggest_routine(self, text: str) -> str | None:
        """The routine a message is about doing ("kunden ska flytta" -> "move"), if any."""
        return _routine_for(self._analyzer.terms(question_text(text)))

    # -- deciding whether a passage answers ----------------------------------

    def _is_answered_by(self, terms: Sequence[Term], number: int, min_coverage: float = MIN_COVERAGE) -> bool:
        weights = [self._index.term_weight(term) for term in terms]
        matched = [self._index.contains(number, term) for term in terms]
        coverage = sum(w for w, hit in zip(weights, matched) if hit) / sum(weights)
        specific = sum(1 for term, hit in zip(terms, matched) if hit and self._is_specific(term))
        if specific >= 2:
            return coverage >= MIN_COVERAGE_WITH_TWO_SPECIFIC
        return specific == 1 and coverage >= min_coverage

    def _named_by_one_word(self, terms: Sequence[Term], intent: str | None) -> bool:
        """No routine named, or a routine named by one word of the question and nothing else
        of the page's (a verb such as "avslutar" that other topics share: "avsluta min
        anställning"); "kunden flyttar ihop med sin fru" names the customer too."""
        if intent is None:
            return True
        evidence = [t for t in terms if not self._is_unknown(t) and not t.tokens & HOW_TO_REACH
                    and (self._is_specific(t) or t.tokens & {"#KUND"}
                         or any(x.startswith("#") for x in t.tokens - GENERIC_CONCEPTS))]
        return len(evidence) <= 1

    def _keys_to_elsewhere(self, folded: str) -> bool:
        """"Nycklarna till personalrummet": keys to a place the page never speaks of are not the
        customer's keys, whatever the page says about those."""
        match = topics.KEYS_TO.search(folded)
        if match is None:
            return False
        place = self._analyzer.terms(match.group(1))
        return bool(place) and all(self._is_unknown(term) for term in place)

    def _is_unknown(self, term: Term) -> bool:
        """Neither on the page nor a word of the staff's lexicon ("sista steget")."""
        return not any(self._index.document_frequency.get(t, 0) or t.startswith("#") for t in term.tokens)

    def _has_unknown_word(self, terms: Sequence[Term]) -> bool:
        """A word the page never uses ("semester"): the question may be about something else."""
        return any(not any(self._index.document_frequency.get(t, 0) for t in term.tokens) for term in terms)

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

    def _section_opening(self, first: int) -> list[int]:
        chosen = [first]
        following = self._neighbour(first, +1)
        while following is not None and len(chosen) < MAX_OPENING_PASSAGES:
            if _length([*chosen, following], self._passages) > MAX_ANSWER_CHARS:
                break
            chosen.append(following)
            following = self._neighbour(following, +1)
        return chosen

    def _answer_passages(self, best: int, scores: list[float]) -> list[int]:
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
        return sorted(set(chosen))

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


def _asks_keys_back(folded: str, tokens: frozenset[str], intent: str | None) -> bool:
    """"Får vi lämna tillbaka nycklarna?" -- but not handing keys over at a provider
    change, nor the customer handing them out."""
    return (
        "#NYCKEL" in tokens
        and intent != "provider_change"
        and "#AVSTA" not in tokens  # the customer not handing the keys out
        and bool(topics.KEYS_BACK.search(folded))
        and not topics.KEYS_NOT_BACK.search(folded)
    )


_QUESTION_PART = re.compile(r"[,.;:?!]|\b(vad|va|hur|vem|nar|behover|maste|ska) (gor|ska|behover|maste|hander|kommer|nu|e|ar|vantar|vi|jag|man|ni)\b",
                            re.IGNORECASE)


_SECOND_QUESTION = re.compile(
    r"\?\s+(?=\w)|[,;]?\s+och (?=(vem|nar|när|hur|var|vart|vad|vilken|vilka|ska|maste|måste|far|får)\b)|:\s+", re.IGNORECASE)


def _questions_in(text: str) -> list[str]:
    """The questions of a message: "vem installerar larmet och när aktiverar vi?" is two."""
    return [part.strip(" ?,.") for part in _SECOND_QUESTION.split(text) if part and part.strip(" ?,.")
            and not re.fullmatch(r"vem|nar|när|hur|var|vart|vad|vilken|vilka|ska|maste|måste|far|får", part.strip(), re.IGNORECASE)]


def _done_clause(text: str) -> str:
    """The part of a message that says what is done, before its question."""
    folded = fold_letters(text)
    match = _QUESTION_PART.search(folded)
    return folded[: match.start()] if match and match.start() > 0 else folded


def _names_a_thing(term: Term) -> bool:
    """A word of the staff's lexicon for a thing of the routines ("uppsatt": installed), common
    on the page as the thing may be."""
    return any(token.startswith("#") for token in term.tokens - GENERIC_CONCEPTS)


def _declining_what(terms: list[Term]) -> list[Term]:
    """"Tacka nej" is declining an order or the customer declining keys and keyless care:
    with an order and neither keys nor lock named, it is the order."""
    tokens = frozenset().union(*(term.tokens for term in terms)) if terms else frozenset()
    if tokens & {"#NEKA", "#AVSTA"} and "#BESTALL" in tokens and not tokens & {"#NYCKEL", "#LAS"}:
        return [Term(term.surface, term.tokens - {"#AVSTA"} | {"#NEKA"}) if "#AVSTA" in term.tokens else term
                for term in terms]
    return terms


# What is done before the installation, and the things it is done before.
_BEFORE_INSTALLATION = frozenset({"#INSTALL", "#INSTSERV", "#BLANKETT"})
_OTHER_ROUTINES_THINGS = frozenset({"#AVSLUT", "#DEMONT", "#FLYTT", "#UTFORARBYTE", "#OVERTAG", "#ATERLAMNA", "#LARMKEDJA"})


_BEFORE = re.compile(r"\b(innan|infor|fore)\b")
# Steps of the main flow: "ska vi aktivera innan eller efter installationen" is about their order.
_MAIN_FLOW = frozenset({"#AKTIVERA", "#ACCEPT", "#NEKA"})


def _asks_before_installation(folded: str, tokens: frozenset[str], intent: str | None) -> bool:
    """"Vad ska vi göra innan installationen / innan vi skickar blanketten?"."""
    return (bool(_BEFORE.search(folded)) and bool(tokens & _BEFORE_INSTALLATION) and intent in (None, "new_order")
            and not tokens & (_OTHER_ROUTINES_THINGS | _MAIN_FLOW))


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
