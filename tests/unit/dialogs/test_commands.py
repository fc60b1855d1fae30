"""What a typed message asks for, in the order COMMANDS tries it, and what it does while an intake
waits for an answer. No database, no HTTP."""

from __future__ import annotations

import pytest

from dialogs.commands import ANSWERS, CANCELS, COMMANDS, LEAVES, STAYS, during_intake, parse_command
from dialogs.router import Router


@pytest.mark.parametrize("text, kind", [
    ("mitt team", "my_team"),
    ("Mitt team!", "my_team"),
    ("notiser här", "notices_here"),
    ("notiser hit", "notices_here"),
    ("notiser av", "notices_off"),
    ("stäng av notiser", "notices_off"),
    ("notiser", "notices_status"),
    ("hjälp", "help"),
    ("meny", "help"),
    ("avbryt", "cancel"),
    ("mina ärenden", "my_cases"),
    ("ärende TL-2026-0042", "show_case"),
    ("TL-2026-0042", "show_case"),
    ("klar", "done"),
    ("klar B TL-2026-0042", "done"),
    ("ångra fel steg", "undo"),
    ("avsluta ärendet", "close"),
    ("tacka nej kunden har flyttat", "decline"),
    ("avböj", "decline"),
    ("export 2026-01-01 2026-03-31", "export"),
    ("statistik", "stats"),
    ("gallra", "purge"),
    ("ny beställning", "start"),
    ("aterlamna larm", "start"),
    ("vem ringer jag om larmet inte fungerar?", "question"),
])
def test_every_command_is_known_to_the_parser(text, kind):
    assert parse_command(text).kind == kind


def test_order_decides_between_look_alikes():
    # "avslut" starts the termination routine; "avsluta ärendet" closes a case (tried before routines).
    assert parse_command("avslut").routine == "termination"
    assert parse_command("avsluta ärendet TL-2026-0042").kind == "close"
    # "notiser här" is a command before it could be read as a question or a routine.
    assert parse_command("notiser här").kind == "notices_here"
    # a reference inside a longer sentence is a question about it, not a request to show it
    assert parse_command("när ska TL-2026-0042 vara klart").kind == "question"


def test_klar_carries_the_step_and_the_reference_apart():
    command = parse_command("klar c TL-2026-7")
    assert (command.reference, command.rest) == ("TL-2026-0007", "c")


@pytest.mark.parametrize("text, mode", [
    ("hjälp", STAYS),
    ("mitt team", STAYS),
    ("vad är en nyckelgömma?", STAYS),
    ("avbryt", CANCELS),
    ("mina ärenden", LEAVES),
    ("ärende TL-2026-0042", LEAVES),
    ("ja", ANSWERS),
    ("2026-12-07", ANSWERS),
    ("klar", ANSWERS),
    ("flytt", ANSWERS),
])
def test_what_a_command_does_while_an_intake_waits(text, mode):
    assert during_intake(parse_command(text)) == mode


def test_the_last_entry_takes_anything():
    assert COMMANDS[-1].kind == "question"
    assert parse_command("").kind == "question"


def test_every_entry_names_a_router_method_that_exists():
    missing = [entry.handler for entry in COMMANDS if not callable(getattr(Router, "_" + entry.handler, None))]
    assert missing == []
