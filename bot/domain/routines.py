"""Every routine of the city's page "Från beställning till installation", as data.

This module is the one place to review the Swedish wording against the page (source_page.txt):
each step and rule quotes the sentence it comes from in `source`. `{system}` stands for the
city's case system (today Paraplysystemet), filled in from configuration by `routine_catalog`,
because the city is procuring a replacement. A changed phone number is an edit here, not code.

Reading guide: `requires` lists the steps that must be done first (steps that do not apply to a
case's facts are skipped); `when` says for which facts a step applies; `phase="preparation"`
marks the lettered preparation steps of a new order (the page numbers only steps 1-4).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from .timefmt import clock_text
from .model import (
    BeforeClosing,
    Choice,
    Contact,
    Decline,
    FactSpec,
    Immediately,
    Routine,
    Rule,
    Step,
    WithinConfiguredWorkingDays,
    WorkingDaysBeforeFact,
    when,
)

DEFAULT_CASE_SYSTEM_NAME = "Paraplysystemet"

# --- contacts and the form, exactly as the page gives them ------------------------------------

TRYGGHETSJOUR = "Stockholms trygghetsjour"
INSTALLATION_OCH_SERVICE = "Enheten för installation och service vid Stockholms trygghetsjour"
TRYGGHETSJOUR_EMAIL = "trygghetslarm@stockholm.se"
INSTALLATION_OCH_SERVICE_EMAIL = "installationochservice@stockholm.se"
INSTALLATION_OCH_SERVICE_PHONE = "08-508 40 613"
FORM = "Blankett för nyinstallation, ändring eller avslut av trygghetslarm och lås"


# --- what the page does not decide, and what the bot shows instead ---------------------------------
# Every contact offered on a step and every time taken from configuration is decided here, each
# with the page sentence or the setting it rests on; the cards show that basis next to it.

# The page gives installation och service's e-mail address with the form (in "Återlämning av
# trygghetslarm": "… skicka den via e-post … E-post: installationochservice@stockholm.se").
S_FORM_BY_EMAIL = (
    "Ladda ner och fyll i blanketten för nyinstallation, ändring eller avslut av trygghetslarm och "
    "skicka den via e-post till Stockholms trygghetsjour."
)
BASIS_FORM_EMAIL = "Sidan: blanketten skickas via e-post till installationochservice@stockholm.se."
BASIS_WRITTEN = "Sidan: kontakta installation och service skriftligen; e-postadressen är sidans."
BASIS_NO_CHANNEL = "Sidan anger ingen kanal för steget; adressen är sidans e-post till installation och service."
BASIS_PRIORITY_PHONE = (
    "Sidan: prioriterad beställning – installation och service kontaktas på telefon 08-508 40 613 "
    "(sidan ger numret bara för prioriterade beställningar)."
)
BASIS_DECLINE = "Sidan: meddelas omgående till Stockholms trygghetsjour via e-post, trygghetslarm@stockholm.se."
# Ändringar i larmkedjan: the page links an e-service the bot does not have, and names no e-mail.
S_ALARM_CHAIN = "Här kan hemtjänstutförare meddela ändringar i larmkedjor till Stockholms trygghetsjour."
ALARM_CHAIN_NO_CHANNEL = (
    "Sidan hänvisar till stadens e-tjänst för ändringar i larmkedjan (länken finns på stadens sida, inte i "
    "Larmlotsen). Sidan anger ingen e-post eller telefon för det här steget."
)
# Page sentences whose channel is a link on the city's page that the bot does not have: no card
# and no quick answer offers an address with them (the page names none); each shows its note.
CHANNEL_ONLY_ON_PAGE = {S_ALARM_CHAIN: ALARM_CHAIN_NO_CHANNEL}

# Settings shown to users, with what they stand for ({value} is filled in from configuration).
# The page gives no opening hours ("se meny till höger"), no interval for "omgående" and no time
# for the installation feedback.
SETTING_BASIS = {
    "closing_time": "om installation och service stänger kl. {value} (inställning)",
    "opening_hours": "installation och service öppettider vardagar kl. {value} (inställning)",
    "immediate_within_hours": "påminnelse efter {value} arbetstimmar (inställning)",
    "install_feedback_working_days": "sidan anger ingen tid – påminnelse efter {value} arbetsdagar (inställning)",
    "reminder_lead_minutes": "påminnelse {value} minuter före tidsgränsen (inställning)",
    # The page says nothing of a daily digest: its time is the bot's own.
    "digest_time": "vardagar från kl. {value} (inställning)",
}


def digest_schedule(digest_time: time) -> str:
    """When the daily digest comes, as a setting: "vardagar från kl. 08:30 (inställning)"."""
    return SETTING_BASIS["digest_time"].format(value=clock_text(digest_time))


def _email_trygghetsjour(purpose: str, mail: str) -> Contact:
    return Contact("email", TRYGGHETSJOUR_EMAIL, TRYGGHETSJOUR, purpose, basis=BASIS_DECLINE, mail=mail)


def _form_email(purpose: str, mail: str, **facts) -> Contact:
    """The form, sent by e-mail to the address the page gives with it."""
    return Contact("email", INSTALLATION_OCH_SERVICE_EMAIL, INSTALLATION_OCH_SERVICE, purpose, when(**facts),
                   basis=BASIS_FORM_EMAIL, mail=mail)


def _written_email(purpose: str, mail: str, **facts) -> Contact:
    """A step the page says to do "skriftligen": e-mail to the unit's address on the page."""
    return Contact("email", INSTALLATION_OCH_SERVICE_EMAIL, INSTALLATION_OCH_SERVICE, purpose, when(**facts),
                   basis=BASIS_WRITTEN, mail=mail)


