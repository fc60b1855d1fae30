"""Normalisation, synonyms, compounds and typos: the pieces of Swedish-aware matching."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.analyzer import Analyzer
from bot.knowledge.fuzzy import TypoCorrector, edit_distance
from bot.knowledge.normalize import MAX_QUESTION_CHARS, fold_letters, question_text, stem, words
from bot.knowledge.page import SOURCE_PAGE


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(words(SOURCE_PAGE.read_text(encoding="utf-8")))


def concepts(analyzer: Analyzer, text: str) -> set[str]:
    return {token for term in analyzer.terms(text) for token in term.tokens if token.startswith("#")}


def shares_meaning(analyzer: Analyzer, first: str, second: str) -> bool:
    """True if every term of the first text has a token in common with the second."""
    second_tokens = {token for term in analyzer.terms(second) for token in term.tokens if not token.startswith("=")}
    return all(term.tokens & second_tokens for term in analyzer.terms(first))


# -- normalisation ----------------------------------------------------------------


def test_fold_removes_swedish_letters_and_case():
    assert fold_letters("Återlämna LÅSET, Öppettider") == "aterlamna laset, oppettider"


def test_words_join_hyphenated_words_and_end_shared_compounds():
    assert words("E-post: hals- eller armbandet") == ["epost", "hals", "eller", "armbandet"]


def test_stem_meets_inflected_forms():
    assert stem("nycklarna") == stem("nycklar")
    assert stem("larmet") == stem("larm")
    assert stem("flyttar") == stem("flytta")


@pytest.mark.parametrize(
    ("ascii_only", "swedish"),
    [("aterlamna", "återlämna"), ("las", "lås"), ("nycklarna", "nycklarna"), ("oppettider", "öppettider")],
)
def test_ascii_only_swedish_matches_the_real_spelling(analyzer: Analyzer, ascii_only: str, swedish: str):
    assert shares_meaning(analyzer, ascii_only, swedish)


def test_stopwords_are_dropped(analyzer: Analyzer):
    assert [term.surface for term in analyzer.terms("hur gör jag när vi ska")] == []


# -- synonyms --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("staff_word", "page_word"),
    [
        ("larm", "trygghetslarmet"),
        ("lås", "låstillbehör"),
        ("nyckelfritt", "låstillbehör"),
        ("nycklar", "hemnycklar"),
        ("prio", "prioriterad"),
        ("mejl", "e-post"),
        ("mail", "e-post"),
        ("ringa", "telefon"),
        ("returnera", "återlämna"),
        ("lämna tillbaka", "återlämna"),
        ("byta utförare", "utförarbyte"),
        ("larmcentralen", "trygghetsjour"),
        ("brukaren", "den enskilde"),
    ],
)
def test_staff_words_meet_the_page_words(analyzer: Analyzer, staff_word: str, page_word: str):
    assert shares_meaning(analyzer, staff_word, page_word)


def test_particle_verb_split_by_the_subject_is_one_phrase(analyzer: Analyzer):
    assert "#STANGAV" in concepts(analyzer, "hur stänger jag av larmet")
    assert "#ATERLAMNA" in concepts(analyzer, "när lämnar vi tillbaka nycklarna")


def test_phrase_is_not_its_parts(analyzer: Analyzer):
    # "stänga av" (switch off) is not "stänger" (closing time).
    assert "#OPPETTID" not in concepts(analyzer, "stäng av larmet")
    assert "#OPPETTID" in concepts(analyzer, "när stänger installation och service")


def test_declining_is_not_accepting(analyzer: Analyzer):
    assert "#NEKA" in concepts(analyzer, "vi accepterar inte beställningen")
    assert "#NEKA" in concepts(analyzer, "vi kan inte acceptera beställningen")
    assert "#NEKA" not in concepts(analyzer, "vi accepterar beställningen")


# -- compounds -------------------------------------------------------------------


def test_unknown_compound_is_split_into_known_parts(analyzer: Analyzer):
    surfaces = [term.surface for term in analyzer.terms("nyckelöverlämning")]
    assert surfaces == ["nyckel", "overlamning"]


def test_compound_with_unknown_modifier_keeps_the_modifier_as_evidence(analyzer: Analyzer):
    # "sjukanmäler" is about sick leave, not about "anmäla" changes.
    surfaces = [term.surface for term in analyzer.terms("sjukanmäler")]
    assert surfaces == ["sjuk", "anmaler"]


def test_known_words_are_not_split_into_nonsense(analyzer: Analyzer):
    # "ändringar" must not become "änd" + "ringar" (and so a phone call).
    assert "#TELEFON" not in concepts(analyzer, "ändringar")


def test_compound_of_a_known_head_matches(analyzer: Analyzer):
    assert "#LAS" in concepts(analyzer, "dörrlåset")
    assert "#LARM" in concepts(analyzer, "trygghetslarmdosan")


# -- typos -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("nyklarna", "nycklarna"),
        ("priorterad", "prioriterad"),
        ("beställnig", "beställning"),
        ("trygghetslarmt", "trygghetslarmet"),
        ("instalationen", "installationen"),
        ("tilbaka", "tillbaka"),
        ("utförarbyet", "utförarbyte"),
    ],
)
def test_typos_are_corrected_to_the_known_word(analyzer: Analyzer, typo: str, meant: str):
    assert shares_meaning(analyzer, typo, meant)


def test_short_unknown_words_are_not_guessed(analyzer: Analyzer):
    # "kvar" is one letter from "klar" but means something else.
    assert [term.surface for term in analyzer.terms("medicin")] == ["medicin"]
    corrector = TypoCorrector(["klar", "sladden"])
    assert corrector.correct("kvar") is None


def test_corrector_prefers_the_closest_word():
    corrector = TypoCorrector(["sladden", "laddaren", "laddare"])
    assert corrector.correct("laddarn") in {"laddaren", "laddare"}
    assert corrector.correct("sladdenn") == "sladden"
    assert corrector.correct("helt annat ord") is None


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [("nycklar", "nycklar", 0), ("nycklar", "nyckalr", 1), ("las", "lås", 1), ("larm", "larmet", 2), ("", "abc", 3)],
)
def test_edit_distance(first: str, second: str, distance: int):
    assert edit_distance(first, second) == distance


# -- answers in staff language -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("vilket nummer ringer jag vid prio?", "08-508 40 613"),
        ("vart mejlar jag trygghetsjouren", "trygghetslarm@stockholm.se"),
        ("nar far vi lamna tillbaka nycklarna efter installationen", "avgör utföraren"),
        ("hur stanger jag av trygghetslarmet", "tre sekunder"),
        ("ska laset flyttas med nar kunden flyttar", "låset också flyttas med"),
        ("vem hämtar låset vid avslut", "både trygghetslarmet och låset"),
    ],
)
def test_staff_wording_finds_the_fact(question: str, fact: str):
    answer = KnowledgeBase.default().answer(question)
    assert answer is not None and fact in answer.text


# -- chat messages ---------------------------------------------------------------------


def test_question_text_drops_mentions_and_markup():
    assert question_text("<at>Larmlotsen</at> hur stänger jag <b>av</b> larmet?").split() == [
        "hur",
        "stänger",
        "jag",
        "av",
        "larmet?",
    ]


def test_channel_message_with_mention_is_answered():
    answer = KnowledgeBase.default().answer("<at>Larmlotsen</at> vilket nummer ringer jag vid prio?")
    assert answer is not None and "08-508 40 613" in answer.text


def test_long_pasted_text_is_cut_to_a_question():
    assert len(question_text("ord " * 1000)) == MAX_QUESTION_CHARS
