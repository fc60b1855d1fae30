"""The routine data against the city's page: every instruction maps to a step or a rule, and
every quoted source sentence really is on the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bot.domain
from bot.domain import ROUTINES, routine_catalog
from bot.domain.routines import FORM, INSTALLATION_OCH_SERVICE_EMAIL, INSTALLATION_OCH_SERVICE_PHONE, TRYGGHETSJOUR_EMAIL

PAGE = (Path(bot.domain.__file__).parent / "source_page.txt").read_text(encoding="utf-8")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


PAGE_FLAT = _normalise(PAGE)

# Page sentence → the step ids ("routine.step"), rule ids ("routine.rule:<id>"), fact names
# ("routine.fact:<name>"), declines ("routine.decline") or routines ("routine") that carry it.
PAGE_TO_DATA: dict[str, tuple[str, ...]] = {
    "Stockholms trygghetsjour hanterar beställning av trygghetslarm till utföraren.": ("new_order",),
    "Om du som utförare av någon anledning inte accepterar beställningen måste detta omgående meddelas till Stockholms trygghetsjour via e-post.": ("new_order.decline",),
    "E-post: trygghetslarm@stockholm.se": ("new_order.decline", "alarm_chain.report_to_trygghetsjour"),
    "I den här ordningen ska utföraren hantera en beställning av trygghetslarm:": ("new_order.rule:strict_order",),
    "Utföraren accepterar beställningen i Paraplysystemet.": ("new_order.accept",),
    "Utföraren meddelar enheten för installation och service vid Stockholms trygghetsjour genom larmblanketten.": ("new_order.notify_installation",),
    "Enheten för installation och service installerar trygghetslarmet och återkopplar därefter till utföraren.": ("new_order.installation_feedback",),
    "Utföraren aktiverar beställningen i Paraplysystemet.": ("new_order.activate",),
    "Efter dessa steg är insatsen igång.": ("new_order.activate",),
    "Inför installationen behöver du som utförare säkerställa att kunden får information om trygghetslarmet och nyckelfri hemtjänst.": ("new_order.inform_customer",),
    "Du som utförare behöver också säkerställa tillgång till den enskildes bostad innan kontakt med installation och service på Stockholms trygghetsjour.": ("new_order.rule:access_before_installation_contact", "new_order.secure_access"),
    "För att säkra tillgång till den enskildes bostad innan nyckelfri hemtjänst är installerat behöver utföraren inhämta ett (1) exemplar av den enskildes hemnycklar.": ("new_order.secure_access",),
    "När installationen är klar avgör utföraren när de är redo att lämna tillbaka den enskildes hemnycklar.": ("new_order.rule:keys_back_when_provider_decides",),
    "Om den enskilde väljer att inte lämna ut nycklar och avstå från nyckelfri hemtjänst behöver du som utförare informera om att den enskilde själv kommer att få betala en eventuell låsöppning vid larm och hemtjänsten behöver ta sig in i bostaden.": ("new_order.inform_lock_opening_cost", "new_order.fact:declines_keys_and_keyless"),
    "Du som utförare beställer installation av trygghetslarm och lås genom att skicka in en blankett för installation.": ("new_order.rule:order_installation_with_form", "new_order.notify_installation"),
    "Blankett för nyinstallation, ändring eller avslut av trygghetslarm och lås (pdf)": ("new_order.notify_installation", "provider_change.send_change_form"),
    "Får utföraren en prioriterad beställning av trygghetslarm, ska installation och service kontaktas på telefon 08-508 40 613.": ("new_order.rule:priority_order_by_phone", "new_order.notify_installation", "new_order.fact:priority"),
    "När ändringar sker inom insatsen trygghetslarm och lås informeras utföraren genom Paraplysystemet.": ("provider_change.rule:changes_arrive_in_system", "move.move_notice_received", "takeover.takeover_notice_received"),
    "utförarbyten": ("provider_change",),
    "att den enskilde flyttar": ("move",),
    "övertagande av befintligt trygghetslarm i bostaden": ("takeover",),
    "avslut av trygghetslarm och demontering av låstillbehör för nyckelfri hemtjänst.": ("termination",),
    "Vid samtliga ändringar ska utföraren informera enheten för installation och service via blanketten nedan.": ("provider_change.send_change_form", "move.notify_installation", "takeover.send_change_form", "termination.rule:changes_reported_with_form"),
    "Genom att anmäla ändringar säkerställer utföraren tryggheten för den enskilde, rätt behörigheter för nyckelfri hemtjänst och tillgången till bostaden.": ("move.rule:why_report_changes",),
    "Här kan hemtjänstutförare meddela ändringar i larmkedjor till Stockholms trygghetsjour.": ("alarm_chain.report_to_trygghetsjour",),
    "När den enskilde vill byta utförare får både den gamla och den nya utföraren meddelande genom Paraplysystemet.": ("provider_change.change_notice_received", "provider_change.fact:provider_role"),
    "Överlämning av nycklar sker hos den enskilde.": ("provider_change.hand_over_keys", "provider_change.receive_keys"),
    "Utföraren ska omgående meddela enheten för installation och service, minst en timme innan stängning, om den enskilde har ett låstillbehör för nyckelfri hemtjänst.": ("provider_change.notify_lock", "provider_change.fact:lock"),
    "Vid större organisatoriska förändringar i utförarkedjan krävs att utföraren tar kontakt minst fem arbetsdagar innan önskat byte.": ("provider_change.contact_before_large_change", "provider_change.fact:large_org_change", "provider_change.fact:wanted_date"),
    "Utförarbyten sker vardagar under ordinarie öppettider, se meny till höger för installation och service öppettider.": ("provider_change.rule:weekdays_in_opening_hours", "provider_change.fact:wanted_date"),
    "För att kunna säkerställa trygghetslarmets funktionalitet ska utföraren alltid meddela enheten installation och service när den enskilde flyttar.": ("move.notify_installation",),
    "Har den enskilde nyckelfri hemtjänst ska låset också flyttas med.": ("move.lock_moves_too", "move.fact:lock"),
    "Du som utförare meddelar avslut av trygghetslarm genom Paraplysystemet.": ("termination.end_in_system",),
    "När det är klart behöver du kontakta enheten för installation och service skriftligen.": ("termination.rule:written_contact_after_system", "termination.notify_lock_removal", "termination.notify_ready_for_pickup"),
    "Återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat.": ("termination.return_keys", "termination.rule:keys_after_alarm", "termination.fact:keys_held"),
    "Du som utförare ska omgående meddela enheten för installation och service om den enskilde har ett låstillbehör för nyckelfri hemtjänst som behöver demonteras.": ("termination.notify_lock_removal", "termination.fact:lock"),
    "Då hämtar installation och service både trygghetslarmet och låset.": ("termination.alarm_and_lock_collected",),
    "Du som utförare hämtar trygghetslarmet hos den enskilde och meddelar enheten för installation och service skriftligen när trygghetslarmet är klart att hämta på utförarenheten.": ("termination.collect_alarm", "termination.notify_ready_for_pickup", "termination.alarm_picked_up"),
    "Här finns instruktioner till dig som utförare för återlämning av trygghetslarm till Stockholms trygghetsjour.": ("return_alarm", "return_alarm.alarm_returned"),
    "Stäng av trygghetslarmet genom att trycka tre sekunder på den grå knappen, på undersidan av apparaten.": ("return_alarm.switch_off", "return_alarm.fact:device"),
    "Linda ihop laddaren runt apparaten.": ("return_alarm.wind_charger",),
    "Koppla bort hals- eller armbandet från larmklockan.": ("return_alarm.detach_band",),
    "Lägg allt i en egen (separat) påse.": ("return_alarm.pack_separate_bag",),
    "Ladda ner och fyll i blanketten för nyinstallation, ändring eller avslut av trygghetslarm och skicka den via e-post till Stockholms trygghetsjour.": ("return_alarm.email_form",),
    "Blankett för nyinstallation, ändring eller avslut av trygghetslarm (pdf)": ("return_alarm.email_form",),
    "E-post: installationochservice@stockholm.se": ("return_alarm.email_form",),
    "Kom ihåg: Återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat.": ("return_alarm.return_keys", "return_alarm.rule:keys_after_alarm"),
    "Öppna locket på baksidan av larmet.": ("return_alarm.open_back_lid", "return_alarm.fact:device"),
    "Koppla bort sladden.": ("return_alarm.disconnect_cord",),
    "Lägg allt i en egen påse.": ("return_alarm.pack_own_bag",),
}

# Page text that instructs nothing: headings, introductions, links.
NOT_INSTRUCTIONS = {
    "Från beställning till installation",
    "Här hittar du som hemtjänstutförare information om beställning, installation, ändring och avslut av trygghetslarm och nyckelfri hemtjänst.",
    "Stockholms trygghetsjour",
    "Informera kunden och säkerställ tillgång till bostad",
    "Installation av trygghetslarm och lås",
    "Ändringar inom insatsen trygghetslarm och lås",
    "Ändringar som kan ske är",
    "Ändringar i larmkedjan",
    "Utförarbyte",
    "När den enskilde flyttar",
    "Avslut av trygghetslarm och lås",
    "Avslut när den enskilde har trygghetslarm och lås",
    "Avslut om den enskilde har trygghetslarm men inget lås",
    "Återlämning av trygghetslarm",
    "Läs mer om trygghetslarm",
    "Uppdaterad",
}

ROUTINES_BY_KEY = routine_catalog()


def _page_sentences() -> list[str]:
    sentences = []
    for line in PAGE.splitlines():
        line = re.sub(r"^\s*(\d+\.|•)\s*", "", line).strip()
        if line:
            sentences.extend(part.strip() for part in re.split(r"(?<=\.)\s+(?=[A-ZÅÄÖ])", line) if part.strip())
    return sentences


def _exists(data_id: str) -> bool:
    routine_key, _, rest = data_id.partition(".")
    routine = ROUTINES_BY_KEY.get(routine_key)
    if routine is None:
        return False
    if not rest:
        return True
    if rest == "decline":
        return routine.decline is not None
    if rest.startswith("rule:"):
        return any(rule.id == rest[5:] for rule in routine.rules)
    if rest.startswith("fact:"):
        return routine.fact(rest[5:]) is not None
    return routine.step(rest) is not None


def test_every_sentence_of_the_page_is_mapped_or_known_not_to_instruct():
    unmapped = [s for s in _page_sentences() if s not in PAGE_TO_DATA and s not in NOT_INSTRUCTIONS]
    assert unmapped == []


@pytest.mark.parametrize("sentence", list(PAGE_TO_DATA))
def test_mapped_sentence_is_on_the_page_and_its_ids_exist(sentence):
    assert _normalise(sentence) in PAGE_FLAT
    missing = [data_id for data_id in PAGE_TO_DATA[sentence] if not _exists(data_id)]
    assert missing == []


def _all_sources():
    for routine in ROUTINES:
        for source in routine.sources:
            yield routine.key, "routine", source
        for step in routine.steps:
            yield routine.key, step.id, step.source
        for rule in routine.rules:
            yield routine.key, f"rule:{rule.id}", rule.source
        if routine.decline:
            yield routine.key, "decline", routine.decline.source


@pytest.mark.parametrize("routine_key,item,source", list(_all_sources()))
def test_every_quoted_source_sentence_occurs_in_the_page(routine_key, item, source):
    assert _normalise(source) in PAGE_FLAT, f"{routine_key}.{item}"


def test_every_step_is_named_in_the_mapping():
    mapped = {data_id for ids in PAGE_TO_DATA.values() for data_id in ids}
    unmapped = [f"{r.key}.{s.id}" for r in ROUTINES for s in r.steps if f"{r.key}.{s.id}" not in mapped]
    assert unmapped == []


def test_routine_keys_and_step_ids():
    assert list(ROUTINES_BY_KEY) == [
        "new_order", "provider_change", "move", "takeover", "termination", "return_alarm", "alarm_chain",
    ]
    for routine in ROUTINES:
        ids = [step.id for step in routine.steps]
        assert len(ids) == len(set(ids)), routine.key
        for index, step in enumerate(routine.steps):
            for required in step.requires:
                # Prerequisites exist and come earlier, so the data reads top to bottom.
                assert required in ids[:index], f"{routine.key}.{step.id} requires {required}"
            for name, _ in step.when:
                assert routine.fact(name) is not None, f"{routine.key}.{step.id} uses unknown fact {name}"


def test_new_order_runs_1_to_4_with_each_preparation_before_the_step_that_waits_for_it():
    routine = ROUTINES_BY_KEY["new_order"]
    main = [s.id for s in routine.steps if s.phase == "main"]
    assert main == ["accept", "notify_installation", "installation_feedback", "activate"]
    # "säkerställa tillgång … innan kontakt med installation och service": before step 2.
    assert routine.step("notify_installation").requires == ("accept", "secure_access")
    # "Inför installationen … information": before step 3.
    assert routine.step("installation_feedback").requires == (
        "notify_installation", "inform_customer", "inform_lock_opening_cost")
    assert routine.step("activate").requires == ("installation_feedback",)
    assert routine.done_message == "Insatsen är igång."


def test_case_system_name_comes_from_configuration_not_from_step_texts():
    for routine in ROUTINES:
        for text in [routine.title, routine.summary] + [s.title + s.instruction for s in routine.steps] + [r.text for r in routine.rules]:
            assert "Paraply" not in text, text
    renamed = routine_catalog("Nya ärendesystemet")["new_order"]
    assert renamed.step("accept").title == "Acceptera beställningen i Nya ärendesystemet"
    assert routine_catalog()["new_order"].step("accept").title == "Acceptera beställningen i Paraplysystemet"


def test_contacts_are_structured_and_come_from_the_page():
    assert TRYGGHETSJOUR_EMAIL in PAGE and INSTALLATION_OCH_SERVICE_EMAIL in PAGE
    assert INSTALLATION_OCH_SERVICE_PHONE in PAGE and FORM in PAGE
    new_order = ROUTINES_BY_KEY["new_order"]
    notify = new_order.step("notify_installation")
    assert [c.link for c in notify.contacts_for({"priority": False})] == ["mailto:installationochservice@stockholm.se"]
    assert [c.link for c in notify.contacts_for({"priority": True})] == [
        "tel:+46850840613",
        "mailto:installationochservice@stockholm.se",
    ]
    assert notify.form == FORM
    assert new_order.decline.contact.address == "trygghetslarm@stockholm.se"
    # The page links an e-service for the alarm chain, not an e-mail: the bot offers none and says so.
    chain = ROUTINES_BY_KEY["alarm_chain"].step("report_to_trygghetsjour")
    assert chain.contacts == () and "e-tjänst" in chain.instruction
    for routine in ROUTINES:
        for step in routine.steps:
            for contact in step.contacts:
                assert contact.kind in ("email", "phone") and contact.address in PAGE and contact.purpose


def test_return_alarm_devices_are_named_by_what_tells_them_apart():
    device = ROUTINES_BY_KEY["return_alarm"].fact("device")
    assert [(c.value, c.label) for c in device.choices] == [
        ("grey_button", "Larm med grå knapp på undersidan"),
        ("back_lid", "Larm med lock på baksidan"),
    ]


def test_keys_steps_wait_for_an_alarm_return_step():
    for routine in ROUTINES:
        for step in routine.steps:
            if step.hands_back_keys:
                confirming = {s.id for s in routine.steps if s.confirms_alarm_returned}
                assert confirming and set(step.requires) & confirming, f"{routine.key}.{step.id}"


def test_the_domain_imports_no_bot_framework():
    domain_dir = Path(bot.domain.__file__).parent
    files = list(domain_dir.glob("*.py")) + [domain_dir.parent / "cases" / "service.py", domain_dir.parent / "cases" / "tables.py"]
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(botbuilder|botframework)", source, re.M), path.name
    for path in domain_dir.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+(bot\.config|sqlalchemy)", path.read_text(encoding="utf-8"), re.M), path.name