def _unit_email(purpose: str, mail: str, **facts) -> Contact:
    """The page names no channel for the step: the unit's e-mail, marked as such."""
    return Contact("email", INSTALLATION_OCH_SERVICE_EMAIL, INSTALLATION_OCH_SERVICE, purpose, when(**facts),
                   basis=BASIS_NO_CHANNEL, page_tied=False, mail=mail)


def _priority_phone(purpose: str) -> Contact:
    return Contact("phone", INSTALLATION_OCH_SERVICE_PHONE, INSTALLATION_OCH_SERVICE, purpose, when(priority=True),
                   basis=BASIS_PRIORITY_PHONE)


SEND_FORM = "Skicka blanketten till installation och service."

# --- the page's sentences used more than once ----------------------------------------------------

S_CHANGES_VIA_SYSTEM = (
    "När ändringar sker inom insatsen trygghetslarm och lås informeras utföraren genom Paraplysystemet."
)
S_ALL_CHANGES_FORM = (
    "Vid samtliga ändringar ska utföraren informera enheten för installation och service via blanketten nedan."
)
S_WHY_REPORT_CHANGES = (
    "Genom att anmäla ändringar säkerställer utföraren tryggheten för den enskilde, rätt behörigheter "
    "för nyckelfri hemtjänst och tillgången till bostaden."
)
S_KEYS_AFTER_ALARM = "Återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat."
S_KEYS_REMEMBER = "Kom ihåg: Återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat."
S_NO_LOCK_COLLECT = (
    "Du som utförare hämtar trygghetslarmet hos den enskilde och meddelar enheten för installation och "
    "service skriftligen när trygghetslarmet är klart att hämta på utförarenheten."
)
S_RETURN_FORM = (
    "Ladda ner och fyll i blanketten för nyinstallation, ändring eller avslut av trygghetslarm och "
    "skicka den via e-post till Stockholms trygghetsjour."
)

# --- shared facts ----------------------------------------------------------------------------------

FACT_LOCK = FactSpec(
    "lock", "bool", "Har kunden ett låstillbehör för nyckelfri hemtjänst?",
    yes_label="Ja, kunden har låstillbehör", no_label="Nej, inget låstillbehör",
)
FACT_KEYS_HELD = FactSpec(
    "keys_held", "bool", "Har ni kundens nycklar som ska lämnas tillbaka?", default=True,
    yes_label="Ja, vi har kundens nycklar", no_label="Nej, vi har inga nycklar",
)

