"""What a care worker reads, over /api/messages the way Teams talks, with the bot's clock set:
each case below is one thing that went wrong for a new user and must not again (contacts on every
contact step, a priority order that stands out, deadlines that speak, plain questions, a short
answer to `klar`, e-mails in the sender's voice, a clean finish, nothing unmarked the page does not
say, order only where the page orders, one date format)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import unquote

import pytest

from tests.support import teams
from tests.support.botserver import BotServer, bot_settings
from tests.support.cards import actions_of_type, elements, execute_actions

from .test_conversation import last_reference, say

ISO_DATE_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


class SetClock:
    """The bot's clock, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def stockholm(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026 given in Stockholm time (CET, UTC+1)."""
    return datetime(2026, 12, day, hour - 1, minute, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    return SetClock(stockholm(3, 9))  # Thursday 3 December 2026, 09:00


@pytest.fixture
async def staff_bot(database_url, connector, clock):
    server = await BotServer(bot_settings(database_url), connector, clock).start()
    yield server
    await server.stop()


def first_screen(card: dict) -> list[dict]:
    """The body up to the "Visa mer" toggle: what a phone shows before scrolling or expanding."""
    shown = []
    for element in card["body"]:
        if any(e.get("type") == "Action.ToggleVisibility" for e in elements(element)):
            break
        shown.append(element)
    return shown


def mailtos(node) -> list[str]:
    return [unquote(url) for url in re.findall(r"mailto:[^'\")\s]+", str(node))]


async def start(bot, connector, chat, routine: str, *answers, customer_ref: str = "Löpnr 7"):
    await say(bot, chat, routine)
    for answer in answers:
        await say(bot, chat, answer)
    await say(bot, chat, customer_ref)
    return last_reference(connector)


async def card_of(bot, connector, chat, reference) -> dict:
    await say(bot, chat, f"ärende {reference}")
    return connector.sent[-1].cards[0]


# --- declining an order: the address in every scope -------------------------------------------------


async def test_declining_by_typing_in_personal_chat_carries_the_mailto_and_so_does_the_case_later(
        staff_bot, connector):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "ny beställning", "nej", "ja")
    await say(staff_bot, chat, "avböj kunden har redan larm")
    reply = connector.sent[-1]
    assert "Meddela Stockholms trygghetsjour omgående via e-post" in reply.text
    assert "mailto:trygghetslarm@stockholm.se" in reply.text
    assert any("mailto:trygghetslarm@stockholm.se" in m for m in mailtos(reply.cards[0]))
    later = await card_of(staff_bot, connector, chat, reference)
    assert "mailto:trygghetslarm@stockholm.se" in str(first_screen(later))
    mail = next(m for m in mailtos(later) if "trygghetslarm@" in m and "body=" in m)
    assert "Vi meddelar att vi inte accepterar beställningen av trygghetslarm." in mail
    assert f"Vårt ärende: {reference}" in mail and "Kundreferens: Löpnr 7" in mail


async def test_declining_with_the_button_in_a_channel_carries_the_mailto(staff_bot, connector):
    room = teams.channel()
    reference = await start(staff_bot, connector, room, "ny beställning", "nej", "ja")
    card = connector.sent[-1].cards[0]
    (decline,) = execute_actions(card, "declineOrder")
    # Before confirming, the form already names the address.
    assert "trygghetslarm@stockholm.se" in str(actions_of_type(card, "Action.ShowCard"))
    reply = await staff_bot.post(teams.card_execute(room, staff_bot.service_url, "declineOrder",
                                                    {**decline["data"], "declineReason": ""}))
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "mailto:trygghetslarm@stockholm.se" in str(first_screen(reply.body["value"]))
    assert any(a["url"].startswith("mailto:trygghetslarm@stockholm.se")
               for a in actions_of_type(reply.body["value"], "Action.OpenUrl"))
    case = await staff_bot.runtime.cases.get_by_reference(reference)
    assert case.status.value == "declined"


# --- a priority order stands out in personal chat ----------------------------------------------------


async def test_a_priority_order_stands_out_on_the_first_screen_with_the_number_to_call(staff_bot, connector):
    chat = teams.personal()
    await start(staff_bot, connector, chat, "ny beställning", "ja", "ja")
    screen = first_screen(connector.sent[-1].cards[0])
    banner = next(e for e in screen if e.get("style") == "attention")
    assert "Prioriterad beställning" in str(banner)
    assert any(a["url"] == "tel:+46850840613" for a in actions_of_type(banner, "Action.OpenUrl"))


# --- deadlines that speak ------------------------------------------------------------------------------


