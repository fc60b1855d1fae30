# A third development batch, written from the city's page alone once the second batch showed few
# misses: longer messages with context, abbreviations, two questions at once, neighbouring topics.
# Same format as questions_written.py; ids m001... Written once to dev3.json (`python -m
# tests.unit.knowledge_blind.questions_dev3`); tune on it, never on test.json.
from tests.unit.knowledge_blind.facts import *  # noqa: F403 - the shared phrases, f/u/o and write_batch

QUESTIONS = [
    # --- new order, in context
    f("order", "hej! vi har fått en ny kund som ska ha trygghetslarm, hur gör vi med beställningen?", ACCEPT, FORM_STEP),
    f("order", "beställningen ligger i paraply, ska vi godkänna den där?", ACCEPT),
    f("order", "jag är ny på jobbet, vad är första steget när ett larm beställs", ACCEPT),
    f("order", "i vilken ordning ska vi göra saker när det kommer en larmbeställning", ACCEPT, ACTIVATE),
    f("order", "vi har accepterat och skickat blanketten, vad väntar vi på nu", INSTALLS),
    f("order", "larmet är uppsatt hos brukaren, behöver vi göra nåt mer i systemet", ACTIVATE),
    f("order", "när räknas insatsen som igång", RUNNING),
    f("order", "ska vi aktivera innan eller efter installationen", ACTIVATE),
    f("order", "vad gör vi när installation och service har satt upp larmet", ACTIVATE),
    f("order", "vem hanterar larmbeställningar till utförarna", ["stockholms trygghetsjour hanterar beställning"]),
    f("order", "hur meddelar vi IS att kunden ska ha larm", FORM_STEP),
    f("order", "steg 4 beställning", ACTIVATE),
    f("order", "vad är steg ett när en beställning kommer in", ACCEPT),
    # --- declining
    f("decline", "vi har inte personal att ta kunden, får vi säga nej till beställningen", DECLINE),
    f("decline", "om vi inte kan acceptera larmbeställningen, vem mejlar vi", TJ_MAIL),
    f("decline", "neka bestallning trygghetslarm", DECLINE, TJ_MAIL),
    f("decline", "hur meddelar vi att vi inte accepterar en beställning", DECLINE, VIA_MAIL),
    # --- preparation, keys, access
    f("prepare", "måste vi informera brukaren om larmet innan det installeras", INFORM),
    f("prepare", "hur många exemplar av nycklarna behöver vi", ONE_COPY),
    f("prepare", "får vi behålla nyckeln efter att låset installerats", DECIDE_KEYS),
    f("prepare", "brukaren vägrar lämna ut nycklar och vill inte ha nyckelfritt, vad gäller då", PAY_LOCK),
    f("prepare", "vad händer om kunden inte vill ha nyckelfri hemtjänst och inte ger oss nycklar", PAY_LOCK),
    f("prepare", "innan vi kontaktar installation och service, vad måste vara klart", ACCESS),
    f("prepare", "ska vi ha en nyckel innan låset är installerat", ONE_COPY),
    f("prepare", "vem avgör när hemnycklarna lämnas tillbaka efter installationen", DECIDE_KEYS),
    # --- form, contacts, priority
    f("install", "vad heter blanketten man ska fylla i", FORM_NAME),
    f("install", "var hittar jag blanketten för avslut", FORM_NAME),
    f("install", "till vilken adress mejlar man blanketten", IS_MAIL),
    f("install", "har IS något telefonnummer", PHONE),
    f("install", "det är bråttom med ett larm, vem ringer vi", PHONE),
    f("install", "prioriterad beställning av trygghetslarm vad gäller", PHONE),
    f("install", "hur beställer vi installation av lås", ORDER_FORM),
    f("install", "epostadress till installation och service tack", IS_MAIL),
    f("install", "vilket nummer har installation och service", PHONE),
    f("install", "ska blanketten till trygghetsjouren eller installation och service", IS_ANY),
    # --- changes, takeover
    f("changes", "hur informeras vi om förändringar i kundens larm", PARAPLY_CHANGES),
    f("changes", "vad för ändringar kan komma via paraply", KINDS, TAKEOVER),
    f("changes", "ska alla ändringar anmälas med blanketten", ALL_CHANGES),
    f("changes", "varför är det viktigt att anmäla ändringar till IS", WHY_REPORT),
    f("changes", "kunden har redan ett trygghetslarm hemma sen tidigare, vad gör vi", ALL_CHANGES),
    f("changes", "vi tar över ett befintligt trygghetslarm, ska IS informeras", ALL_CHANGES),
    # --- alarm chain
    f("chain", "dottern ska inte längre stå i larmkedjan, vem meddelar vi", CHAIN),
    f("chain", "ny kontaktperson i larmkedjan hur anmäler jag det", CHAIN),
    f("chain", "vart skickar man ändringar av larmkedja", TJ_ANY),
    # --- provider change
    f("provider", "kunden byter från oss till ett annat företag, vad ska vi tänka på", BOTH, KEYS_HOME),
    f("provider", "vi är nya utförare för en kund med nyckelfritt, vad måste vi göra", ONE_HOUR),
    f("provider", "var ska nycklarna överlämnas när kunden byter utförare", KEYS_HOME),
    f("provider", "hur får vi reda på att en kund bytt utförare", BOTH),
    f("provider", "går det att göra utförarbyte en söndag", WEEKDAYS),
    f("provider", "vi tar över ett helt område med kunder, hur lång tid innan ska vi kontakta IS", FIVE_DAYS),
    f("provider", "hur snabbt måste vi meddela IS vid byte av utförare om kunden har lås", ONE_HOUR),
    f("provider", "utforarbyte las minst en timme?", ONE_HOUR),
    # --- moving
    f("move", "brukaren har flyttat till ett annat boende, ska larmet med?", ALWAYS_MOVE),
    f("move", "kunden flyttar och har nyckelfritt lås, följer låset med", LOCK_MOVES),
    f("move", "måste IS veta om flytt", ALWAYS_MOVE),
    f("move", "flytt av trygghetslarm hur", ALWAYS_MOVE),
    # --- ending
    f("end", "brukaren har gått bort, hur avslutar vi trygghetslarmet", END_PARAPLY),
    f("end", "kunden behöver inte larmet längre, vad gör vi", END_PARAPLY),
    f("end", "efter avslut i paraply, hur kontaktar vi installation och service", WRITTEN),
    f("end", "avslut av larm och kunden har nyckelfritt lås, vem hämtar vad", COLLECT_BOTH),
    f("end", "ska vi själva hämta larmet vid avslut om kunden inte har lås", PROVIDER_FETCH),
    f("end", "vi har hämtat hem larmet till kontoret, vad nu", READY_UNIT),
    f("end", "när får kunden tillbaka sina nycklar vid avslut", KEYS_WAIT),
    f("end", "kan vi lämna tillbaka nycklarna samma dag som vi avslutar", KEYS_WAIT),
    f("end", "hur snabbt ska IS veta om ett lås som ska demonteras", LOCK_NOW),
    f("end", "avslut las demontering vem gor vad", LOCK_NOW, COLLECT_BOTH),
    # --- return
    f("return", "hur skickar jag tillbaka ett larm till trygghetsjouren", GREY, LID),
    f("return", "jag ska lämna tillbaka en larmklocka, vad gör jag med armbandet", BAND),
    f("return", "den grå knappen, hur länge trycker man", GREY),
    f("return", "hur stänger jag av larmklockan innan återlämning", GREY),
    f("return", "ska laddaren med när larmet lämnas tillbaka", WIND),
    f("return", "larmet har ett lock bak, hur lämnar jag tillbaka det", LID, CORD),
    f("return", "sladden på larmet ska den kopplas bort", CORD),
    f("return", "i vad för påse ska larmet ligga", BAG),
    f("return", "vart mejlar jag blanketten vid återlämning", IS_MAIL),
    f("return", "steg 2 vid återlämning av larm med grå knapp", WIND),
    f("return", "vad ska jag komma ihåg när jag lämnar tillbaka larmet", KEYS_WAIT),
    f("return", "returnera trygghetslarm instruktioner", GREY, LID),
    # --- who does what
    f("who", "vem accepterar beställningen", ACCEPT),
    f("who", "vem installerar låset", INSTALLS),
    f("who", "vem hämtar trygghetslarmet när kunden inte har lås", PROVIDER_FETCH),
    f("who", "vem demonterar låset vid avslut", COLLECT_BOTH),
    f("who", "vem meddelar avslutet, vi eller trygghetsjouren", END_PARAPLY),
    # --- the page does not say
    u("unknown", "vad har installation och service för telefontider"),
    u("unknown", "hur många dagar tar det innan larmet är installerat", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "vad kostar nyckelfri hemtjänst för kunden"),
    u("unknown", "vilka fält finns i blanketten"),
    u("unknown", "hur snabbt återkopplar installation och service", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "vad gör vi om larmet inte fungerar"),
    f("order", "kan kunden själv installera trygghetslarmet", INSTALLS),  # relabelled: the page says who installs
    u("unknown", "vad händer om kunden tappar bort larmklockan"),
    u("unknown", "hur lång tid tar ett utförarbyte för IS att genomföra", no=ONE_HOUR),
    u("unknown", "hur lång tid har vi på oss att hämta larmet efter avslut", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "vilket märke är låset"),
    u("unknown", "är installation och service öppna på lördagar"),
    # --- out of scope
    o("hur söker jag om jobb i hemtjänsten"),
    o("vad ska jag äta till lunch"),
    o("när betalas lönen ut"),
    o("hur byter jag lösenord i datorn"),
    o("vilken blankett ska jag använda för reseräkning"),
    o("hur beställer jag nya arbetskläder"),
    o("vem är min chef"),
    o("kan du översätta till engelska"),
    o("hur många semesterdagar har jag"),
    o("hur avslutar jag min anställning"),
    o("var parkerar jag tjänstebilen"),
    o("hur flyttar man en brukare från säng till rullstol"),
    o("hur ringer jag ett videosamtal i teams"),
    o("när stänger apoteket"),
]


if __name__ == "__main__":
    write_batch(QUESTIONS, "m", "dev3.json")