CHANGE_RULES = (
    Rule("changes_arrive_in_system", "Ändringar i insatsen får du som utförare genom {system}.", S_CHANGES_VIA_SYSTEM),
    Rule(
        "changes_reported_with_form",
        "Varje ändring ska du meddela enheten för installation och service med blanketten.",
        S_ALL_CHANGES_FORM,
    ),
    Rule(
        "why_report_changes",
        "Anmälan tryggar kunden, ger rätt behörigheter för nyckelfri hemtjänst och säkrar tillgången till bostaden.",
        S_WHY_REPORT_CHANGES,
    ),
)

# =====================================================================================================
# Ny beställning
# Steps are listed in the order they are done: securing access comes before step 2 ("innan kontakt
# med installation och service"), informing the customer before step 3 ("Inför installationen").
# =====================================================================================================

NEW_ORDER = Routine(
    key="new_order",
    title="Ny beställning av trygghetslarm",
    summary="Acceptera, meddela installation och service, invänta installationen och aktivera – i den ordningen.",
    sources=(
        "Stockholms trygghetsjour hanterar beställning av trygghetslarm till utföraren.",
        "I den här ordningen ska utföraren hantera en beställning av trygghetslarm:",
    ),
    facts=(
        FactSpec(
            "priority", "bool", "Är det en prioriterad beställning?", default=False,
            yes_label="Ja, prioriterad beställning", no_label="Nej, inte prioriterad",
        ),
        # Stored the way the page puts the exception; asked the plain way round.
        FactSpec(
            "declines_keys_and_keyless",
            "bool",
            "Lämnar kunden ut ett exemplar av sina hemnycklar till er?",
            default=False,
            yes_label="Ja, ett exemplar av nycklarna",
            no_label="Nej, kunden avstår både nycklar och nyckelfri hemtjänst",
            yes_means=False,
        ),
    ),
    steps=(
        Step(
            "accept",
            "Acceptera beställningen i {system}",
            source="Utföraren accepterar beställningen i Paraplysystemet.",
        ),
        Step(
            "secure_access",
            "Säkra tillgången till bostaden: hämta ett (1) exemplar av kundens hemnycklar",
            instruction=(
                "Tillgången till bostaden ska vara säkrad innan du kontaktar installation och service. När "
                "installationen är klar avgör ni när nycklarna lämnas tillbaka."
            ),
            source=(
                "För att säkra tillgång till den enskildes bostad innan nyckelfri hemtjänst är installerat "
                "behöver utföraren inhämta ett (1) exemplar av den enskildes hemnycklar."
            ),
            when=when(declines_keys_and_keyless=False),
            phase="preparation",
        ),
        Step(
            "notify_installation",
            "Meddela installation och service med blanketten",
            instruction="Beställ installation av trygghetslarm och lås genom att skicka blanketten till installation och service.",
            source=(
                "Utföraren meddelar enheten för installation och service vid Stockholms trygghetsjour "
                "genom larmblanketten."
            ),
            # Order of steps 1-4 ("I den här ordningen"), and access first ("innan kontakt med
            # installation och service").
            requires=("accept", "secure_access"),
            contacts=(
                _priority_phone("Prioriterad beställning: ring installation och service."),
                _form_email(
                    SEND_FORM,
                    "Vi beställer installation av trygghetslarm{lock_text} enligt bifogad blankett.{priority_text}",
                ),
            ),
            form=FORM,
        ),
        Step(
            "inform_customer",
            "Informera kunden om trygghetslarmet och nyckelfri hemtjänst",
            instruction="Före installationen.",
            source=(
                "Inför installationen behöver du som utförare säkerställa att kunden får information om "
                "trygghetslarmet och nyckelfri hemtjänst."
            ),
            phase="preparation",
        ),
        Step(
            "inform_lock_opening_cost",
            "Informera kunden om att hen själv betalar en eventuell låsöppning",
            instruction=(
                "Kunden lämnar inte ut nycklar och avstår från nyckelfri hemtjänst. Berätta att kunden själv "
                "får betala en eventuell låsöppning när larmet går och hemtjänsten behöver ta sig in i bostaden."
            ),
            source=(
                "Om den enskilde väljer att inte lämna ut nycklar och avstå från nyckelfri hemtjänst behöver du "
                "som utförare informera om att den enskilde själv kommer att få betala en eventuell låsöppning "
                "vid larm och hemtjänsten behöver ta sig in i bostaden."
            ),
            when=when(declines_keys_and_keyless=True),
            phase="preparation",
        ),
        Step(
            "installation_feedback",
            "Installation och service har installerat trygghetslarmet och återkopplat",
            source=(
                "Enheten för installation och service installerar trygghetslarmet och återkopplar därefter "
                "till utföraren."
            ),
            # Informing the customer comes "Inför installationen".
            requires=("notify_installation", "inform_customer", "inform_lock_opening_cost"),
            deadline=WithinConfiguredWorkingDays("install_feedback_working_days"),
        ),
        Step(
            "activate",
            "Aktivera beställningen i {system}",
            source="Utföraren aktiverar beställningen i Paraplysystemet.",
            requires=("installation_feedback",),
        ),
    ),
    rules=(
        Rule(
            "strict_order",
            "Stegen 1–4 görs i ordning: acceptera, meddela installation och service, installation och återkoppling, aktivera.",
            "I den här ordningen ska utföraren hantera en beställning av trygghetslarm:",
        ),
        Rule(
            "access_before_installation_contact",
            "Säkra tillgången till kundens bostad innan du kontaktar installation och service.",
            (
                "Du som utförare behöver också säkerställa tillgång till den enskildes bostad innan kontakt "
                "med installation och service på Stockholms trygghetsjour."
            ),
        ),
        Rule(
            "inform_before_installation",
            "Informera kunden om trygghetslarmet och nyckelfri hemtjänst före installationen.",
            (
                "Inför installationen behöver du som utförare säkerställa att kunden får information om "
                "trygghetslarmet och nyckelfri hemtjänst."
            ),
        ),
        Rule(
            "order_installation_with_form",
            "Du beställer installation av trygghetslarm och lås genom att skicka in blanketten.",
            (
                "Du som utförare beställer installation av trygghetslarm och lås genom att skicka in en "
                "blankett för installation."
            ),
        ),
        Rule(
            "priority_order_by_phone",
            f"Prioriterad beställning: kontakta installation och service på telefon {INSTALLATION_OCH_SERVICE_PHONE}.",
            (
                "Får utföraren en prioriterad beställning av trygghetslarm, ska installation och service "
                "kontaktas på telefon 08-508 40 613."
            ),
            when=when(priority=True),
        ),
        Rule(
            "keys_back_when_provider_decides",
            "När installationen är klar avgör du när kundens hemnycklar lämnas tillbaka.",
            (
                "När installationen är klar avgör utföraren när de är redo att lämna tillbaka den enskildes "
                "hemnycklar."
            ),
            when=when(declines_keys_and_keyless=False),
        ),
    ),
    done_message="Insatsen är igång.",
    decline=Decline(
        title="Tacka nej till beställningen",
        instruction="Meddela Stockholms trygghetsjour omgående via e-post att du inte accepterar beställningen.",
        contact=_email_trygghetsjour(
            "Meddela omgående att beställningen inte accepteras.",
            "Vi meddelar att vi inte accepterar beställningen av trygghetslarm.{reason_text}",
        ),
        source=(
            "Om du som utförare av någon anledning inte accepterar beställningen måste detta omgående "
            "meddelas till Stockholms trygghetsjour via e-post."
        ),
        allowed_until_step="accept",
    ),
)

