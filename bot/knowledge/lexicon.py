"""The words staff use for the things the routines talk about.

Each concept lists the Swedish words and phrases that mean the same thing in these
routines ("mejl" and "e-post", "prio" and "prioriterad"). The analyser tags a word with
its concept on the page and in the question alike, so a question in staff language
meets the page's wording. Phrases may be split by a subject in a question
("stänger jag av"), so they match with small gaps.

Kept as plain data so someone who knows the routines can review it.
"""

from __future__ import annotations

CONCEPTS: dict[str, tuple[str, ...]] = {
    "#LARM": (
        "larm", "larmet", "larmen", "trygghetslarm", "trygghetslarmet", "trygghetslarmen",
        "apparat", "apparaten", "larmklocka", "larmklockan", "larmdosa", "larmdosan",
        "larmknapp", "larmknappen", "trygghetstelefon",
    ),
    "#LAS": (
        "lås", "låset", "låsen", "låstillbehör", "låstillbehöret", "nyckelfri", "nyckelfritt",
        "nyckelfria", "digitalt lås", "digitala lås", "elektroniskt lås", "nyckelfri hemtjänst",
    ),
    # "men inget lås" must not count as a lock: the negated forms are a concept of
    # their own, so the no-lock section matches questions about having no lock.
    "#UTANLAS": (
        "inget lås", "utan lås", "saknar lås", "inte har lås", "har inte lås",
        "inte har något lås", "har inte något lås", "inget nyckelfritt", "ingen nyckelfri",
        "bara larm", "bara trygghetslarm", "endast larm", "endast trygghetslarm",
        "inte har nyckelfri", "har inte nyckelfri", "inte nyckelfri", "utan nyckelfri", "inte har nyckelfritt", "har inget lås", "inget nyckelfritt lås",
    ),
    "#NYCKEL": (
        "nyckel", "nyckeln", "nycklar", "nycklarna", "hemnycklar", "hemnyckel", "hemnycklarna",
        "husnycklar", "husnyckel", "nyckelknippa", "nyckelknippan", "reservnyckel",
    ),
    "#PRIO": (
        "prio", "prioriterad", "prioriterade", "prioriterat", "prioritet", "akut", "akuta",
        "brådskande", "bråttom", "skyndsam",
    ),
    "#EPOST": (
        "mejl", "mejla", "mejlar", "mejladress", "mejladressen", "mail", "maila", "mailar",
        "mailadress", "mailadressen", "mailen", "epost", "e-post", "epostadress",
        "e-postadress", "e-postadressen", "email",
    ),
    "#TELEFON": (
        "telefon", "telefonnummer", "telefonnumret", "nummer", "numret", "ringa", "ringer",
        "ring", "tel", "tfn", "nr", "telnr", "samtal", "slå en signal",
    ),
    "#ATERLAMNA": (
        "återlämna", "återlämnar", "återlämnas", "återlämnat", "återlämning", "återlämningen",
        "lämna tillbaka", "lämnar tillbaka", "lämnas tillbaka", "ge tillbaka", "ger tillbaka",
        "skicka tillbaka", "skickar tillbaka", "returnera", "returnerar", "retur",
        "lämna in", "lämnar in", "lämna åter", "skickas tillbaka", "tillbaka", "lämnas åter",
    ),
    "#STANGAV": (
        "stäng av", "stänga av", "stänger av", "slå av", "slår av", "slå ifrån", "stäng ner",
        "stänga ner", "stänger ner", "stänga ifrån", "avstängning", "avstängningen",
        "avstängningsknapp", "avstängningsknappen",
    ),
    "#UTFORARBYTE": (
        "utförarbyte", "utförarbyten", "utförarbytet", "byta utförare", "byter utförare",
        "byte av utförare", "ny utförare", "nya utförare", "annan utförare", "byta hemtjänst",
        "byter hemtjänst", "byta hemtjänstutförare", "byter hemtjänstutförare", "bytt utförare", "bytte utförare", "byts utförare", "bytt hemtjänst",
        "byta företag", "byter företag", "byter till oss", "byta till oss",
        "annat bolag", "annat företag", "annan firma", "bytet", "byte av hemtjänst", "annan hemtjänst", "annan hemtjänstutförare", "ny hemtjänst",
    ),
    "#FLYTT": (
        "flytt", "flytta", "flyttar", "flyttat", "flyttas", "flyttning", "flytten",
        "ny adress", "nytt boende", "ny bostad", "ny lägenhet", "nytt ställe", "annat ställe", "annat boende", "nytt hem", "bo någon annanstans", "flyttas med", "flytta med",
        "flyttar med",
    ),
    "#OVERTAG": (
        "övertagande", "övertagandet", "överta", "övertar", "ta över", "tar över", "tas över",
        "befintligt larm", "befintligt trygghetslarm", "redan har larm", "redan har trygghetslarm",
        "har redan larm", "har redan trygghetslarm",
    ),
    "#AVSLUT": (
        "avslut", "avsluta", "avslutar", "avslutas", "avslutat", "avslutet", "säga upp",
        "säger upp", "uppsägning", "upphöra", "upphör", "avbeställa", "avbeställning",
        "inte längre behöver", "behöver inte längre", "sluta", "slutar", "sluta med",
        "slutar med", "inte ha kvar",
        "avliden", "avlidit", "avled", "dött", "dog", "gått bort", "går bort", "bortgång", "bortgången", "dödsfall",
        "inte längre", "vill inte ha längre", "inte ha larmet längre", "inte ha larm längre",
    ),
    "#DEMONT": (
        "demontera", "demonterar", "demonteras", "demontering", "demonteringen",
        "montera ner", "montera ned", "monteras ner", "ta ner", "ta ned", "plocka ner",
        "plocka ned", "ta bort låset", "ta bort lås",
    ),
    "#INSTALL": (
        "installation", "installationen", "installera", "installerar", "installeras",
        "installerat", "nyinstallation", "montera", "monterar", "sätta upp", "sätter upp",
        "koppla in", "kopplar in", "uppsatt", "uppsatta", "satt upp", "satte upp", "installerad", "installerade",
    ),
    "#BESTALL": (
        "beställning", "beställningen", "beställningar", "beställa", "beställer", "beställt",
        "nytt larm", "nytt trygghetslarm", "nya larm", "order", "ordern", "ordrar",
        "uppdrag", "uppdraget", "uppdragen",
        "ny kund", "nya kunden", "nybeställning", "nybeställningen", "nybeställningar", "nyinstallation",
    ),
    "#BLANKETT": (
        "blankett", "blanketten", "blanketter", "larmblankett", "larmblanketten",
        "formulär", "formuläret", "pdf", "pdfen",
    ),
    "#LARMKEDJA": (
        "larmkedja", "larmkedjan", "larmkedjor", "larmkedjorna", "anhörig", "anhöriga",
        "kontaktperson", "kontaktpersoner", "vem som larmas", "vilka som larmas",
        # the people staff name when they mean someone in the alarm chain
        "dotter", "dottern", "son", "sonen", "make", "maken", "maka", "makan", "sambo",
        "sambon", "granne", "grannen", "barnen", "god man", "gode man",
        "vem larmet går till", "vem som får larmet",
    ),
    "#INSTSERV": (
        "installation och service", "installation o service", "installationochservice",
        "installation & service", "enheten för installation", "installationsenheten",
        "tekniker", "teknikern", "teknikerna", "larmtekniker", "larmteknikern",
        "is", "installatör", "installatören", "installatörerna", "montör", "montören",
    ),
    "#OVERLAMNING": (
        "överlämning", "överlämningen", "överlämna", "överlämnar", "överlämnas",
        "lämna över", "lämnar över", "lämnas över", "ge över", "ger över",
    ),
    "#FOLJAMED": (
        "följa med", "följer med", "ta med", "tas med", "flyttas med", "flytta med",
        "flyttar med",
    ),
    "#FRAMFORHALLNING": (
        "framförhållning", "framförhållningen", "minst", "senast", "i förväg",
        "hur långt innan", "hur lång tid innan", "hur lång tid före", "hur tidigt",
        "hur långt före",
        "tidsgräns", "tidsgränsen", "deadline", "frist", "tidsfrist",
    ),
    "#JOUR": (
        "trygghetsjour", "trygghetsjouren", "larmcentral", "larmcentralen", "jouren",
        "larmmottagning", "larmmottagningen",
    ),
    "#KUND": (
        "kund", "kunden", "kunder", "kunderna", "kundens", "brukare", "brukaren",
        "brukarens", "enskild", "enskilde", "enskildes", "omsorgstagare", "omsorgstagaren",
        "vårdtagare", "vårdtagaren", "klient", "klienten",
    ),
    "#UTFORARE": (
        "utförare", "utföraren", "utförarna", "utförarens", "hemtjänstutförare",
        "hemtjänsten", "hemtjänstgrupp", "hemtjänstgruppen",
    ),
    # where the provider keeps a collected alarm for installation och service to fetch
    "#UTFORARENHET": ("utförarenheten", "utförarenhet", "kontoret", "till oss", "hos oss"),
    "#PARAPLY": (
        "paraply", "paraplyet", "paraplysystemet", "paraplysystem", "verksamhetssystemet", "i systemet",
    ),
    "#ACCEPT": (
        "acceptera", "accepterar", "accepteras", "accepterat", "godkänna", "godkänner",
        "tacka ja", "tackar ja", "ta emot", "tar emot",
    ),
    "#NEKA": (
        "inte accepterar", "inte acceptera", "inte accepteras", "neka", "nekar", "tacka nej",
        "tackar nej", "avböja", "avböjer", "avvisa", "avvisar", "säga nej", "säger nej",
        "inte ta emot", "inte tar emot", "accepterar inte", "accepteras inte", "godkänner inte",
        "tar inte emot", "inte kapacitet", "har inte kapacitet", "kan inte ta", "inte plats",
        "har inte plats", "inte möjlighet", "kan inte ta emot",
        "inte vill ta", "vill inte ta", "inte kan ta", "kan inte acceptera", "inte kan acceptera",
        "inte kan utföra", "kan inte utföra", "inte klarar", "klarar inte",
    ),
    "#AKTIVERA": (
        "aktivera", "aktiverar", "aktiveras", "aktiverat", "igång", "starta insatsen", "startat",
        "startar", "startas", "påbörjad", "påbörjas",
        "sätta igång", "komma igång",
    ),
    "#INHAMTA": (
        "inhämta", "inhämtar", "inhämtas", "hämta in", "hämtar in", "samla in", "samlar in",
        "låna", "lånar", "få nycklar", "få en nyckel",
    ),
    "#AVSTA": (
        "avstå", "avstår", "avstått", "vill inte ha", "inte vill ha", "vägra", "vägrar",
        "tacka nej", "tackar nej", "tackat nej", "säger nej till", "säga nej till",
        "inte vill lämna", "vill inte lämna", "inte lämna ut", "inte vill ge", "vill inte ge", "inte lämnar ut",
    ),
    # Steps are numbered "1." to "5." on the page; staff say "första steget", "steg två".
    "#STEG1": ("1", "första", "först", "börja", "börjar", "början", "steg ett", "steg 1"),
    "#STEG2": ("2", "andra steget", "andra steg", "steg två", "steg 2"),
    "#STEG3": ("3", "tredje", "steg tre", "steg 3"),
    "#STEG4": ("4", "fjärde", "steg fyra", "steg 4"),
    "#STEG5": ("5", "femte", "steg fem", "steg 5"),
    "#SISTA": ("sista", "sist", "slutsteg", "slutsteget"),
    "#HAMTA": (
        "hämta", "hämtar", "hämtas", "hämtning", "hämtningen", "plocka upp", "komma och hämta",
    ),
    "#LADDANER": ("ladda ner", "ladda ned", "laddar ner", "laddar ned", "ladda hem", "hämta ner"),
    "#ANTAL": (
        "hur många", "antal", "antalet", "exemplar", "exemplaret", "stycken", "kopia",
        "kopior", "uppsättning", "uppsättningar",
    ),
    "#LADDARE": ("laddare", "laddaren", "laddkabel", "laddkabeln", "laddsladd", "laddsladden"),
    "#SLADD": ("sladd", "sladden", "kabel", "kabeln", "strömsladd", "strömsladden"),
    "#BAND": (
        "armband", "armbandet", "halsband", "halsbandet", "hals", "bandet", "armbandslarm",
        "halsbandslarm", "snöre", "snöret",
    ),
    "#PASE": ("påse", "påsen", "påsar", "förpacka", "förpackar", "packa", "packar", "paket"),
    "#KNAPP": ("knapp", "knappen", "knappar"),
    "#OPPETTID": (
        "öppettid", "öppettider", "öppettiderna", "stängning", "stängningen", "stängningstid",
        "har öppet", "hur dags", "stänger", "kontorstid", "kontorstider", "tider", "tiderna",
        "kväll", "kvällen", "kvällstid", "natt", "natten", "nattetid",
    ),
    "#ARBETSDAG": ("arbetsdag", "arbetsdagar", "vardag", "vardagar", "vardagarna", "veckodagar", "dagar", "veckodag",
                   "helg", "helgen", "helger", "helgdag", "helgdagar", "lördag", "söndag"),
    "#ORGFORANDRING": (
        "organisatorisk", "organisatoriska", "omorganisation", "omorganisationen",
        "omorganisering", "verksamhetsövergång", "många kunder", "flera kunder",
        "utförarkedjan", "område", "området", "helt område", "hela området", "stadsdel", "stadsdelen",
    ),
    "#LASOPPNING": ("låsöppning", "låsöppningen", "låssmed", "låssmeden", "bryta upp"),
    "#BETALA": ("betala", "betalar", "betalas", "bekosta", "bekostar", "står för kostnaden"),
    "#OMGAENDE": (
        "omgående", "genast", "direkt", "snarast", "med en gång", "så fort som möjligt",
        "hur snabbt", "hur fort", "skyndsamt",
    ),
    "#INFORMERA": (
        "informera", "informerar", "informeras", "information", "informationen", "berätta",
        "berättar", "upplysa", "upplyser", "veta", "vet", "få veta", "får veta", "reda på",
        "återkoppla", "återkopplar", "återkoppling", "besked", "aviseras", "notis",
    ),
    "#ANDRING": (
        "ändra", "ändrar", "ändras", "ändrat", "ändring", "ändringar", "ändringen",
        "ändringarna", "uppdatera", "uppdaterar", "justera", "justerar", "lägga till",
        "lägger till", "läggas till", "läggs till",
        "förändring", "förändringar", "förändringen",
        "ändrad", "ändrade", "ändrats",
    ),
    "#MEDDELA": (
        "meddela", "meddelar", "meddelas", "meddelande", "anmäla", "anmäler", "anmälan",
        "kontakta", "kontaktar", "kontaktas", "höra av", "hör av", "säga till", "säger till",
        "underrätta",
    ),
    # "innan installationen" and the page's "Inför installationen", "innan kontakt"
    "#INNAN": ("innan", "inför", "före", "vänta", "väntar", "invänta", "inväntar", "avvakta", "avvaktar"),
    "#HANTERA": ("hanterar", "hantera", "hanteras", "tar hand om", "ta hand om", "sköter", "sköta", "ansvarar", "ansvarig"),
    # staff's words for the customer's home; the page says "bostad"
    "#BOSTAD": ("bostad", "bostaden", "lägenhet", "lägenheten", "hemmet", "huset", "boendet"),
    "#BEHORIGHET": ("behörighet", "behörigheter", "behörigheten", "behörig", "rättighet", "rättigheter"),
    # the second device of the return instructions: "Öppna locket på baksidan av larmet"
    "#LOCK": ("lock", "locket", "baksida", "baksidan", "bak", "baktill"),
    "#TILLGANG": (
        "tillgång", "tillgången", "komma in", "ta sig in", "tar sig in", "komma åt",
        "insläpp",
    ),
}

