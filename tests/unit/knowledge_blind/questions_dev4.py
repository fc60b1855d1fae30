# A fourth development batch, written from the city's page alone once the third showed few misses:
# very short queries, keywords only, two questions in one message, staff's own words for things.
# Same format as questions_written.py; ids k001... Written once to dev4.json (`python -m
# tests.unit.knowledge_blind.questions_dev4`); tune on it, never on test.json.
from tests.unit.knowledge_blind.facts import *  # noqa: F403 - the shared phrases, f/u/o and write_batch

QUESTIONS = [
    # --- keywords only
    f("order", "beställning larm", ACCEPT),
    f("order", "larmbeställning steg", ACCEPT, ACTIVATE),
    f("order", "aktivera paraply", ACTIVATE),
    f("decline", "neka beställning", DECLINE),
    f("decline", "avböja larm mejl", TJ_MAIL),
    f("prepare", "nycklar innan installation", ONE_COPY),
    f("prepare", "avstår nyckelfri", PAY_LOCK),
    f("install", "blankett namn", FORM_NAME),
    f("install", "prio larm telefon", PHONE),
    f("install", "IS mejl", IS_MAIL),
    f("changes", "ändringar trygghetslarm", PARAPLY_CHANGES),
    f("chain", "larmkedja", CHAIN),
    f("provider", "utförarbyte nycklar", KEYS_HOME),
    f("provider", "utförarbyte lås", ONE_HOUR),
    f("move", "flytt lås", LOCK_MOVES),
    f("end", "avslut larm", END_PARAPLY),
    f("end", "avslut utan lås", PROVIDER_FETCH),
    f("end", "avslut med lås", COLLECT_BOTH),
    f("return", "återlämning larm", GREY, LID),
    f("return", "grå knapp", GREY),
    f("return", "laddare", WIND),
    f("return", "påse larm", BAG),
    # --- two questions at once
    f("order", "vem installerar larmet och när aktiverar vi i paraply?", INSTALLS, ACTIVATE),
    f("end", "vid avslut utan lås, vem hämtar larmet och hur meddelar vi IS?", PROVIDER_FETCH, WRITTEN),
    f("provider", "utförarbyte: var lämnas nycklarna och när ska IS veta om låset?", KEYS_HOME, ONE_HOUR),
    f("return", "hur packar vi larmet och vart skickar vi blanketten?", BAG, IS_MAIL),
    f("move", "kunden flyttar och har lås, vad gäller för larmet och låset", ALWAYS_MOVE, LOCK_MOVES),
    f("prepare", "hur många nycklar ska vi ha och när lämnar vi tillbaka dem efter installationen", ONE_COPY, DECIDE_KEYS),
    # --- staff's own words
    f("order", "vi har fått ett nytt ärende om trygghetslarm i paraply, hur gör vi", ACCEPT),
    f("order", "när larmteknikern har varit hos kunden, vad gör vi då", ACTIVATE),
    f("decline", "vi har inte kapacitet för fler larmkunder, hur tackar vi nej", DECLINE),
    f("prepare", "brukaren vill inte ge ut sina nycklar, vad ska vi säga till hen", PAY_LOCK),
    f("install", "vilket nummer ringer vi om det är akut med ett larm", PHONE),
    f("install", "blanketten för nyinstallation, vart mejlar man den", IS_MAIL),
    f("changes", "övertag av larm, vad gör vi", ALL_CHANGES),
    f("chain", "anhörig ska läggas till i larmkedjan", CHAIN),
    f("provider", "brukaren har valt en annan hemtjänst, hur går överlämningen till", KEYS_HOME),
    f("provider", "vi har fått en ny kund från annan utförare och hen har digitalt lås", ONE_HOUR),
    f("move", "brukaren ska bo på ett nytt ställe, hur gör vi med trygghetslarmet", ALWAYS_MOVE),
    f("end", "brukaren har flyttat till säbo och ska inte ha larm, hur avslutar vi", END_PARAPLY),
    f("end", "när kan vi ge tillbaka husnycklarna efter att larmet avslutats", KEYS_WAIT),
    f("end", "ska IS komma och hämta låset eller gör vi det", COLLECT_BOTH),
    f("return", "hur returnerar vi en larmdosa med sladd", LID, CORD),
    f("return", "larmklockan ska tillbaka, vad gör jag med halsbandet", BAND),
    f("return", "måste laddaren följa med tillbaka", WIND),
    f("who", "vem fyller i blanketten vid återlämning", MAIL_FORM),
    f("who", "vem kontaktar installation och service vid avslut", WRITTEN),
    # --- the page does not say
    u("unknown", "öppettider IS"),
    u("unknown", "installationstid larm", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "pris lås"),
    u("unknown", "hur lång tid tar det innan låset är monterat", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "vad gör vi om blanketten blivit fel"),
    u("unknown", "kan man ångra ett avslut"),
    u("unknown", "vad händer om larmet går sönder"),
    # --- out of scope
    o("lunch"),
    o("semester ansökan"),
    o("schema nästa vecka"),
    o("wifi"),
    o("hur byter jag tangentbord på mobilen"),
    o("kan du ringa min kollega"),
    o("hur tar man blodtryck"),
    o("vad är klockan i new york"),
]


if __name__ == "__main__":
    write_batch(QUESTIONS, "k", "dev4.json")