# =====================================================================================================
# Ändringar: utförarbyte, flytt, övertagande, avslut
# The page orders no step after "receiving the notice in the case system": the notice is how the
# provider learns of the change, so the steps to report it are not gated on ticking it.
# =====================================================================================================

PROVIDER_CHANGE = Routine(
    key="provider_change",
    title="Utförarbyte",
    summary="Kunden byter utförare. Nycklarna lämnas över hos kunden; har kunden lås ska installation och service veta det omgående.",
    sources=("utförarbyten",),
    facts=(
        # Asked first, with the date right after: a too-early date is told at once.
        FactSpec(
            "large_org_change",
            "bool",
            "Är bytet en del av en större organisatorisk förändring i utförarkedjan?",
            default=False,
            yes_label="Ja, en större organisatorisk förändring",
            no_label="Nej, ett enskilt byte",
        ),
        FactSpec(
            "wanted_date",
            "date",
            "Vilket datum önskas bytet?",
            required_when=when(large_org_change=True),
            note=(
                "Vid större organisatoriska förändringar ska installation och service kontaktas minst fem "
                "arbetsdagar före önskat byte. Utförarbyten sker vardagar."
            ),
            working_day_only=True,  # "Utförarbyten sker vardagar under ordinarie öppettider"
        ),
        FactSpec(
            "provider_role",
            "choice",
            "Är ni den utförare som lämnar eller den som tar emot kunden?",
            choices=(Choice("leaving", "Vi lämnar (tidigare utförare)"), Choice("receiving", "Vi tar emot (ny utförare)")),
        ),
        FACT_LOCK,
        FactSpec(
            "keys_handover",
            "bool",
            "Finns det nycklar till kunden som ska lämnas över vid bytet?",
            default=True,
            yes_label="Ja, nycklar lämnas över hos kunden",
            no_label="Nej, inga nycklar att lämna över",
            missing_means=True,  # cases from before the question: handover as then
        ),
    ),
    steps=(
        Step(
            "change_notice_received",
            "Ta emot meddelandet om utförarbytet i {system}",
            source=(
                "När den enskilde vill byta utförare får både den gamla och den nya utföraren meddelande "
                "genom Paraplysystemet."
            ),
        ),
        Step(
            "contact_before_large_change",
            "Kontakta installation och service minst fem arbetsdagar före önskat byte",
            instruction="Bytet är en del av en större organisatorisk förändring i utförarkedjan.",
            source=(
                "Vid större organisatoriska förändringar i utförarkedjan krävs att utföraren tar kontakt "
                "minst fem arbetsdagar innan önskat byte."
            ),
            when=when(large_org_change=True),
            contacts=(
                _unit_email(
                    "Kontakta om den större organisatoriska förändringen.",
                    "Vi meddelar att kunden byter utförare som en del av en större organisatorisk förändring i "
                    "utförarkedjan. Önskat datum för bytet: {wanted_date}.{role_text}",
                ),
            ),
            deadline=WorkingDaysBeforeFact("wanted_date", 5),
            when_late=(
                "Kontakta installation och service nu och tala om att bytet har kortare framförhållning än fem "
                "arbetsdagar."
            ),
        ),
        Step(
            "notify_lock",
            "Meddela installation och service omgående att kunden har låstillbehör för nyckelfri hemtjänst",
            instruction="Omgående, och minst en timme före stängning.",
            source=(
                "Utföraren ska omgående meddela enheten för installation och service, minst en timme innan "
                "stängning, om den enskilde har ett låstillbehör för nyckelfri hemtjänst."
            ),
            when=when(lock=True),
            contacts=(
                _unit_email(
                    "Meddela omgående om låstillbehöret.",
                    "Vi meddelar att kunden byter utförare och har ett låstillbehör för nyckelfri hemtjänst."
                    "{role_text}",
                ),
            ),
            deadline=BeforeClosing(timedelta(hours=1)),
            when_late=(
                "Meddela installation och service nu ändå, och skriv att meddelandet kommer efter tidsgränsen."
            ),
        ),
        Step(
            "send_change_form",
            "Meddela utförarbytet till installation och service med blanketten",
            source=S_ALL_CHANGES_FORM,
            contacts=(
                _form_email(SEND_FORM, "Vi meddelar att kunden byter utförare.{role_text} Blanketten är bifogad."),
            ),
            form=FORM,
        ),
        Step(
            "hand_over_keys",
            "Lämna över kundens nycklar till den nya utföraren hemma hos kunden",
            source="Överlämning av nycklar sker hos den enskilde.",
            when=when(provider_role="leaving", keys_handover=True),
        ),
        Step(
            "receive_keys",
            "Ta emot kundens nycklar från den tidigare utföraren hemma hos kunden",
            source="Överlämning av nycklar sker hos den enskilde.",
            when=when(provider_role="receiving", keys_handover=True),
        ),
    ),
    rules=CHANGE_RULES
    + (
        Rule(
            "weekdays_in_opening_hours",
            "Utförarbyten sker vardagar under installation och service ordinarie öppettider.",
            (
                "Utförarbyten sker vardagar under ordinarie öppettider, se meny till höger för installation "
                "och service öppettider."
            ),
        ),
    ),
    done_message="Utförarbytet är klart.",
)

