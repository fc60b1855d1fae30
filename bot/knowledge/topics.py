"""What the page does not say, and which question asks for what.

The page is silent on some things staff ask about: opening hours (it points to a menu that
is not part of its text), how long installation or feedback takes, prices, a deadline for
accepting, faults on the device. A passage near such a question reads like an answer but is
about something else ("minst fem arbetsdagar" is the notice for a large provider change, not
an installation lead time), so these questions are recognised first and answered with
"the page does not say" and whom to ask. Each gap names the page's wording it rests on.

Patterns are matched on the folded question (lower case, å/ä/ö as a/a/o).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    """Something the page does not give, how to recognise a question about it, and what to say."""

    key: str
    topic: str  # Swedish, for the subject of an e-mail asking about it
    asks: re.Pattern
    says: str  # Swedish, shown to the user
    basis: str  # why: what the page says or leaves out
    ask: str = "installation"  # whom to ask: "installation" (och service) or "trygghetsjour"


def _pattern(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


# A question about how long something takes or by when, in staff language.
DURATION = _pattern(
    r"\bhur lang tid\b", r"\bhur manga (arbets)?dagar\b", r"\bhur snabbt\b", r"\bhur fort\b",
    r"\binom hur\b", r"\bhur lange (tar|droj|dror|far vi vanta|ska vi vanta)", r"\bdeadline\b",
    r"\btidsgrans\b", r"\bvantetid\b", r"\bleveranstid\b", r"\bhur lang framforhallning\b.*\binstall",
    r"\bhur lang(e| tid) har (vi|jag|man|ni) pa (oss|mig|sig)\b",
    r"\bnar kommer (installator\w*|tekniker\w*|montor\w*|de|dom|is|installation)\b",
)

# Things of the routines a question may count (not the keys: the page gives "ett (1) exemplar").
_COUNTED = (r"((trygghets)?larm(et|en)?|larmklock\w*|larmknapp\w*|las(et|en)?|lastillbehor\w*|armband\w*"
            r"|behorighet(er|en|erna)?)\b")

GAPS: tuple[Gap, ...] = (
    Gap(
        "opening_hours",
        "öppettider",
        _pattern(r"\boppettid", r"\boppet\b", r"\bvilka tider\b", r"\btelefontid", r"\bnar kan (man|vi|jag) ringa\b", r"\bhar (de|dom|ni|dem) oppet", r"\bnar stanger\b",
                 r"\bstanger (de|dom|installation|trygghetsjour|jouren|enheten)", r"\bhur dags\b",
                 r"\bnar (oppnar|stanger|slutar)\b", r"\boppna\b.*\b(lordag|sondag|helg|kvall|natt|fredag|vardag|jul|midsommar)", r"\b(oppnar|stanger) (de|dom|installation|is|enheten)\b.*\b(fredag|helg|tidigare)"),
        "Stadens sida anger inte öppettiderna för installation och service. "
        "Den hänvisar till en meny som inte finns med i sidans text.",
        "Utförarbyten sker vardagar under ordinarie öppettider, se meny till höger för installation och "
        "service öppettider.",
    ),
    Gap(
        "lead_time",
        "tider",
        DURATION,
        "Stadens sida anger ingen tid för installation, återkoppling eller för att acceptera en "
        "beställning.",
        "The page gives the order of the steps and two notice periods for a provider change, no lead times.",
    ),
    Gap(
        "form_content",
        "vad blanketten ska innehålla",
        _pattern(r"\bvad ska (sta|fyllas i|skrivas)\b", r"\bvilka falt\b", r"\bvad (skriver|fyller) (man|vi|jag) i\b",
                 r"\b(vilka|vad for) (uppgifter|information|info)\b.*\b(fyll|blankett)", r"\bfyllas i\b.*\bblankett"),
        "Stadens sida säger inte vad som ska stå i blanketten, bara vilken blankett som gäller.",
        "The page names the form and links it; its fields are in the PDF, not on the page.",
    ),
    Gap(
        "device_model",
        "vilka larm och lås som används",
        _pattern(r"\bvilken (sorts|sorters|typ av|slags|modell)\b", r"\bvilket (marke|fabrikat|slags)\b",
                 r"\bvilka (sorts|sorters|typer av|modeller)\b.*\b(las|larm)"),
        "Stadens sida säger inte vilka larm eller lås som används.",
        "The page tells two devices apart only by a grey button underneath or a lid at the back.",
    ),
    Gap(
        "trygghetsjour_phone",
        "telefonnummer",
        _pattern(r"\b(telefon\w*|nummer|numret|ring\w*|tel|telnr)\b.*\btrygghetsjour",
                 r"\btrygghetsjour\w*\b.*\b(telefon\w*|nummer|numret|ring\w*|telnr)\b"),
        "Stadens sida ger ingen telefon till Stockholms trygghetsjour, bara e-post. "
        "Telefonnumret på sidan gäller installation och service vid prioriterad beställning.",
        "Stockholms trygghetsjour / E-post: trygghetslarm@stockholm.se; the only phone number is for a priority order.",
        ask="trygghetsjour",
    ),
    Gap(
        "not_home",
        "när kunden inte är hemma",
        _pattern(r"\binte (ar |e )?hemma\b", r"\binte (oppnar|slapper in)\b", r"\binte (ar |e )?antraffbar"),
        "Stadens sida säger inte vad som gäller om kunden inte är hemma eller inte öppnar.",
        "The page asks the provider to secure access to the home before contacting installation "
        "och service, and says nothing of a visit that fails.",
    ),
    Gap(
        "price",
        "kostnader",
        _pattern(r"\bvem (betalar|star for|bekostar)\b(?!.*\blasoppning)",
                 r"\bvad kostar\b", r"\bkostar (det|larmet|laset|en|ett)\b", r"\bhur mycket kostar\b",
                 r"\bpris(et|er)?\b", r"\bavgift", r"\btaxa", r"\bfaktur"),
        "Stadens sida anger inga priser eller avgifter.",
        "The page says only that a customer without keys or keyless care pays any lock opening.",
    ),
    Gap(
        "device_fault",
        "fel på larmet",
        _pattern(r"\bpiper\b", r"\bbatteri", r"\binte (fungerar|funkar|fungera|funka)\b", r"\bhur laddar\b", r"\bladda(s|r)? (larmet|trygghetslarmet|klockan|larmklockan)\b", r"\bfungerar inte\b", r"\bfunkar inte\b", r"\btrasig",
                 r"\bfelanmal", r"\bsonder\b", r"\btesta\b", r"\btestar\b", r"\btappat\b", r"\bborttappa", r"\bforsvunn",
                 r"\brackvidd", r"\bladdas inte\b", r"\bgar inte att\b"),
        "Stadens sida säger inget om fel på larmet eller låset.",
        "The page covers ordering, changes, ending and returning, not faults or testing.",
    ),
    Gap(
        "how_many",
        "antal larm och lås",
        # How many alarms, locks or permissions: the page counts only the keys ("ett (1) exemplar").
        _pattern(rf"\bhur manga {_COUNTED}", r"\bhur manga (utforare|personer)\b.*\bbehorighet",
                 rf"\b(tva|tre|flera|fler) (olika )?{_COUNTED}", rf"\bfler (an|en) (ett|en) {_COUNTED}",
                 rf"\bantal {_COUNTED}"),
        "Stadens sida säger inte hur många trygghetslarm, lås eller behörigheter en kund kan ha.",
        "The page speaks of the customer's alarm and lock accessory and counts only the keys "
        "(\"ett (1) exemplar av den enskildes hemnycklar\").",
    ),
)

# The lead-time gap: installation, feedback, accepting, the form, a move. A duration
# question about what the page does time (a provider change, a large organisational change,
# declining an order, the grey button) is answered from the page instead.
TIMED_ON_PAGE = frozenset({"#UTFORARBYTE", "#ORGFORANDRING", "#NEKA", "#KNAPP", "#STANGAV", "#AVSLUT", "#DEMONT"})

# Concepts that place a question among the routines at all: without one of them, a question
# the page cannot answer is out of scope rather than a gap in the page.
DOMAIN_CONCEPTS = frozenset({
    "#LARM", "#LAS", "#UTANLAS", "#NYCKEL", "#INSTSERV", "#JOUR", "#LASOPPNING", "#PARAPLY",
    "#BLANKETT", "#LARMKEDJA", "#BEHORIGHET", "#UTFORARBYTE", "#OVERTAG", "#INSTALL", "#ATERLAMNA", "#DEMONT",
})


# "Hur lång tid tar det ...": how long someone else's work takes, which the page never says;
# only a provider change has notice periods on the page.
TAKES_TIME = _pattern(r"\b(hur lang tid|hur manga (arbets)?dagar|hur lange|hur snabbt|hur fort)\b.*\b(tar|droj\w*|dror)\b",
                      r"\btar det\b.*\b(lang tid|dagar|veckor)\b")
OUR_DUTY = _pattern(r"\b(ska|maste|behover|bor) (vi|jag|man|ni)\b", r"\b(vi|jag|man|ni) (ska|maste|behover)\b",
                    # "hur snabbt ska IS veta": how soon we must tell them
                    r"\b(ska|maste|behover) (\w+ ){1,3}(veta|meddelas|informeras|kontaktas|fa veta)\b")
# Timed on the page whoever asks: a provider change, declining an order, the grey button.
TIMED_BY_PAGE = frozenset({"#UTFORARBYTE", "#ORGFORANDRING", "#NEKA", "#KNAPP", "#STANGAV"})


# Steps of an order in the case system: how long one has for them is a question about the routines.
ORDER_STEPS = frozenset({"#ACCEPT", "#AKTIVERA"})


def gap_asked(folded_question: str, tokens: frozenset[str], all_known: bool = False) -> Gap | None:
    """The gap of the page a question asks about, if it is about the routines at all. A
    question of only the page's and the lexicon's words ("hur lång tid tar återkopplingen?")
    may ask for a time without naming a thing of the routines."""
    about_routines = bool(tokens & (DOMAIN_CONCEPTS | ORDER_STEPS))
    if not about_routines and not all_known:
        return None
    for gap in GAPS:
        if not gap.asks.search(folded_question):
            continue
        if not about_routines and (gap.key != "lead_time" or OUR_DUTY.search(folded_question)):
            continue  # "hur snabbt måste vi säga till": a duty of ours, timed on the page
        if gap.key == "lead_time" and tokens & TIMED_ON_PAGE:
            # The page times only what the provider must do ("omgående", "minst fem arbetsdagar"),
            # never the work of installation och service.
            others_work = TAKES_TIME.search(folded_question) or not OUR_DUTY.search(folded_question)
            # "Hur lång tid tar ett utförarbyte för IS?" asks for their work, which the page never times.
            if (tokens & TIMED_BY_PAGE and not (TAKES_TIME.search(folded_question) and "#INSTSERV" in tokens)) or not others_work:
                continue
        if gap.key == "trygghetsjour_phone" and tokens & {"#INSTSERV", "#PRIO"}:
            continue
        if gap.key == "opening_hours" and "#UTFORARBYTE" in tokens:
            continue  # "Utförarbyten sker vardagar under ordinarie öppettider" answers it
        return gap
    return None


# "Nycklarna till personalrummet", "nyckeln till förrådet": keys, and what they open. The page's
# keys are the customer's (to the home, the lock); keys to a place the page never names are
# another matter (see `KnowledgeBase._keys_to_elsewhere`).
KEYS_TO = re.compile(r"\bnyck\w*\s+(?:till|for|i|pa|fran)\s+(\w+)")


# --- what a question asks for ------------------------------------------------------------------

NEXT_STEP = _pattern(
    r"\bnasta\b", r"\bvad (gor|ska) (jag|vi|man) (nu|sen|sedan|da)\b", r"\bvad nu\b", r"\bsen da\b",
    r"\bsedan da\b", r"\bvad hander (efter|sen|sedan|nu|da)\b", r"\boch sen\b", r"\bvad kommer (sen|sedan|efter)\b",
    r"\befter att (vi|jag|man|ni) (har )?\w+", r"\bklart,? vad\b", r"\bvad gor (jag|vi) (efter|da)\b",
    # "installation o service har återkopplat, vad e sista steget": a step done, then a question
    r"\bhar (?!fatt\b)(\w+ )?\w+(at|it|tt)\b.{0,40}[,.]\s*(vad|va|hur)\b", r"\bvad vantar (vi|jag|man|ni)\b",
    r"\b(gora|gor) (nat|nagot|nagonting) mer\b",
)

# "Får vi lämna nycklarna", "när ger vi tillbaka nycklarna": the keys go back to the customer.
KEYS_BACK = _pattern(r"\blamna(r|s)? (tillbaka |ater )?(kundens |brukarens |hem)?nyck", r"\bnyck\w* (tillbaka|ater)\b", r"\btillbaka (\w+ )?nyck",
                     r"\b(ge|ges|ger|lamna|lamnas|lamnar|aterlamna\w*) tillbaka\b", r"\baterlamna(r|s)? (kundens |hem)?nyck")
KEYS_NOT_BACK = _pattern(r"\blamna(r)? ut\b", r"\blamna(s|r)? over\b", r"\boverlamn")

# A question that picks one of the two devices of the return instructions.
GREY_BUTTON_DEVICE = _pattern(r"\bgra\b", r"\bknapp", r"\bundersida", r"\bladdare", r"\barmband", r"\bhalsband")
BACK_LID_DEVICE = _pattern(r"\block(et)?\b", r"\bbaksida", r"\bsladd")

# "Vad ska vi göra", "hur gör man", "vad gäller": the whole procedure, not one sentence.
PROCEDURE = _pattern(
    r"\bvad (ska|behover|maste|bor) (vi|jag|man|ni) gora\b", r"\bhur (gor|ska|hanterar|gar) (vi|jag|man|ni)\b",
    r"\bvad galler\b", r"\bsteg for steg\b", r"\bi vilken ordning\b", r"\bhur fungerar\b", r"\bhur gor\b",
    r"\bhur (avslutar|hanterar|anmaler|meddelar) (man|vi|jag|ni)\b", r"\bhur\s*\??$", r"\brutin(en)? for\b",
    r"\bhur gar det till\b", r"\bvad (ska|behover|maste|bor) (vi|jag|man|ni) (tanka pa|ha koll pa|veta)\b", r"\bvad gor (vi|jag|man|ni)\b(?! (nu|sen|sedan|da|efter)\b)",
)

# "Vem skickar larmblanketten?", "vem aktiverar beställningen?": who does a step -- the step's
# page sentence names the one who does it. Not "vem ska vi meddela/maila": whom to contact.
WHO_DOES = _pattern(r"\bvem (som )?(?!(ska|bor|maste) (vi|jag|man|ni) )(?!(kontakt|mejl|mail|ring|meddela|informera|skriv|fraga|vand))\w+")
