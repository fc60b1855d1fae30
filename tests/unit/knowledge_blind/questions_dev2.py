# A second development batch, written from the city's page alone before the second round of
# changes, without reading the answering code, its word lists or the older question sets.
# Same format as questions_written.py; ids n001... Written once to dev2.json (`python -m
# tests.unit.knowledge_blind.questions_dev2`); tune on it, never on test.json.
import json
from pathlib import Path

TJ_MAIL = ["trygghetslarm@stockholm.se"]
IS_MAIL = ["installationochservice@stockholm.se"]
PHONE = ["08-508 40 613"]
ANY_CONTACT = IS_MAIL + PHONE + TJ_MAIL
IS_ANY = ["installation och service", "installationochservice@stockholm.se"]
TJ_ANY = ["stockholms trygghetsjour", "trygghetslarm@stockholm.se"]

ACCEPT = ["accepterar beställningen i paraply"]
FORM_STEP = ["genom larmblanketten"]
INSTALLS = ["installerar trygghetslarmet och återkopplar"]
ACTIVATE = ["aktiverar beställningen i paraply"]
RUNNING = ["efter dessa steg är insatsen igång"]
DECLINE = ["omgående meddelas till stockholms trygghetsjour"]
VIA_MAIL = ["via e-post"]
INFORM = ["kunden får information om trygghetslarmet och nyckelfri hemtjänst"]
ACCESS = ["säkerställa tillgång till den enskildes bostad"]
ONE_COPY = ["ett (1) exemplar"]
DECIDE_KEYS = ["avgör utföraren när de är redo att lämna tillbaka"]
PAY_LOCK = ["betala en eventuell låsöppning"]
ORDER_FORM = ["skicka in en blankett för installation"]
FORM_NAME = ["blankett för nyinstallation, ändring eller avslut"]
PRIO = ["prioriterad beställning"]
PARAPLY_CHANGES = ["informeras utföraren genom paraplysystemet"]
KINDS = ["utförarbyten"]
MOVE_KIND = ["att den enskilde flyttar"]
TAKEOVER = ["övertagande av befintligt trygghetslarm"]
END_KIND = ["demontering av låstillbehör"]
ALL_CHANGES = ["vid samtliga ändringar ska utföraren informera enheten för installation och service"]
WHY_REPORT = ["säkerställer utföraren tryggheten för den enskilde"]
CHAIN = ["ändringar i larmkedjor till stockholms trygghetsjour"]
BOTH = ["både den gamla och den nya utföraren"]
KEYS_HOME = ["överlämning av nycklar sker hos den enskilde"]
ONE_HOUR = ["minst en timme innan stängning"]
FIVE_DAYS = ["minst fem arbetsdagar"]
WEEKDAYS = ["vardagar under ordinarie öppettider"]
ALWAYS_MOVE = ["alltid meddela enheten installation och service när den enskilde flyttar"]
LOCK_MOVES = ["låset också flyttas med"]
END_PARAPLY = ["meddelar avslut av trygghetslarm genom paraplysystemet"]
WRITTEN = ["skriftligen"]
KEYS_WAIT = ["återlämna inte kundens nycklar förrän trygghetslarmet är återlämnat"]
LOCK_NOW = ["omgående meddela enheten för installation och service om den enskilde har ett låstillbehör"]
COLLECT_BOTH = ["hämtar installation och service både trygghetslarmet och låset"]
PROVIDER_FETCH = ["hämtar trygghetslarmet hos den enskilde"]
READY_UNIT = ["klart att hämta på utförarenheten"]
GREY = ["tre sekunder på den grå knappen"]
WIND = ["linda ihop laddaren"]
BAND = ["koppla bort hals- eller armbandet"]
BAG = ["egen (separat) påse", "lägg allt i en egen påse"]
MAIL_FORM = ["skicka den via e-post"]
LID = ["öppna locket på baksidan"]
CORD = ["koppla bort sladden"]

F, U, O = "fact", "unknown", "out"