MOVE = Routine(
    key="move",
    title="Kunden flyttar",
    summary="Meddela alltid installation och service när kunden flyttar; ett lås flyttas med.",
    sources=("att den enskilde flyttar",),
    facts=(FACT_LOCK,),
    steps=(
        Step("move_notice_received", "Ta emot meddelandet om flytten i {system}", source=S_CHANGES_VIA_SYSTEM),
        Step(
            "notify_installation",
            "Meddela installation och service om flytten med blanketten",
            source=(
                "För att kunna säkerställa trygghetslarmets funktionalitet ska utföraren alltid meddela enheten "
                "installation och service när den enskilde flyttar."
            ),
            contacts=(_form_email(SEND_FORM, "Vi meddelar att kunden flyttar. Blanketten är bifogad."),),
            form=FORM,
        ),
        Step(
            "lock_moves_too",
            "Meddela installation och service att låset ska flyttas med",
            source="Har den enskilde nyckelfri hemtjänst ska låset också flyttas med.",
            when=when(lock=True),
            contacts=(
                _form_email(
                    "Meddela att låset ska flyttas med till den nya bostaden.",
                    "Vi meddelar att kunden flyttar och har nyckelfri hemtjänst: låset ska flyttas med till den "
                    "nya bostaden.",
                ),
            ),
            form=FORM,
        ),
    ),
    rules=CHANGE_RULES,
    done_message="Flytten är anmäld.",
)

