# Blind question set written from the city's page alone.
from functools import partial

try:
    from tests.unit.knowledge_blind import facts
except ImportError:  # run as a script from this folder, as split.py allows
    import facts

TJ_MAIL = ["trygghetslarm@stockholm.se"]
IS_MAIL = ["installationochservice@stockholm.se"]
PHONE = ["08-508 40 613", "0850840613"]
ANY_CONTACT = IS_MAIL + PHONE + TJ_MAIL
ACCEPT = ["accepterar beställningen i paraply"]
STEP2 = ["larmblanketten"]
STEP3 = ["installerar trygghetslarmet och återkopplar"]
STEP4 = ["aktiverar beställningen i paraply"]
FORM_NAME = ["blankett för nyinstallation, ändring eller avslut"]
ONE_COPY = ["ett (1) exemplar", "ett exemplar"]
PAY_LOCK = ["betala en eventuell låsöppning"]
KEYS_WAIT = ["återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat"]
KEYS_HOME = ["överlämning av nycklar sker hos den enskilde"]
ONE_HOUR = ["minst en timme innan stängning"]
FIVE_DAYS = ["minst fem arbetsdagar"]
WEEKDAYS = ["vardagar under ordinarie öppettider"]
LOCK_MOVES = ["låset också flyttas med"]
ALWAYS_MOVE = ["alltid meddela enheten installation och service när den enskilde flyttar"]
COLLECT_BOTH = ["hämtar installation och service både trygghetslarmet och låset"]
PROVIDER_FETCH = ["hämtar trygghetslarmet hos den enskilde"]
READY_UNIT = ["klart att hämta på utförarenheten"]
WRITTEN = ["skriftligen"]
GREY = ["tre sekunder på den grå knappen"]
WIND = ["linda ihop laddaren"]
BAND = ["koppla bort hals- eller armbandet"]
BAG = ["egen (separat) påse", "egen påse"]
LID = ["öppna locket på baksidan"]
CORD = ["koppla bort sladden"]
CHANGES_PARAPLY = ["informeras utföraren genom paraplysystemet"]
ALL_CHANGES_FORM = ["vid samtliga ändringar ska utföraren informera enheten för installation och service"]
BOTH_NOTIFIED = ["både den gamla och den nya utföraren"]
CHAIN = ["ändringar i larmkedjor till stockholms trygghetsjour"]
INFORM_CUSTOMER = ["kunden får information om trygghetslarmet och nyckelfri hemtjänst"]
ACCESS_BEFORE = ["säkerställa tillgång till den enskildes bostad innan kontakt"]
DECIDE_KEYS = ["avgör utföraren när de är redo att lämna tillbaka"]
END_PARAPLY = ["meddelar avslut av trygghetslarm genom paraplysystemet"]
RUNNING = ["efter dessa steg är insatsen igång"]
DECLINE = ["omgående meddelas till stockholms trygghetsjour"]
IMMEDIATE_LOCK = ["omgående meddela enheten för installation och service"]

# The helpers every question set uses (facts.py); this set's unknowns name its own contacts.
u = partial(facts.u, contacts=ANY_CONTACT)
f, o = facts.f, facts.o