async def test_a_passed_same_day_deadline_says_so_and_what_to_do_now(staff_bot, connector, clock):
    clock.now = stockholm(3, 15, 30)  # Thursday 15:30: the hour before closing has begun
    chat = teams.personal()
    await start(staff_bot, connector, chat, "utförarbyte", "nej", "Vi lämnar (tidigare utförare)", "ja", "ja")
    screen = str(first_screen(connector.sent[-1].cards[0]))
    assert "Dagens tidsgräns (3 dec 2026 kl. 15:00) hade redan passerat" in screen
    assert "Gör nu: Meddela installation och service nu ändå" in screen
    assert "Senast 4 dec 2026 kl. 15:00" in screen
    assert "kl. 15:00 om installation och service stänger kl. 16:00 (inställning)" in screen


async def test_a_deadline_within_the_reminder_lead_says_so(staff_bot, connector, clock):
    clock.now = stockholm(3, 14, 30)  # half an hour before 15:00; REMINDER_LEAD_MINUTES is 60
    chat = teams.personal()
    await start(staff_bot, connector, chat, "utförarbyte", "nej", "Vi tar emot (ny utförare)", "ja", "nej")
    assert "Tiden går snart ut – senast 3 dec 2026 kl. 15:00" in str(first_screen(connector.sent[-1].cards[0]))


async def test_a_too_early_wanted_date_is_told_at_the_date_question_and_the_counter_counts_right(
        staff_bot, connector):
    chat = teams.personal()
    await say(staff_bot, chat, "utförarbyte")
    counters = [re.search(r"fråga (\d+) av (\d+)", str(connector.sent[-1].cards[0])).groups()]
    await say(staff_bot, chat, "ja")  # a large organisational change
    counters.append(re.search(r"fråga (\d+) av (\d+)", str(connector.sent[-1].cards[0])).groups())
    assert "fem arbetsdagar" in str(connector.sent[-1].cards[0]), "the date question states the rule"
    await say(staff_bot, chat, "2026-12-08")  # Tuesday: three working days away
    warning, question = connector.sent[-2], connector.sent[-1]
    assert ("Sista dag att kontakta installation och service var 1 dec 2026 kl. 16:00 om installation och "
            "service stänger kl. 16:00 (inställning)") in warning.text
    assert "är ni den utförare" in str(question.cards[0]).lower(), "the warning comes before the next question"
    for answer in ("Vi lämnar (tidigare utförare)", "ja"):
        counters.append(re.search(r"fråga (\d+) av (\d+)", str(connector.sent[-1].cards[0])).groups())
        await say(staff_bot, chat, answer)
    counters.append(re.search(r"fråga (\d+) av (\d+)", str(connector.sent[-1].cards[0])).groups())
    numbers = [int(n) for n, _ in counters]
    assert numbers == [1, 2, 3, 4, 5] and counters[-1] == ("5", "5")
    assert all(int(total) in (4, 5) for _, total in counters)


# --- plain questions ----------------------------------------------------------------------------------


async def test_the_keys_question_is_plain_and_its_answers_say_what_they_mean(staff_bot, connector):
    chat = teams.personal()
    await say(staff_bot, chat, "ny beställning")
    await say(staff_bot, chat, "nej")
    question = connector.sent[-1]
    text = str(question.cards[0])
    assert "varken" not in text and "Lämnar kunden ut ett exemplar av sina hemnycklar" in text
    assert "Ja, ett exemplar av nycklarna" in text
    assert "Nej, kunden avstår både nycklar och nyckelfri hemtjänst" in text
    # Personal chat: the answers are also one tap away.
    suggested = [a["title"] for a in question.body["suggestedActions"]["actions"]]
    assert suggested == ["Ja, ett exemplar av nycklarna", "Nej, kunden avstår både nycklar och nyckelfri hemtjänst"]
    await say(staff_bot, chat, suggested[0])
    await say(staff_bot, chat, "hoppa över")
    case = await staff_bot.runtime.cases.get_by_reference(last_reference(connector))
    assert case.facts["declines_keys_and_keyless"] is False
    assert "secure_access" in {step.id for step in case.steps}


async def test_no_suggested_actions_in_a_channel(staff_bot, connector):
    room = teams.channel()
    await say(staff_bot, room, "ny beställning")
    assert not connector.sent[-1].body.get("suggestedActions")


# --- a short answer to `klar`, the whole card on `ärende`, steps in the order they are done -------------