TAKEOVER = Routine(
    key="takeover",
    title="Övertagande av befintligt trygghetslarm",
    summary="Ett trygghetslarm som redan finns i bostaden tas över; meddela installation och service.",
    sources=("övertagande av befintligt trygghetslarm i bostaden",),
    facts=(),
    steps=(
        Step(
            "takeover_notice_received",
            "Ta emot meddelandet om övertagandet i {system}",
            source=S_CHANGES_VIA_SYSTEM,
        ),
        Step(
            "send_change_form",
            "Meddela övertagandet till installation och service med blanketten",
            source=S_ALL_CHANGES_FORM,
            contacts=(
                _form_email(
                    SEND_FORM,
                    "Vi meddelar att vi tar över ett befintligt trygghetslarm i kundens bostad. Blanketten är bifogad.",
                ),
            ),
            form=FORM,
        ),
    ),
    rules=CHANGE_RULES,
    done_message="Övertagandet är anmält.",
)

TERMINATION = Routine(
    key="termination",
    title="Avslut av trygghetslarm och lås",
    summary="Meddela avslutet i {system} och sedan skriftligen till installation och service. Kundens nycklar lämnas inte tillbaka förrän larmet är återlämnat.",
    sources=("avslut av trygghetslarm och demontering av låstillbehör för nyckelfri hemtjänst.",),
    facts=(FACT_LOCK, FACT_KEYS_HELD),
    steps=(
        Step(
            "end_in_system",
            "Meddela avslutet i {system}",
            source="Du som utförare meddelar avslut av trygghetslarm genom Paraplysystemet.",
        ),
        # Without a lock: the provider collects the alarm (the page sets no order for that) …
        Step(
            "collect_alarm",
            "Hämta trygghetslarmet hos kunden",
            source=S_NO_LOCK_COLLECT,
            when=when(lock=False),
        ),
        # With a lock: installation och service collects both alarm and lock.
        Step(
            "notify_lock_removal",
            "Meddela installation och service skriftligen och omgående att låstillbehöret ska demonteras",
            source=(
                "Du som utförare ska omgående meddela enheten för installation och service om den enskilde har "
                "ett låstillbehör för nyckelfri hemtjänst som behöver demonteras."
            ),
            # "När det är klart behöver du kontakta enheten för installation och service skriftligen."
            requires=("end_in_system",),
            when=when(lock=True),
            contacts=(
                _written_email(
                    "Meddela skriftligen att låstillbehöret ska demonteras.",
                    "Vi meddelar avslut av trygghetslarm. Kunden har ett låstillbehör för nyckelfri hemtjänst som "
                    "behöver demonteras. Avslutet är meddelat i {system}.",
                ),
            ),
            form=FORM,
            deadline=Immediately(),
        ),
        Step(
            "alarm_and_lock_collected",
            "Installation och service har hämtat trygghetslarmet och låset",
            source="Då hämtar installation och service både trygghetslarmet och låset.",
            requires=("notify_lock_removal",),
            when=when(lock=True),
            confirms_alarm_returned=True,
        ),
        # … and tells installation och service in writing, after the end is in the case system.
        Step(
            "notify_ready_for_pickup",
            "Meddela installation och service skriftligen att trygghetslarmet är klart att hämta på utförarenheten",
            source=S_NO_LOCK_COLLECT,
            requires=("end_in_system", "collect_alarm"),
            when=when(lock=False),
            contacts=(
                _written_email(
                    "Meddela skriftligen att trygghetslarmet är klart att hämta.",
                    "Vi meddelar avslut av trygghetslarm. Trygghetslarmet är klart att hämta på vår "
                    "utförarenhet. Avslutet är meddelat i {system}.",
                ),
            ),
            form=FORM,
        ),
        Step(
            "alarm_picked_up",
            "Installation och service har hämtat trygghetslarmet på utförarenheten",
            source=S_NO_LOCK_COLLECT,
            requires=("notify_ready_for_pickup",),
            when=when(lock=False),
            confirms_alarm_returned=True,
        ),
        Step(
            "return_keys",
            "Lämna tillbaka kundens nycklar",
            instruction="Först när trygghetslarmet är återlämnat.",
            source=S_KEYS_AFTER_ALARM,
            requires=("alarm_and_lock_collected", "alarm_picked_up"),
            when=when(keys_held=True),
            hands_back_keys=True,
        ),
    ),
    rules=CHANGE_RULES
    + (
        Rule(
            "written_contact_after_system",
            "När avslutet är meddelat i {system} kontaktar du installation och service skriftligen.",
            "När det är klart behöver du kontakta enheten för installation och service skriftligen.",
        ),
        Rule("keys_after_alarm", "Lämna inte tillbaka kundens nycklar förrän trygghetslarmet är återlämnat.", S_KEYS_AFTER_ALARM),
    ),
    done_message="Avslutet är klart.",
)

