"""What the development batches (questions_dev2.py … questions_dev4.py) share, and the helpers every
question set writes its questions with: the page's phrases an answer must contain, and f (a fact
the page gives), u (the page does not answer: the answer says so and names a contact) and o (out of
scope). `write_batch` writes a batch's JSON once, numbered with the batch's own prefix."""
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


def u(topic, q, no=(), *, contacts=ANY_CONTACT):
    # The page does not answer: the answer must say so and name a contact to ask.
    return dict(kind=U, topic=topic, q=q, must=[list(contacts)], must_not=list(no))


def o(q):
    return dict(kind=O, topic="out_of_scope", q=q, must=[], must_not=[])


def numbered(questions, prefix):
    return [dict(question, id=f"{prefix}{index + 1:03d}") for index, question in enumerate(questions)]


def write_batch(questions, prefix, file_name):
    """Write the batch to its JSON file next to this one (once, when the batch is written)."""
    items = numbered(questions, prefix)
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    (Path(__file__).parent / file_name).write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(len(items), {kind: sum(item["kind"] == kind for item in items) for kind in (F, U, O)})