async def test_typed_klar_answers_with_the_next_step_and_arende_shows_the_whole_card(staff_bot, connector):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "ny beställning", "nej", "ja")
    await say(staff_bot, chat, "klar")
    short = connector.sent[-1]
    assert short.text.startswith("Steg 1 (Acceptera beställningen i Paraplysystemet) är klart.")
    card = short.cards[0]
    assert "Visa mer" not in str(card) and "Visa hela ärendet" in str(card)
    assert [a["data"]["stepId"] for a in execute_actions(card, "completeStep")] == ["secure_access", "inform_customer"]
    assert card.get("fallbackText")
    whole = await card_of(staff_bot, connector, chat, reference)
    assert "Visa mer" in str(whole)
    lines = [e["text"] for e in elements(whole["body"]) if e.get("type") == "TextBlock"]
    order = [next(i for i, line in enumerate(lines) if marker in line)
             for marker in ("1. Acceptera", "A. Säkra tillgången", "2. Meddela installation",
                            "B. Informera kunden", "3. Installation och service", "4. Aktivera")]
    assert order == sorted(order), "each preparation is drawn before the step that waits for it"


async def test_the_page_explanation_of_a_step_is_shown(staff_bot, connector):
    chat = teams.personal()
    await start(staff_bot, connector, chat, "ny beställning", "nej", "Nej, kunden avstår både nycklar och nyckelfri hemtjänst")
    screen = str(first_screen(connector.sent[-1].cards[0]))
    assert "själv får betala en eventuell låsöppning" in screen


# --- e-mails in the sender's voice ----------------------------------------------------------------------


async def test_the_prefilled_mail_states_facts_in_the_providers_voice(staff_bot, connector):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "utförarbyte", "nej", "Vi lämnar (tidigare utförare)",
                            "nej", "ja")
    card = connector.sent[-1].cards[0]
    raw = [a["url"] for a in actions_of_type(card, "Action.OpenUrl") if "body=" in a["url"]]
    assert raw and all(len(url) <= 1800 for url in raw)
    mail = next(m for m in mailtos(card) if "body=" in m)
    assert mail.startswith(f"mailto:installationochservice@stockholm.se?subject={reference} – Utförarbyte")
    assert "Vi meddelar att kunden byter utförare. Vi är den tidigare utföraren. Blanketten är bifogad." in mail
    assert "Kundreferens: Löpnr 7" in mail
    body = mail.split("body=", 1)[1]
    assert "?" not in body and "Skicka blanketten" not in body and "Meddela" not in body


# --- a clean finish --------------------------------------------------------------------------------------


async def test_after_the_last_step_the_same_card_says_done_and_offers_closing_first(staff_bot, connector):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "ny beställning", "nej", "ja")
    card = connector.sent[-1].cards[0]
    while execute_actions(card, "completeStep"):
        action = execute_actions(card, "completeStep")[0]
        card = (await staff_bot.post(teams.card_execute(chat, staff_bot.service_url, "completeStep",
                                                        action["data"]))).body["value"]
    screen = first_screen(card)
    assert "Alla steg är klara – Insatsen är igång." in str(screen)
    assert execute_actions(screen, "closeCase"), "closing is offered on the first screen"
    await say(staff_bot, chat, "klar")
    assert "**avsluta ärendet**" in connector.sent[-1].text
    await say(staff_bot, chat, "avsluta ärendet")
    closed = await card_of(staff_bot, connector, chat, reference)
    assert "Avslutat – Insatsen är igång." in str(first_screen(closed))


# --- nothing unmarked that the page does not say --------------------------------------------------------


async def test_configured_times_show_their_basis_and_never_make_a_step_late(staff_bot, connector, clock):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "ny beställning", "nej", "ja")
    for _ in range(4):
        await say(staff_bot, chat, "klar")
    clock.now = stockholm(30, 10)  # weeks later, no feedback from installation och service yet
    card = await card_of(staff_bot, connector, chat, reference)
    screen = str(first_screen(card))
    assert "3. Installation och service har installerat" in screen
    assert "sidan anger ingen tid – påminnelse efter 5 arbetsdagar (inställning)" in screen
    assert "Försenat" not in str(card) and "försenat" not in str(card)


async def test_a_contact_only_where_the_page_ties_it_to_the_step(staff_bot, connector):
    chat = teams.personal()
    await start(staff_bot, connector, chat, "utförarbyte", "ja", "2027-01-20", "Vi tar emot (ny utförare)", "ja", "nej")
    card = connector.sent[-1].cards[0]
    assert "tel:" not in str(card), "08-508 40 613 is the page's number for priority orders only"
    assert "Sidan anger ingen kanal för steget" in str(first_screen(card))
    room_chat = teams.personal()
    await start(staff_bot, connector, room_chat, "larmkedja")
    chain = connector.sent[-1].cards[0]
    assert "e-tjänst" in str(first_screen(chain)) and "mailto:" not in str(chain)