# =====================================================================================================
# Återlämning av trygghetslarm – two devices; the page lost their headings, so they are named by
# what tells them apart.
# =====================================================================================================

GREY_BUTTON = "grey_button"
BACK_LID = "back_lid"

RETURN_ALARM = Routine(
    key="return_alarm",
    title="Återlämning av trygghetslarm",
    summary="Stäng av och packa larmet, skicka blanketten med e-post. Kundens nycklar lämnas inte tillbaka förrän larmet är återlämnat.",
    sources=(
        "Här finns instruktioner till dig som utförare för återlämning av trygghetslarm till Stockholms trygghetsjour.",
    ),
    facts=(
        FactSpec(
            "device",
            "choice",
            "Vilket larm ska återlämnas?",
            choices=(
                Choice(GREY_BUTTON, "Larm med grå knapp på undersidan"),
                Choice(BACK_LID, "Larm med lock på baksidan"),
            ),
        ),
        FACT_KEYS_HELD,
    ),
    steps=(
        Step(
            "switch_off",
            "Stäng av trygghetslarmet: tryck tre sekunder på den grå knappen på undersidan av apparaten",
            source=(
                "Stäng av trygghetslarmet genom att trycka tre sekunder på den grå knappen, på undersidan av "
                "apparaten."
            ),
            when=when(device=GREY_BUTTON),
        ),
        Step(
            "wind_charger",
            "Linda ihop laddaren runt apparaten",
            source="Linda ihop laddaren runt apparaten.",
            requires=("switch_off",),
            when=when(device=GREY_BUTTON),
        ),
        Step(
            "detach_band",
            "Koppla bort hals- eller armbandet från larmklockan",
            source="Koppla bort hals- eller armbandet från larmklockan.",
            requires=("wind_charger",),
            when=when(device=GREY_BUTTON),
        ),
        Step(
            "pack_separate_bag",
            "Lägg allt i en egen (separat) påse",
            source="Lägg allt i en egen (separat) påse.",
            requires=("detach_band",),
            when=when(device=GREY_BUTTON),
        ),
        Step(
            "open_back_lid",
            "Öppna locket på baksidan av larmet",
            source="Öppna locket på baksidan av larmet.",
            when=when(device=BACK_LID),
        ),
        Step(
            "disconnect_cord",
            "Koppla bort sladden",
            source="Koppla bort sladden.",
            requires=("open_back_lid",),
            when=when(device=BACK_LID),
        ),
        Step(
            "pack_own_bag",
            "Lägg allt i en egen påse",
            source="Lägg allt i en egen påse.",
            requires=("disconnect_cord",),
            when=when(device=BACK_LID),
        ),
        Step(
            "email_form",
            "Fyll i blanketten och skicka den med e-post till installation och service",
            source=S_RETURN_FORM,
            requires=("pack_separate_bag", "pack_own_bag"),
            contacts=(
                Contact(
                    "email", INSTALLATION_OCH_SERVICE_EMAIL, INSTALLATION_OCH_SERVICE,
                    "Skicka den ifyllda blanketten om återlämningen.",
                    basis="Sidan: skicka blanketten via e-post, installationochservice@stockholm.se.",
                    mail="Vi återlämnar ett trygghetslarm. Den ifyllda blanketten är bifogad.",
                ),
            ),
            form=FORM,
        ),
        Step(
            "alarm_returned",
            "Trygghetslarmet är återlämnat till Stockholms trygghetsjour",
            source=(
                "Här finns instruktioner till dig som utförare för återlämning av trygghetslarm till "
                "Stockholms trygghetsjour."
            ),
            requires=("email_form",),
            confirms_alarm_returned=True,
        ),
        Step(
            "return_keys",
            "Lämna tillbaka kundens nycklar",
            instruction="Först när trygghetslarmet är återlämnat.",
            source=S_KEYS_REMEMBER,
            requires=("alarm_returned",),
            when=when(keys_held=True),
            hands_back_keys=True,
        ),
    ),
    rules=(Rule("keys_after_alarm", "Lämna inte tillbaka kundens nycklar förrän trygghetslarmet är återlämnat.", S_KEYS_REMEMBER),),
    done_message="Trygghetslarmet är återlämnat.",
)

