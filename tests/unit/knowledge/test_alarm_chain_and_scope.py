"""Every quick answer about the alarm chain says what the page says -- changes go to Stockholms
trygghetsjour through the e-service the page links, which the bot does not have -- in the words
of the Larmkedja checklist card, and offers no e-mail address as the channel. And two questions
that drew a passage before: keys to a staff room (out of scope) and how many alarms a customer
may have (the page does not say)."""

from __future__ import annotations

import pytest

from bot.domain.routines import ALARM_CHAIN_NO_CHANNEL, routine_catalog
from bot.knowledge import KnowledgeBase
from cards.answer import answer_card
from tests.unit.knowledge.question_set import load_question_set
from tests.unit.knowledge_blind.evaluate import load

CHAIN_SENTENCE = "Här kan hemtjänstutförare meddela ändringar i larmkedjor till Stockholms trygghetsjour."
PHRASINGS = [
    "ändring i larmkedjan", "hur ändrar jag larmkedjan", "ändring i larmkedjan, vart?", "larmkedja",
    "larmkedjan mejl", "vilken e-post för ändring i larmkedjan", "ny anhörig i larmkedjan vem mailar jag",
    "ska ändringar i larmkedjan mejlas till trygghetsjouren", "ändra larmkedja och sen avslut, hur gör vi",
]


def questions() -> list[str]:
    old = load_question_set()
    asked = [item["question"] for item in old["answerable"]] + old["out_of_scope"]
    return PHRASINGS + asked + [item["q"] for half in ("dev", "dev_extra", "dev2", "dev3", "dev4") for item in load(half)]


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.default()


def test_every_answer_about_the_alarm_chain_points_at_the_e_service_and_offers_no_address(knowledge_base):
    checked = 0
    for question in questions():
        answer = knowledge_base.answer(question)
        if answer is None or not (CHAIN_SENTENCE in " ".join(answer.text.split())
                                  or answer.section == "Ändringar i larmkedjan"):
            continue
        checked += 1
        card = str(answer_card(answer))
        assert ALARM_CHAIN_NO_CHANNEL in answer.notes and ALARM_CHAIN_NO_CHANNEL in card, question
        assert "trygghetslarm@stockholm.se" not in card, (question, [c.url for c in answer.contacts])
        if CHAIN_SENTENCE in answer.text and answer.text.strip() == CHAIN_SENTENCE:
            assert answer.contacts == (), question  # nothing else said: nothing to mail
    assert checked >= 20


def test_the_answer_and_the_checklist_card_word_the_channel_alike(knowledge_base):
    step = routine_catalog()["alarm_chain"].steps[0]
    assert step.instruction == ALARM_CHAIN_NO_CHANNEL and step.source == CHAIN_SENTENCE and not step.contacts
    assert knowledge_base.answer("hur ändrar jag larmkedjan").notes == (step.instruction,)


def test_the_decline_answer_still_offers_the_alarm_centre_address(knowledge_base):
    answer = knowledge_base.answer("vi kan inte ta emot bestallningen vad gor vi")
    assert [c.value for c in answer.contacts if c.kind == "email"][:1] == ["trygghetslarm@stockholm.se"]
    assert answer.notes == ()


@pytest.mark.parametrize("question", ["nycklarna till personalrummet", "var finns nyckeln till förrådet",
                                      "vem har nycklarna till personalrummet?", "nyckeln till bilen"])
def test_keys_to_a_place_the_page_never_names_are_out_of_scope(knowledge_base, question):
    assert knowledge_base.answer(question) is None


@pytest.mark.parametrize("question", ["hur många nycklar ska vi ha", "nycklar till lägenheten"])
def test_the_customer_s_keys_are_still_answered(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer is not None and answer.answered and "ett (1) exemplar" in answer.text


@pytest.mark.parametrize("question", ["hur många larm kan en kund ha", "får kunden ha fler än ett larm",
                                      "kan man ha två trygghetslarm i samma bostad", "hur många lås kan en kund ha"])
def test_how_many_alarms_is_admitted_as_not_on_the_page_with_whom_to_ask(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer is not None and answer.kind == "not_on_page", answer
    assert "Stadens sida säger inte hur många trygghetslarm" in answer.text
    assert "mailto:installationochservice@stockholm.se" in " ".join(c.url for c in answer.contacts)


def test_a_count_in_another_sense_is_no_gap(knowledge_base):
    answer = knowledge_base.answer("vi har inte kapacitet för fler larmkunder, hur tackar vi nej")
    assert answer is not None and answer.answered
