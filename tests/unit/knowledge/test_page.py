"""Reading the city's page into sections and passages."""

from __future__ import annotations

from bot.knowledge.page import Kind, load_sections, parse_sections


def test_sections_follow_the_page_headings():
    headings = [section.heading for section in load_sections()]
    assert headings[0] == "Från beställning till installation"
    assert "Utförarbyte" in headings
    assert "När den enskilde flyttar" in headings
    assert "Återlämning av trygghetslarm" in headings
    # navigation without content is no section
    assert "Läs mer om trygghetslarm" not in headings
    assert "Uppdaterad" not in headings


def test_steps_contacts_and_lists_are_recognised():
    passages = [p for section in load_sections() for p in section.passages]
    steps = [p.text for p in passages if p.kind is Kind.STEP]
    assert steps[0] == "1. Utföraren accepterar beställningen i Paraplysystemet."
    assert len(steps) == 4 + 5 + 4
    contacts = [p.text for p in passages if p.kind is Kind.CONTACT]
    assert "Stockholms trygghetsjour\nE-post: trygghetslarm@stockholm.se" in contacts
    lists = [p.text for p in passages if p.kind is Kind.LIST]
    assert lists == [
        "Ändringar som kan ske är\n• utförarbyten\n• att den enskilde flyttar\n"
        "• övertagande av befintligt trygghetslarm i bostaden\n"
        "• avslut av trygghetslarm och demontering av låstillbehör för nyckelfri hemtjänst."
    ]


def test_prose_is_split_into_sentences():
    sections = parse_sections("Rubrik\n\nFörsta meningen. Andra meningen med 08-508 40 613.\n")
    assert [p.text for p in sections[0].passages] == ["Första meningen.", "Andra meningen med 08-508 40 613."]
    assert sections[0].heading == "Rubrik"


def test_sentence_introducing_steps_is_a_lead_in():
    sections = parse_sections("Rubrik\n\nGör så här:\n\n  1. Ett.\n  2. Två.\n")
    kinds = [p.kind for p in sections[0].passages]
    assert kinds == [Kind.LEAD_IN, Kind.STEP, Kind.STEP]
    assert len({p.group for p in sections[0].passages}) == 1
