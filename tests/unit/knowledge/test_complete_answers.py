"""What makes an answer complete or refused: the form's name and address, two questions in one,
the step after a step, the last step, the preparation, and a routine verb about something else."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.answer import SUGGEST

FORM = "Blankett för nyinstallation, ändring eller avslut av trygghetslarm"
IS_MAIL = "installationochservice@stockholm.se"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.default()


def shown(answer) -> str:
    return answer.text + "\n" + "\n".join(c.value for c in answer.contacts)


def test_an_answer_that_names_the_form_gives_its_page_name_and_address(kb: KnowledgeBase):
    answer = kb.answer("vi har fått ett övertagande av befintligt larm, vilken blankett?")
    assert answer.answered
    assert FORM in answer.text
    assert IS_MAIL in [c.value for c in answer.contacts]


def test_two_questions_in_one_message_get_both_answers(kb: KnowledgeBase):
    answer = kb.answer("vem installerar larmet och när aktiverar vi i paraply?")
    assert "installerar trygghetslarmet och återkopplar" in answer.text
    assert "aktiverar beställningen i Paraplysystemet" in answer.text
    assert len(answer.contacts) == len({c.value for c in answer.contacts})  # each contact once


def test_the_step_after_the_return_form_is_the_keys_not_the_section_opening(kb: KnowledgeBase):
    answer = kb.answer("vi har skickat blanketten om återlämningen, vad händer sen")
    assert "Återlämna inte kundens nycklar" in answer.text
    assert "Här finns instruktioner" not in answer.text


def test_the_step_done_is_read_before_the_question(kb: KnowledgeBase):
    answer = kb.answer("larmet är uppsatt hos brukaren, behöver vi göra nåt mer i systemet")
    assert answer.blocks[-1].lines == ("Utföraren aktiverar beställningen i Paraplysystemet.",)


@pytest.mark.parametrize("question, last", [
    ("sista steget vid återlämning?", "skicka den via e-post"),
    ("sista steget när man fått ett nytt larm?", "aktiverar beställningen i Paraplysystemet"),
])
def test_the_last_step_of_a_routine(kb: KnowledgeBase, question: str, last: str):
    answer = kb.answer(question)
    assert answer.answered and last in answer.text


def test_before_the_installation_the_whole_preparation(kb: KnowledgeBase):
    text = kb.answer("vad behover vi gora innan installationen").text
    for fact in ("kunden får information", "tillgång till den enskildes bostad innan kontakt", "ett (1) exemplar",
                 "betala en eventuell låsöppning"):
        assert fact in text


@pytest.mark.parametrize("question", ["hur avslutar jag min anställning", "kan jag byta pass med en kollega på lördag",
                                      "hur aktiverar jag mitt konto", "hur avslutar jag ett samtal i teams"])
def test_a_routine_word_about_something_else_gets_no_passage(kb: KnowledgeBase, question: str):
    answer = kb.answer(question)
    assert answer is None or answer.kind == SUGGEST


@pytest.mark.parametrize("question", ["hur lång tid tar återkopplingen", "när kommer installatören",
                                      "hur länge har vi på oss att aktivera beställningen", "vem betalar för låset",
                                      "nar oppnar installation o service"])
def test_what_the_page_does_not_say_is_admitted_not_answered_by_a_neighbour(kb: KnowledgeBase, question: str):
    answer = kb.answer(question)
    assert answer.kind == "not_on_page", answer.text
    assert "minst en timme" not in answer.text and "minst fem arbetsdagar" not in answer.text


@pytest.mark.parametrize("question, fact", [
    ("tacka nej till larmbställning hur?", "omgående meddelas till Stockholms trygghetsjour"),
    ("trygghetsjourens epsot?", "trygghetslarm@stockholm.se"),
    ("vraför måste vi meddela flytt", "säkerställa trygghetslarmets funktionalitet"),
])
def test_slips_in_fillers_compounds_and_short_words_are_read_through(kb: KnowledgeBase, question: str, fact: str):
    assert fact in shown(kb.answer(question))
