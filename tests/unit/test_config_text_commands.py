"""Configuration, text normalisation and command parsing."""

from __future__ import annotations

import pytest
from botbuilder.schema import Activity, ChannelAccount

from bot.domain.reference import find_reference
from dialogs.commands import parse_command, routine_key_for
from bot.config import ConfigurationError, load_settings
from bot.db import async_url
from bot.teams.activity import fold, message_text


def test_defaults_are_a_local_development_server():
    settings = load_settings({})
    assert (settings.port, settings.bind_host, settings.app_type) == (3978, "127.0.0.1", "SingleTenant")
    assert settings.database_url == "sqlite:///./data/larmlotsen.db"
    assert (settings.opening_time, settings.closing_time) == ("08:00", "16:00")


def test_bot_framework_names_are_read():
    settings = load_settings({"MicrosoftAppId": "a", "MicrosoftAppPassword": "p", "MicrosoftAppTenantId": "t",
                              "PORT": "8080", "TENANT_ALLOWLIST": "x, y;z"})
    assert (settings.APP_ID, settings.APP_PASSWORD, settings.APP_TENANTID, settings.APP_TYPE) == ("a", "p", "t", "SingleTenant")
    assert settings.bind_host == "0.0.0.0" and settings.port == 8080
    assert settings.tenant_allowlist == ("x", "y", "z")


@pytest.mark.parametrize("env, word", [
    ({"PORT": "abc"}, "PORT"),
    ({"MicrosoftAppId": "a"}, "MicrosoftAppPassword"),
    ({"MicrosoftAppId": "a", "MicrosoftAppPassword": "p"}, "MicrosoftAppTenantId"),
    ({"MicrosoftAppType": "Other"}, "MicrosoftAppType"),
])
def test_bad_configuration_names_the_setting(env, word):
    with pytest.raises(ConfigurationError, match=word):
        load_settings(env)


@pytest.mark.parametrize("url, expected", [
    ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
    ("postgresql://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
    ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
    ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
])
def test_the_async_driver_is_chosen(url, expected):
    assert async_url(url) == expected


def test_mention_and_html_are_removed():
    activity = Activity(
        type="message", text="<at>Larmlotsen</at>&nbsp;ny <b>beställning</b> ",
        recipient=ChannelAccount(id="bot"),
        entities=[{"type": "mention", "text": "<at>Larmlotsen</at>", "mentioned": {"id": "bot", "name": "Larmlotsen"}}],
    )
    assert message_text(activity) == "ny beställning"


def test_fold_removes_case_diacritics_and_punctuation():
    assert fold("  Återlämna   LARM! ") == "aterlamna larm"


@pytest.mark.parametrize("typed, key", [
    ("Ny beställning", "new_order"), ("ny bestallning", "new_order"), ("ny bestälning", "new_order"),
    ("UTFÖRARBYTE", "provider_change"), ("utforarbte", "provider_change"), ("flytt", "move"),
    ("övertagande", "takeover"), ("avslut", "termination"), ("aterlamna larm", "return_alarm"),
    ("återlämna larmet", "return_alarm"), ("larmkedja", "alarm_chain"),
])
def test_routine_names_are_tolerant(typed, key):
    assert routine_key_for(typed) == key


@pytest.mark.parametrize("typed", ["kunden ska flytta till ett boende", "hur stänger jag av larmet", "hej"])
def test_sentences_do_not_start_routines(typed):
    assert routine_key_for(typed) is None


def test_commands():
    assert parse_command("mina ärenden").kind == "my_cases"
    assert parse_command("ärende tl-2026-42") == parse_command("ärende TL-2026-0042")
    assert parse_command("ärende TL-2026-0042").reference == "TL-2026-0042"
    undo = parse_command("ångra Fel Kund")
    assert (undo.kind, undo.rest) == ("undo", "Fel Kund")
    decline = parse_command("tacka nej kunden har flyttat")
    assert (decline.kind, decline.rest) == ("decline", "kunden har flyttat")
    assert parse_command("klar B").rest == "b"
    assert parse_command("vilket nummer ringer jag?").kind == "question"
    assert find_reference("se TL-2026-0007 tack") == "TL-2026-0007"


def test_the_playground_passes_now_to_the_bot():
    from playground.launcher import _parser, bot_command

    args = _parser().parse_args(["--now", "2026-06-18T15:30"])
    assert args.now == "2026-06-18T15:30"
    command = bot_command(3978, "sqlite:///x.db", args.now)
    assert command[-2:] == ["--now", "2026-06-18T15:30"] and command[1:3] == ["-m", "bot"]
    assert "--now" not in bot_command(3978, "sqlite:///x.db")