def f(topic, q, *must, no=()):
    return dict(kind=F, topic=topic, q=q, must=[list(m) for m in must], must_not=list(no))


def u(topic, q, no=()):
    # The page does not answer: the answer must say so and name a contact to ask.
    return dict(kind=U, topic=topic, q=q, must=[list(ANY_CONTACT)], must_not=list(no))


def o(q):
    return dict(kind=O, topic="out_of_scope", q=q, must=[], must_not=[])


QUESTIONS = [
    # --- a new order: the four steps, in order
    f("order", "vi fick en bestallning pa trygghetslarm, vad gor jag forst", ACCEPT),
    f("order", "ny beställning trygghetslarm hur går jag tillväga", ACCEPT, FORM_STEP),
    f("order", "vilka steg ska man ta nar en ny larmbestallning kommer", ACCEPT, ACTIVATE),
    f("order", "va e ordningen för en beställning av larm?", ACCEPT, INSTALLS),
    f("order", "har accepterat bestallningen, vad nu?", FORM_STEP),
    f("order", "accepterat i paraply, nästa steg??", FORM_STEP),
    f("order", "efter att vi skickat larmblanketten vad händer sen", INSTALLS),
    f("order", "vem installerar larmet hos kunden", INSTALLS),
    f("order", "IS har sagt att larmet är installerat, vad gör vi nu", ACTIVATE),
    f("order", "installation o service har återkopplat, vad e sista steget", ACTIVATE),
    f("order", "när ska jag aktivera beställningen i paraply", INSTALLS),
    f("order", "nar ar insatsen igang", RUNNING, ACTIVATE),
    f("order", "måste jag aktivera något i paraply efter installationen?", ACTIVATE),
    f("order", "vem aterkopplar till oss nar larmet ar installerat", INSTALLS),
    f("order", "var accepterar man beställningen", ACCEPT),
    f("order", "hur meddelar jag enheten för installation om en ny beställning", FORM_STEP),
    f("order", "steg 2 i beställningen?", FORM_STEP),
    f("order", "vad är steg 3 vid beställning av trygghetslarm", INSTALLS),
    f("order", "vem hanterar beställningen av trygghetslarm till utföraren", ["stockholms trygghetsjour hanterar beställning"]),
    f("order", "vem skickar beställningarna på larm till oss?", ["stockholms trygghetsjour hanterar beställning"]),
    # --- declining an order
    f("decline", "vi kan inte ta emot bestallningen vad gor vi", DECLINE, TJ_MAIL),
    f("decline", "om vi inte accepterar beställningen, vem ska vi meddela", DECLINE, TJ_MAIL),
    f("decline", "tacka nej till larmbeställning hur?", DECLINE, TJ_MAIL),
    f("decline", "vi vill neka en beställning, vilken mail", TJ_MAIL),
    f("decline", "hur snabbt måste vi säga till om vi inte tar beställningen", DECLINE),
    f("decline", "kan vi avböja en beställning av trygghetslarm via telefon", VIA_MAIL, TJ_MAIL, no=PHONE),
    f("decline", "vad ar mejladressen till stockholms trygghetsjour", TJ_MAIL),
    f("decline", "trygghetsjourens epost?", TJ_MAIL),
    # --- informing the customer, access, keys before installation
    f("prepare", "vad ska kunden få veta innan installationen", INFORM),
    f("prepare", "vad behover vi gora innan installationen", INFORM, ACCESS),
    f("prepare", "måste vi ha nyckel till brukaren innan installation", ONE_COPY),
    f("prepare", "hur manga nycklar ska vi hamta in fran kunden", ONE_COPY),
    f("prepare", "hur säkrar vi tillgång till bostaden innan nyckelfritt är installerat", ONE_COPY),
    f("prepare", "när lämnar vi tillbaka hemnycklarna efter installationen", DECIDE_KEYS),
    f("prepare", "vem bestammer nar nycklarna ska tillbaka till kunden efter installation", DECIDE_KEYS),
    f("prepare", "kunden vill inte lämna ut nycklar, vad gäller", PAY_LOCK),
    f("prepare", "brukaren vill inte ha nyckelfri hemtjanst vad ska vi saga", PAY_LOCK),
    f("prepare", "vem betalar låsöppning om kunden avstått nyckelfritt", PAY_LOCK),
    f("prepare", "vad ska vi informera om ifall kunden avstår från nyckelfri hemtjänst", PAY_LOCK),
    f("prepare", "ska vi informera kunden om nyckelfri hemtjanst", INFORM),
    f("prepare", "nar ska vi sakerstalla tillgang till bostaden", ["innan kontakt med installation och service"]),
    # --- ordering installation, the form, priority phone
    f("install", "hur bestaller jag installation av larm och las", ORDER_FORM),
    f("install", "vad heter blanketten for installation", FORM_NAME),
    f("install", "vilken blankett ska man använda vid avslut?", FORM_NAME),
    f("install", "finns det en blankett för ändring av trygghetslarm", FORM_NAME),
    f("install", "vart skickar jag blanketten", IS_MAIL),
    f("install", "vilken mailadress ska blanketten till", IS_MAIL),
    f("install", "larmblanketten vart ska den", IS_ANY),
    f("install", "vi har fått en prioriterad beställning, vad gör vi", PHONE),
    f("install", "prio bestallning larm ring vem", PHONE),
    f("install", "telefonnummer till installation och service?", PHONE),
    f("install", "vilket nummer ringer man vid brådskande larmbeställning", PHONE),
    f("install", "ska vi ringa eller maila vid prioriterad beställning", PHONE),
    f("install", "hur beställer jag lås för nyckelfri hemtjänst", ORDER_FORM),
    f("install", "mailadress installation och service", IS_MAIL),
    # --- changes
    f("changes", "hur får vi veta om ändringar i insatsen trygghetslarm", PARAPLY_CHANGES),
    f("changes", "vilka ändringar kan ske inom trygghetslarm och lås", KINDS, MOVE_KIND, TAKEOVER),
    f("changes", "vad räknas som ändring i insatsen", KINDS, END_KIND),
    f("changes", "vid en andring vem ska vi informera", ALL_CHANGES),
    f("changes", "måste vi anmäla alla ändringar till installation och service?", ALL_CHANGES),
    f("changes", "varför ska man anmäla ändringar", WHY_REPORT),
    f("changes", "vi har fått ett övertagande av befintligt larm, vad gör vi", ALL_CHANGES),
    f("changes", "kunden har redan ett larm i bostaden som vi tar över, behöver vi göra nåt", ALL_CHANGES),
    f("changes", "overtagande trygghetslarm blankett?", FORM_NAME),
    f("changes", "hur anmäler jag en ändring till installation och service", ["via blanketten"]),
    # --- alarm chain
    f("chain", "hur ändrar jag larmkedjan", CHAIN),
    f("chain", "var meddelar man ändringar i larmkedjan", CHAIN),
    f("chain", "larmkedja ändring vem", CHAIN),
    f("chain", "vem ska ha besked om ändrad larmkedja", TJ_ANY),
    # --- provider change
    f("provider", "brukaren vill byta utförare, vad gäller", BOTH),
    f("provider", "hur far vi veta om ett utforarbyte", BOTH),
    f("provider", "vid utförarbyte var lämnas nycklarna över", KEYS_HOME),
    f("provider", "utforarbyte och kunden har las, vad ska vi gora", ONE_HOUR),
    f("provider", "hur sent kan vi meddela IS om utförarbyte med nyckelfritt", ONE_HOUR),
    f("provider", "vilka dagar kan ett utförarbyte ske", WEEKDAYS),
    f("provider", "kan utförarbyte ske på helgen", WEEKDAYS),
    f("provider", "vi tar över många kunder från en annan utförare, hur långt innan måste vi höra av oss", FIVE_DAYS),
    f("provider", "större organisatorisk förändring, hur lång framförhållning", FIVE_DAYS),
    f("provider", "utförarbyte var sker nyckelöverlämningen", KEYS_HOME),
    f("provider", "ska gamla utföraren också få meddelande vid byte", BOTH),
    f("provider", "byte av utförare och det finns låstillbehör, när ska installation och service veta", ONE_HOUR),
    f("provider", "vad gäller vid byte av hemtjänstutförare", BOTH, KEYS_HOME),
    # --- moving
    f("move", "kunden flyttar, vad ska vi göra med larmet", ALWAYS_MOVE),
    f("move", "brukaren ska flytta till ny lägenhet, måste vi meddela nån", ALWAYS_MOVE),
    f("move", "flytt och kunden har nyckelfri hemtjänst, vad händer med låset", LOCK_MOVES),
    f("move", "ska låset flyttas med när kunden flyttar", LOCK_MOVES),
    f("move", "vem ska veta när den enskilde flyttar", IS_ANY),
    f("move", "varför måste vi meddela flytt", ["säkerställa trygghetslarmets funktionalitet"]),
    # --- ending the service
    f("end", "hur avslutar jag ett trygghetslarm", END_PARAPLY),
    f("end", "kunden har dött, hur avslutar vi larmet", END_PARAPLY),
    f("end", "avslut trygghetslarm vad gor man", END_PARAPLY, WRITTEN),
    f("end", "vi har meddelat avslut i paraply, vad nu", WRITTEN),
    f("end", "måste vi kontakta installation och service vid avslut", WRITTEN),
    f("end", "kan vi ringa IS när avslutet är klart i paraply eller ska det vara skriftligt", WRITTEN),
    f("end", "får vi lämna nycklarna direkt vid avslut", KEYS_WAIT),
    f("end", "när får vi lämna tillbaka nycklarna till kunden vid avslut", KEYS_WAIT),
    f("end", "nycklarna vid avslut, när ska de tillbaka?", KEYS_WAIT),
    f("end", "avslut och kunden har lås, vad gör vi", LOCK_NOW, COLLECT_BOTH),
    f("end", "vem hämtar larmet och låset vid avslut", COLLECT_BOTH),
    f("end", "låset ska demonteras, vem ska vi meddela", LOCK_NOW),
    f("end", "avslut larm utan las vem hamtar larmet", PROVIDER_FETCH),
    f("end", "kunden har bara larm inget lås, hur avslutar vi", PROVIDER_FETCH, READY_UNIT),
    f("end", "vi har hämtat larmet hos kunden, vad gör vi sen", READY_UNIT),
    f("end", "vart ska larmet vara när IS ska hämta det", READY_UNIT),
    f("end", "ska vi meddela skriftligen när larmet är klart att hämta", READY_UNIT),
    f("end", "avslut med nyckelfritt, hämtar vi låset själva", COLLECT_BOTH),
    f("end", "hur avslutar man lås för nyckelfri hemtjänst", LOCK_NOW),
    # --- returning the alarm
    f("return", "hur återlämnar jag ett trygghetslarm", GREY, LID),
    f("return", "aterlamna larm hur gor man", GREY, LID),
    f("return", "hur stänger man av larmet", GREY),
    f("return", "hur länge ska jag hålla inne knappen för att stänga av larmet", GREY),
    f("return", "var sitter knappen for att stanga av trygghetslarmet", ["på undersidan av apparaten"]),
    f("return", "vad gör jag med laddaren när larmet ska lämnas tillbaka", WIND),
    f("return", "ska armbandet sitta kvar på larmklockan när vi lämnar tillbaka", BAND),
    f("return", "halsbandet, ska det kopplas bort?", BAND),
    f("return", "får larmet ligga i samma påse som annat", BAG),
    f("return", "vad lägger man larmet i", BAG),
    f("return", "larmet med sladd på baksidan, hur packar jag det", LID, CORD),
    f("return", "larmet har lock på baksidan hur gör man", LID, CORD),
    f("return", "hur återlämnar man larmet med locket", LID, CORD),
    f("return", "vem ska jag maila om larmet ska tillbaka", IS_MAIL),
    f("return", "vart skickar jag blanketten när larmet ska återlämnas", IS_MAIL),
    f("return", "vilken blankett vid återlämning av trygghetslarm", FORM_NAME),
    f("return", "sista steget vid återlämning?", MAIL_FORM),
    f("return", "vad gör jag efter att ha stängt av larmet", WIND),
    f("return", "ska blanketten skickas med post vid aterlamning", MAIL_FORM),
    f("return", "kom ihåg vid återlämning av larm?", KEYS_WAIT),
    f("return", "kan vi ge tillbaka nycklarna innan larmet är återlämnat", KEYS_WAIT),
    f("return", "hur packar jag ner trygghetslarmet", BAG),
    f("return", "steg för att lämna tillbaka larmklockan", GREY, WIND, BAND, BAG),
    # --- who does what
    f("who", "vem aktiverar beställningen, vi eller IS?", ACTIVATE),
    f("who", "vem hämtar larmet om kunden har lås", COLLECT_BOTH),
    f("who", "vem skickar larmblanketten", FORM_STEP),
    f("who", "vem meddelar avslut i paraply", END_PARAPLY),
    f("who", "vem ska se till att kunden får info om larmet", INFORM),
    # --- the page does not say
    u("unknown", "vilka öppettider har installation och service"),
    u("unknown", "nar oppnar installation o service"),
    u("unknown", "hur lång tid tar installationen", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "hur snabbt kommer de och installerar larmet", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "vad kostar en låsöppning"),
    u("unknown", "vad kostar trygghetslarmet för kunden"),
    u("unknown", "vilka uppgifter ska fyllas i på blanketten"),
    u("unknown", "hur lång tid har vi på oss att acceptera en beställning i paraply"),
    u("unknown", "hur lång tid tar det innan IS hämtar larmet på utförarenheten", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "vad händer om kunden inte är hemma när installatören kommer"),
    u("unknown", "hur länge räcker batteriet i trygghetslarmet"),
    u("unknown", "kan man ha två trygghetslarm i samma bostad"),
    u("unknown", "hur loggar jag in i paraplysystemet"),
    u("unknown", "vilken postadress skickar vi larmet till"),
    u("unknown", "hur lång tid tar det att demontera låset", no=FIVE_DAYS + ONE_HOUR),
    u("unknown", "stänger installation och service tidigare på fredagar"),
    # --- out of scope
    o("vad blir det för väder imorgon"),
    o("hur bokar jag semester"),
    o("vad är wifi lösenordet på kontoret"),
    o("när går nästa buss till odenplan"),
    o("recept på köttbullar"),
    o("vem vann allsvenskan"),
    o("hur stänger jag av notiser i teams"),
    o("kan jag byta pass med en kollega på lördag"),
    o("hur flyttar jag min semesterdag"),
    o("var finns nyckeln till förrådet"),
    o("hur lyfter jag en brukare säkert"),
    o("vilken dos alvedon får brukaren ta"),
    o("hur skriver jag en genomförandeplan"),
    o("hur rapporterar jag en avvikelse"),
    o("vad är klockan"),
    o("hur laddar jag min jobbmobil"),
    o("hur loggar jag in i timecare"),
    o("vad är meningen med livet"),
    o("vem är socialborgarråd i stockholm"),
    o("hur byter jag däck på bilen"),
    o("var lämnar jag min sjukanmälan"),
    o("hur mycket är 25 procent moms på 400"),
    o("hur fungerar ett brandlarm"),
    o("kan du skriva ett sms till min chef"),
    o("vilka dagar har vi apt-möte"),
    o("hur ansöker man om bostadstillägg"),
]


def numbered(questions):
    return [dict(question, id=f"n{index + 1:03d}") for index, question in enumerate(questions)]


if __name__ == "__main__":
    items = numbered(QUESTIONS)
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    (Path(__file__).parent / "dev2.json").write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(len(items), {kind: sum(item["kind"] == kind for item in items) for kind in (F, U, O)})