# Concepts that name the subject of almost every passage ("the customer", "the
# provider", "the alarm"): they help ranking but are no evidence on their own that a
# question is about the routines.
GENERIC_CONCEPTS: frozenset[str] = frozenset({"#KUND", "#UTFORARE", "#LARM", "#INFORMERA", "#MEDDELA"})

# Routine intents, most specific first: the first that matches wins. Each entry is
# (routine key, alternatives); an alternative is a set of concepts that must all be present.
ROUTINE_INTENTS: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = (
    ("alarm_chain", (frozenset({"#LARMKEDJA"}),)),
    # "vi tar över många kunder från en annan utförare" is a provider change, not a takeover
    ("provider_change", (frozenset({"#ORGFORANDRING"}), frozenset({"#UTFORARBYTE"}))),
    ("takeover", (frozenset({"#OVERTAG"}),)),
    (
        "return_alarm",
        (
            frozenset({"#ATERLAMNA", "#LARM"}),
            frozenset({"#STANGAV", "#LARM"}),
            frozenset({"#ATERLAMNA", "#LADDARE"}),
            frozenset({"#ATERLAMNA", "#BAND"}),
            frozenset({"#PASE", "#LARM"}),
            frozenset({"#SLADD", "#LARM"}),
            frozenset({"#BAND", "#LARM"}),
            frozenset({"#LADDARE", "#LARM"}),
            frozenset({"#LOCK", "#LARM"}),
            frozenset({"#KNAPP", "#LARM"}),
            frozenset({"=aterlamning"}),  # the return instructions' own heading word
            frozenset({"=aterlamningen"}),
        ),
    ),
    # "flyttat till äldreboende och larmet ska avslutas" ends the alarm
    ("termination", (frozenset({"#AVSLUT"}), frozenset({"#DEMONT"}))),
    ("move", (frozenset({"#FLYTT"}),)),
    (
        "new_order",
        (
            frozenset({"#BESTALL"}),
            frozenset({"#INSTALL", "#LARM"}),
            frozenset({"#INSTALL", "#LAS"}),
            frozenset({"#NEKA"}),
            frozenset({"#AKTIVERA"}),
            frozenset({"#ACCEPT"}),
        ),
    ),
)