# =====================================================================================================
# Ändringar i larmkedjan
# =====================================================================================================

ALARM_CHAIN = Routine(
    key="alarm_chain",
    title="Ändringar i larmkedjan",
    summary="Ändringar i larmkedjan meddelas till Stockholms trygghetsjour genom stadens e-tjänst.",
    sources=("Ändringar i larmkedjan",),
    facts=(),
    steps=(
        Step(
            "report_to_trygghetsjour",
            "Meddela ändringen i larmkedjan till Stockholms trygghetsjour",
            instruction=CHANNEL_ONLY_ON_PAGE[S_ALARM_CHAIN],
            source=S_ALARM_CHAIN,
        ),
    ),
    done_message="Ändringen i larmkedjan är meddelad.",
)

ROUTINES: tuple[Routine, ...] = (NEW_ORDER, PROVIDER_CHANGE, MOVE, TAKEOVER, TERMINATION, RETURN_ALARM, ALARM_CHAIN)


def routine_catalog(case_system_name: str = DEFAULT_CASE_SYSTEM_NAME) -> dict[str, Routine]:
    """Every routine by key, with `{system}` replaced by the configured case system's name."""
    return {routine.key: _with_system_name(routine, case_system_name) for routine in ROUTINES}


def _with_system_name(routine: Routine, name: str) -> Routine:
    def fill(text: str) -> str:
        return text.replace("{system}", name)

    return replace(
        routine,
        title=fill(routine.title),
        summary=fill(routine.summary),
        steps=tuple(
            replace(
                step,
                title=fill(step.title),
                instruction=fill(step.instruction),
                contacts=tuple(replace(contact, mail=fill(contact.mail)) for contact in step.contacts),
            )
            for step in routine.steps
        ),
        rules=tuple(replace(rule, text=fill(rule.text)) for rule in routine.rules),
    )