async def test_the_form_is_a_link_everywhere_when_its_address_is_set(database_url, connector, clock):
    url = "https://start.stockholm/blankett-trygghetslarm.pdf"
    server = await BotServer(bot_settings(database_url, form_url=url), connector, clock).start()
    try:
        chat = teams.personal()
        await start(server, connector, chat, "flytt", "ja")
        screen = str(first_screen(connector.sent[-1].cards[0]))
        assert f"]({url})" in screen
        assert "[blanketten]" in screen or "[Blankett för nyinstallation" in screen
        await say(server, chat, "klar 2")
        assert f"[blanketten]({url})" in connector.sent[-1].text, "a typed reply links the form too"
        whole = str(await card_of(server, connector, chat, last_reference(connector)))
        assert f"✓ 2. Meddela installation och service om flytten med [blanketten]({url})" in whole
    finally:
        await server.stop()


# --- order only where the page orders -----------------------------------------------------------------


async def test_a_provider_change_without_keys_can_be_finished_and_closed(staff_bot, connector):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "utförarbyte", "nej", "Vi lämnar (tidigare utförare)",
                            "nej", "Nej, inga nycklar att lämna över")
    for _ in range(2):
        await say(staff_bot, chat, "klar")
    await say(staff_bot, chat, "avsluta ärendet")
    case = await staff_bot.runtime.cases.get_by_reference(reference)
    assert case.status.value == "closed"


async def test_the_move_form_is_not_gated_on_the_notice_tick(staff_bot, connector):
    chat = teams.personal()
    await start(staff_bot, connector, chat, "flytt", "ja")
    steps = [a["data"]["stepId"] for a in execute_actions(connector.sent[-1].cards[0], "completeStep")]
    assert steps == ["move_notice_received", "notify_installation", "lock_moves_too"]


# --- one date format ---------------------------------------------------------------------------------------


async def test_messages_and_cards_use_one_swedish_date_format(staff_bot, connector):
    chat = teams.personal()
    await start(staff_bot, connector, chat, "utförarbyte", "ja", "2026-12-08", "Vi lämnar (tidigare utförare)",
                "ja", "ja")
    for sent in connector.sent:
        assert not ISO_DATE_TIME.search(sent.text), sent.text
        for card in sent.cards:
            texts = [e.get("text", "") for e in elements(card) if e.get("type") == "TextBlock"]
            texts += [f["value"] for e in elements(card) if e.get("type") == "FactSet" for f in e["facts"]]
            assert not any(ISO_DATE_TIME.search(text) for text in texts), texts
            assert card.get("fallbackText")
    assert "8 dec 2026" in str(connector.sent[-1].cards[0])


async def test_omgaende_is_reminded_of_by_a_setting_and_never_called_late(staff_bot, connector, clock):
    chat = teams.personal()
    reference = await start(staff_bot, connector, chat, "avslut", "ja", "ja")
    await say(staff_bot, chat, "klar")  # the end is in the case system: now tell installation och service
    clock.now = stockholm(7, 10)  # two working days later
    card = await card_of(staff_bot, connector, chat, reference)
    screen = str(first_screen(card))
    assert "omgående (sidan) – påminnelse efter 4 arbetstimmar (inställning)" in screen
    assert "Inte klart ännu – påminnelsetiden" in screen
    assert "Försenat" not in str(card) and "Tiden har passerat" not in str(card)


async def test_access_is_secured_before_step_2_and_the_customer_informed_before_step_3(staff_bot, connector):
    chat = teams.personal()
    await start(staff_bot, connector, chat, "ny beställning", "nej", "ja")
    await say(staff_bot, chat, "klar 1")
    await say(staff_bot, chat, "klar 2")
    assert connector.sent[-1].text == ("Steg 2 kan inte markeras klart förrän steg A (Säkra tillgången till bostaden: "
                                       "hämta ett (1) exemplar av kundens hemnycklar) är klart.")
    await say(staff_bot, chat, "klar A")
    await say(staff_bot, chat, "klar 2")  # informing the customer (B) does not hold up step 2
    assert connector.sent[-1].text.startswith("Steg 2 (Meddela installation och service med blanketten) är klart.")
    await say(staff_bot, chat, "klar 3")
    assert "förrän steg B (Informera kunden om trygghetslarmet och nyckelfri hemtjänst)" in connector.sent[-1].text