QUESTIONS = [
    # --- declining an order
    f("decline", "vi kan inte ta emot bestallningen vad gor vi", DECLINE, TJ_MAIL),
    f("decline", "om vi inte accepterar beställningen, vem ska vi meddela?", TJ_MAIL),
    f("decline", "tacka nej till larmbeställning hur", TJ_MAIL),
    f("decline", "vilken mejl ska jag skicka till om vi nekar en bestallning", TJ_MAIL, no=IS_MAIL),
    f("decline", "vi har inte kapacitet att ta kunden, måste vi säga till nån?", TJ_MAIL),
    f("decline", "hur snabbt måste vi meddela att vi inte accepterar", ["omgående"], TJ_MAIL),
    f("decline", "kan vi avböja en beställning av trygghetslarm", TJ_MAIL),
    f("decline", "vad är trygghetsjourens mailadress", TJ_MAIL, no=IS_MAIL),
    f("decline", "trygghetsjouren epost?", TJ_MAIL),
    f("decline", "mailadress till stockholms trygghetsjour", TJ_MAIL),
    f("decline", "vi vill inte acceptera orden i paraply, hur gör vi", TJ_MAIL),
    f("decline", "nekar beställning trygghetslarm", TJ_MAIL),
    # --- new order: steps and order
    f("order", "hur hanterar man en ny beställning av trygghetslarm", ACCEPT, STEP2, STEP3, STEP4),
    f("order", "i vilken ordning ska vi göra med en ny bestallning", ACCEPT, STEP2, STEP3, STEP4),
    f("order", "vad är första steget när vi får en beställning", ACCEPT),
    f("order", "vad händer efter att vi accepterat beställningen i Paraply?", STEP2),
    f("order", "vi har accepterat i paraply nu, va e nästa steg?", STEP2),
    f("order", "accepterat ordern, vad gör jag sen", STEP2),
    f("order", "installation o service har återkopplat att larmet sitter uppe. vad gör jag nu", STEP4),
    f("order", "larmet är installerat, vad är nästa steg", STEP4),
    f("order", "när ska vi aktivera beställningen i paraply", STEP3, STEP4),
    f("order", "när är insatsen igång?", ACCEPT, STEP4),
    f("order", "när kan man säga att insatsen har startat", STEP4),
    f("order", "vem installerar trygghetslarmet", STEP3),
    f("order", "vem installerar larmet hos kunden", STEP3),
    f("order", "hur meddelar vi installation och service om en ny beställning", STEP2),
    f("order", "vad gör installation och service efter installationen", STEP3),
    f("order", "vem ska aktivera beställningen", STEP4),
    f("order", "får man aktivera i paraply innan larmet är installerat", STEP3, STEP4),
    f("order", "ny bestallning trygghetslarm steg for steg", ACCEPT, STEP2, STEP3, STEP4),
    f("order", "vad ska vi göra innan vi kontaktar installation och service", ACCESS_BEFORE),
    f("order", "vem hanterar beställningen av trygghetslarm till utföraren", ["stockholms trygghetsjour hanterar beställning"]),
    f("order", "var accepterar man beställningen", ACCEPT),
    # --- inform customer, keys, access
    f("access", "vad ska kunden informeras om innan installationen", INFORM_CUSTOMER),
    f("access", "måste vi informera kunden om nyckelfri hemtjänst", INFORM_CUSTOMER),
    f("access", "hur många nycklar ska vi hämta från kunden", ONE_COPY),
    f("access", "hur manga exemplar av hemnycklarna behover vi", ONE_COPY),
    f("access", "behöver vi kundens nycklar innan installation", ONE_COPY),
    f("access", "hur säkrar vi tillgång till bostaden innan låset är installerat", ONE_COPY),
    f("access", "när ska vi lämna tillbaka nycklarna efter installationen", DECIDE_KEYS),
    f("access", "nyckelfritt installerat, när lämnar vi tillbaka hemnycklarna", DECIDE_KEYS),
    f("access", "vem bestämmer när nycklarna lämnas tillbaka efter installation", DECIDE_KEYS),
    f("access", "kunden vill inte lämna ut sina nycklar, vad gäller", PAY_LOCK),
    f("access", "om brukaren inte vill ha nyckelfri hemtjänst?", PAY_LOCK),
    f("access", "kunden tackar nej till nyckelfritt lås vad ska vi säga", PAY_LOCK),
    f("access", "vem betalar låsöppning om kunden inte vill ha nyckelfri", PAY_LOCK),
    f("access", "vad ska vi informera om ifall den enskilde avstår nyckelfri hemtjänst", PAY_LOCK),
    f("access", "brukaren vägrar ge oss nyckel", PAY_LOCK),
    f("access", "får kunden betala om vi måste ta oss in vid larm", PAY_LOCK),
    f("access", "när ska vi säkerställa tillgång till bostaden", ACCESS_BEFORE),
    # --- installation order, form, priority
    f("install", "hur beställer vi installation av trygghetslarm och lås", ["skicka in en blankett för installation"]),
    f("install", "vad heter blanketten man ska fylla i", FORM_NAME),
    f("install", "vilken blankett ska jag använda vid nyinstallation", FORM_NAME),
    f("install", "vart skickar jag blanketten", IS_MAIL),
    f("install", "vart ska blanketten mejlas", IS_MAIL),
    f("install", "installationochservice mail?", IS_MAIL),
    f("install", "vad är mejladressen till installation och service", IS_MAIL, no=TJ_MAIL),
    f("install", "epost installation och service", IS_MAIL),
    f("install", "vilket nummer ringer jag vid prioriterad beställning", PHONE),
    f("install", "prioriterad bestallning telefonnummer", PHONE),
    f("install", "vi har fått en prio beställning vad gör vi", PHONE),
    f("install", "brådskande larm, vem ringer jag", PHONE),
    f("install", "telefon till installation och service", PHONE),
    f("install", "nummer till installation o service?", PHONE),
    f("install", "ska man ringa eller mejla vid prioriterad beställning", PHONE),
    f("install", "vad är numret vid prioriterad beställning?", PHONE),
    f("install", "hur beställer man lås för nyckelfri hemtjänst", ["skicka in en blankett för installation"]),
    f("install", "finns det en blankett för avslut", FORM_NAME),
    f("install", "var hittar jag blanketten för ändring", FORM_NAME),
    f("install", "larmblanketten vad ar det", FORM_NAME),
    # --- changes in general
    f("changes", "hur får vi veta om ändringar i insatsen", CHANGES_PARAPLY),
    f("changes", "vilka ändringar kan ske inom trygghetslarm och lås", ["utförarbyten"], ["flyttar"], ["övertagande"]),
    f("changes", "vad ska vi göra vid en ändring av insatsen", ALL_CHANGES_FORM),
    f("changes", "måste vi anmäla alla ändringar till installation och service", ALL_CHANGES_FORM),
    f("changes", "varför ska man anmäla ändringar", ["säkerställer utföraren tryggheten"]),
    f("changes", "anmäla ändring trygghetslarm hur", ALL_CHANGES_FORM),
    # --- takeover
    f("takeover", "Vi har fått ett övertagande av befintligt trygghetslarm, vad ska vi göra?", ALL_CHANGES_FORM),
    f("takeover", "overtagande av larm som redan finns i bostaden hur gor vi", ALL_CHANGES_FORM),
    f("takeover", "kunden har redan ett larm hemma vi tar över, måste vi skicka blanketten", ALL_CHANGES_FORM),
    f("takeover", "övertagande befintligt larm blankett", FORM_NAME),
    f("takeover", "vem ska vi informera vid övertagande", ALL_CHANGES_FORM),
    f("takeover", "hur får vi reda på ett övertagande", CHANGES_PARAPLY),
    # --- alarm chain
    f("chain", "hur meddelar vi ändringar i larmkedjan", CHAIN),
    f("chain", "vi vill ändra larmkedjan för en kund", CHAIN),
    f("chain", "vem ska man kontakta om larmkedjan ändras", CHAIN),
    f("chain", "andring larmkedja vart", CHAIN),
    f("chain", "ny anhörig ska läggas in i larmkedjan", CHAIN),
    # --- provider change
    f("provider_change", "vad gäller vid byte av utförare om det finns lås", IMMEDIATE_LOCK, ONE_HOUR),
    f("provider_change", "Vilka dagar kan ett utförarbyte ske?", WEEKDAYS),
    f("provider_change", "kan utforarbyte ske pa helgen", WEEKDAYS),
    f("provider_change", "var lämnas nycklarna över vid utförarbyte", KEYS_HOME),
    f("provider_change", "var sker överlämningen av nycklar när kunden byter utförare", KEYS_HOME),
    f("provider_change", "kunden byter hemtjänst, hur får vi veta det", BOTH_NOTIFIED),
    f("provider_change", "får både gamla och nya utföraren besked vid byte", BOTH_NOTIFIED),
    f("provider_change", "utförarbyte med nyckelfritt lås, när senast ska vi meddela", ONE_HOUR),
    f("provider_change", "hur länge innan stängning ska vi höra av oss vid utförarbyte", ONE_HOUR),
    f("provider_change", "vi tar över många kunder från en annan utförare, hur långt innan ska vi kontakta", FIVE_DAYS),
    f("provider_change", "större organisatoriska förändringar, hur många dagar innan", FIVE_DAYS),
    f("provider_change", "hur lang framforhallning vid stora forandringar i utforarkedjan", FIVE_DAYS),
    f("provider_change", "utförarbyte hur gör vi", KEYS_HOME, BOTH_NOTIFIED),
    f("provider_change", "byte av utförare vad ska vi göra", BOTH_NOTIFIED),
    f("provider_change", "kunden vill byta utförare till oss, vad gäller", BOTH_NOTIFIED),
    f("provider_change", "när sker utförarbyten", WEEKDAYS),
    f("provider_change", "vi lämnar en kund till annan utförare, var lämnar vi nycklarna", KEYS_HOME),
    f("provider_change", "utforarbyte las omgaende?", ONE_HOUR),
    # --- move
    f("move", "kunden ska flytta, vad gör vi med larmet", ALWAYS_MOVE),
    f("move", "brukaren flyttar måste vi meddela installation och service", ALWAYS_MOVE),
    f("move", "den enskilde flyttar och har nyckelfri hemtjänst, vad händer med låset", LOCK_MOVES),
    f("move", "flyttar låset med vid flytt", LOCK_MOVES),
    f("move", "flytt trygghetslarm", ALWAYS_MOVE),
    f("move", "kund flyttar till ny adress, larm o lås?", ALWAYS_MOVE, LOCK_MOVES),
    f("move", "varför måste man meddela när kunden flyttar", ["säkerställa trygghetslarmets funktionalitet"]),
    f("move", "ska låset flyttas om kunden byter lägenhet", LOCK_MOVES),
    f("move", "flytt nyckelfri hemtjanst las", LOCK_MOVES),
    # --- termination
    f("termination", "hur avslutar man ett trygghetslarm", END_PARAPLY),
    f("termination", "avslut av trygghetslarm, var gör man det", END_PARAPLY),
    f("termination", "vi har avslutat i paraply, vad nu", WRITTEN),
    f("termination", "kunden har gått bort, hur avslutar vi larmet", END_PARAPLY),
    f("termination", "avslut med lås vad gäller", COLLECT_BOTH),
    f("termination", "vem hämtar larmet vid avslut utan lås", PROVIDER_FETCH),
    f("termination", "vem hämtar låset vid avslut", COLLECT_BOTH),
    f("termination", "kunden har larm men inget lås, avslut hur", PROVIDER_FETCH, READY_UNIT),
    f("termination", "avslut utan nyckelfri hemtjänst vem hämtar", PROVIDER_FETCH),
    f("termination", "måste vi hämta larmet själva", PROVIDER_FETCH),
    f("termination", "ska installation och service demontera låset", COLLECT_BOTH),
    f("termination", "får vi lämna nycklarna direkt vid avslut", KEYS_WAIT, no=PAY_LOCK),
    f("termination", "när får vi lämna tillbaka nycklarna", KEYS_WAIT),
    f("termination", "när får vi ge tillbaka kundens nycklar vid avslut", KEYS_WAIT, no=PAY_LOCK),
    f("termination", "kan vi återlämna nycklarna innan larmet är tillbaka", KEYS_WAIT),
    f("termination", "ska kontakten med installation och service vara skriftlig vid avslut", WRITTEN),
    f("termination", "avslut trygghetslarm och las demontering", COLLECT_BOTH),
    f("termination", "kund avslutar insatsen har låstillbehör", IMMEDIATE_LOCK, COLLECT_BOTH),
    f("termination", "vi har hämtat larmet hos kunden, vad gör vi nu", READY_UNIT),
    f("termination", "hur meddelar vi att larmet är klart att hämta", READY_UNIT),
    f("termination", "var ska larmet hämtas vid avslut utan lås", READY_UNIT),
    f("termination", "avsluta larm i paraply sen då", WRITTEN),
    # --- return of alarm
    f("return", "hur återlämnar jag ett trygghetslarm", GREY, BAND, LID, CORD),
    f("return", "aterlamna larm hur", GREY, LID),
    f("return", "larmet har lock på baksidan hur gör man", LID, CORD, BAG, IS_MAIL, no=GREY),
    f("return", "Larmet med sladd på baksidan, hur packar jag det?", CORD, BAG),
    f("return", "Får larmet ligga i samma påse som annat?", BAG),
    f("return", "vem ska jag maila om larmet ska tillbaka", IS_MAIL),
    f("return", "hur stänger jag av trygghetslarmet", GREY),
    f("return", "stänga av larmet grå knapp hur länge", GREY),
    f("return", "hur länge ska man hålla in knappen", GREY),
    f("return", "var sitter avstängningsknappen på larmet", ["undersidan"]),
    f("return", "vad gör jag med laddaren när larmet ska lämnas tillbaka", WIND),
    f("return", "armbandet ska det vara kvar på larmklockan", BAND),
    f("return", "halsbandet, ska det skickas med kopplat", BAND),
    f("return", "retur av trygghetslarm med grå knapp", GREY, WIND, BAND, BAG, IS_MAIL, no=LID),
    f("return", "återlämning larm med grå knapp under, alla steg", GREY, WIND, BAND, BAG, no=CORD),
    f("return", "larmet med locket bak vad gör jag med sladden", CORD),
    f("return", "ska man skicka blanketten vid återlämning", IS_MAIL),
    f("return", "vart mejlar jag blanketten vid återlämning av larm", IS_MAIL),
    f("return", "återlämning trygghetslarm blankett", FORM_NAME, IS_MAIL),
    f("return", "måste larmet ligga i en egen påse", BAG),
    f("return", "vad gör man med larmet när kunden inte behöver det längre", GREY, LID),
    f("return", "lamna tillbaka trygghetslarm instruktion", GREY, LID),
    f("return", "nycklarna när larmet återlämnas?", KEYS_WAIT),
    f("return", "hur packar man ner larmet", BAG),
    f("return", "larmklockan ska tillbaka till trygghetsjouren hur", GREY, LID),
    f("return", "återlämna larm med lock", LID, CORD, BAG),
    # --- page does not say
    u("unknown_hours", "vilka öppettider har installation och service", no=WEEKDAYS + ONE_HOUR),
    u("unknown_hours", "när stänger installation och service", no=ONE_HOUR),
    u("unknown_hours", "oppettider installation o service", no=WEEKDAYS),
    u("unknown_hours", "har trygghetsjouren öppet på helger"),
    u("unknown_install_time", "hur lång tid tar installationen?", no=FIVE_DAYS + ONE_HOUR),
    u("unknown_install_time", "hur lång tid tar det innan larmet är installerat", no=FIVE_DAYS),
    u("unknown_install_time", "hur snabbt kommer installation och service ut", no=FIVE_DAYS + ONE_HOUR),
    u("unknown_install_time", "hur många dagar tar det att få nyckelfritt lås installerat", no=FIVE_DAYS),
    u("unknown_cost", "vad kostar en låsöppning", no=PAY_LOCK),
    u("unknown_cost", "vad kostar trygghetslarmet för kunden"),
    u("unknown_cost", "vad kostar nyckelfri hemtjänst"),
    u("unknown_deadline", "hur lång tid har vi på oss att acceptera en beställning", no=FIVE_DAYS),
    u("unknown_deadline", "finns det en deadline för att acceptera beställningen i paraply", no=FIVE_DAYS + ONE_HOUR),
    u("unknown_deadline", "inom hur många dagar ska blanketten skickas", no=FIVE_DAYS),
    u("unknown_feedback", "hur lång tid tar det innan installation och service återkopplar", no=FIVE_DAYS),
    u("unknown_device", "larmet piper hela tiden vad gör jag"),
    u("unknown_device", "hur byter man batteri i trygghetslarmet"),
    u("unknown_device", "larmet fungerar inte, vem felanmäler jag till"),
    u("unknown_device", "hur testar man att larmet fungerar"),
    u("unknown_device", "kunden har tappat bort larmklockan, vad gör vi"),
    u("unknown_device", "hur långt räcker larmets räckvidd i bostaden"),
    u("unknown_other", "vad gör vi om kunden inte är hemma vid installationen"),
    u("unknown_other", "hur ansöker kunden om trygghetslarm"),
    u("unknown_other", "vad är telefonnumret till trygghetsjouren för larm dygnet runt"),
    u("unknown_other", "kan anhöriga få en egen nyckelbricka"),
    u("unknown_other", "hur många personal kan få behörighet till låset"),
    u("unknown_other", "vilka fält ska fyllas i på blanketten"),
    u("unknown_other", "kan vi skicka larmet med posten"),
    # --- out of scope
    o("vad blir det för väder imorgon"),
    o("hur söker jag semester"),
    o("när kommer lönen"),
    o("hur sjukanmäler jag mig"),
    o("vad är lunch idag"),
    o("hur återställer jag mitt lösenord i teams"),
    o("hur bokar jag ett möte i outlook"),
    o("vilka vaccin ska brukare ha"),
    o("hur ger man insulin"),
    o("hur använder man en lyftsele"),
    o("hur beställer jag en rollator till kunden"),
    o("vad är wifi lösenordet på kontoret"),
    o("vem vann allsvenskan"),
    o("kan du översätta hej till arabiska"),
    o("berätta ett skämt"),
    o("hur fyller jag i tidrapporten"),
    o("var parkerar vi bilen vid brukarens hus"),
    o("hur dokumenterar jag i journalen"),
    o("vad gäller för matdistribution"),
    o("hur mycket ob får man på helgen"),
    o("kan du skriva ett recept på köttbullar"),
    o("hur många semesterdagar har jag kvar"),
    o("hur hanterar man läkemedel i dosett"),
    o("vem är min chef"),
    o("hur anmäler jag en avvikelse lex sarah"),
    o("hur tvättar man händerna rätt"),
    o("vad är bästa pizzan i söderort"),
    o("hur lång är en sjuksköterskeutbildning"),
    o("kan du hjälpa mig skriva ett cv"),
    o("vilka bussar går till huddinge sjukhus"),
    o("hur funkar apple pay"),
    o("ge mig börskursen för ericsson"),
]
