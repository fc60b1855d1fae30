"""Quick answers over HTTP the way Teams asks them: the contact to tap, the page's gaps said
plainly, and "Menade du" buttons that answer when clicked."""

from __future__ import annotations

from tests.support import teams
from tests.support.cards import actions_of_type, elements


async def ask(bot, connector, chat, text) -> dict:
    await bot.post(teams.message(chat, bot.service_url, text))
    return connector.sent[-1].cards[0]


def texts(card: dict) -> str:
    return "\n".join(e["text"] for e in elements(card) if e.get("type") == "TextBlock")


def urls(card: dict) -> list[str]:
    return [a["url"] for a in actions_of_type(card, "Action.OpenUrl")]


async def test_declining_an_order_comes_with_the_address_to_tap(bot, connector):
    card = await ask(bot, connector, teams.personal(), "vi kan inte ta emot bestallningen vad gor vi")
    assert "omgående meddelas till Stockholms trygghetsjour via e-post" in texts(card)
    assert any(url.startswith("mailto:trygghetslarm@stockholm.se?subject=") for url in urls(card))


async def test_returning_an_alarm_shows_both_devices_whole(bot, connector):
    card = await ask(bot, connector, teams.personal(), "hur återlämnar jag ett trygghetslarm")
    shown = texts(card)
    assert "Larm med grå knapp på undersidan" in shown and "Larm med lock på baksidan" in shown
    assert "Linda ihop laddaren" in shown and "Koppla bort sladden" in shown
    assert "mailto:installationochservice@stockholm.se" in " ".join(urls(card))


async def test_what_the_page_does_not_say_is_said_with_whom_to_ask(bot, connector):
    card = await ask(bot, connector, teams.personal(), "hur lång tid tar installationen?")
    shown = texts(card)
    assert "Stadens sida anger ingen tid" in shown
    assert "fem arbetsdagar" not in shown  # the provider-change notice is no lead time
    assert "tel:+46850840613" in urls(card)


async def test_the_next_step_comes_from_the_routine(bot, connector):
    card = await ask(bot, connector, teams.personal(), "vi har accepterat i paraply nu, va e nästa steg?")
    assert "genom larmblanketten" in texts(card) and "Nästa steg" in texts(card)


async def test_did_you_mean_buttons_answer_when_clicked(bot, connector):
    chat = teams.personal()
    card = await ask(bot, connector, chat, "kan vi skicka larmet med posten")
    assert "Menade du:" in texts(card)
    buttons = actions_of_type(card, "Action.Submit")
    assert 1 <= len(buttons) <= 3
    reply = await bot.post(teams.card_submit(chat, bot.service_url, buttons[0]["data"]))
    assert reply.status == 200
    answer = connector.sent[-1].cards[0]
    assert "Ur stadens sida" in texts(answer)


async def test_a_change_in_the_alarm_chain_points_at_the_e_service_and_offers_no_address(bot, connector):
    for question in ("hur ändrar jag larmkedjan?", "vem ska man kontakta om larmkedjan ändras", "larmkedja ändring mejladress"):
        card = await ask(bot, connector, teams.personal(), question)
        shown = texts(card)
        assert "ändringar i larmkedjor till Stockholms trygghetsjour" in shown, question
        assert "stadens e-tjänst för ändringar i larmkedjan" in shown, question
        assert "trygghetslarm@stockholm.se" not in str(card) and "mailto:" not in str(card), question


async def test_keys_to_a_staff_room_are_refused(bot, connector):
    chat = teams.personal()
    await bot.post(teams.message(chat, bot.service_url, "nycklarna till personalrummet"))
    assert "Jag svarar bara på frågor om stadens rutiner" in connector.sent[-2].text
    assert "Ur stadens sida" not in str(connector.sent[-1].cards)


async def test_how_many_alarms_a_customer_may_have_is_admitted_as_not_on_the_page(bot, connector):
    card = await ask(bot, connector, teams.personal(), "hur många larm kan en kund ha")
    shown = texts(card)
    assert "Stadens sida säger inte hur många trygghetslarm" in shown
    assert "Du som utförare" not in shown  # no passage on a neighbouring topic
    assert any(url.startswith("mailto:installationochservice@stockholm.se") for url in urls(card))
