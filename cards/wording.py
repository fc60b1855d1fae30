"""Every Swedish word the cards show (the routines' own texts come from bot/domain)."""

STATUS_LINE = {
    "open": "Pågår",
    "closed": "Avslutat",
    "cancelled": "Makulerat",
    "declined": "Avböjt – beställningen accepterades inte",
}
CUSTOMER_REF = "Kundreferens"
NO_CUSTOMER_REF = "(ingen)"
STARTED = "Startat"
NEXT = "Nästa steg"
PROGRESS = "{done} av {total} steg klara"
WAITING_FOR = " – väntar på steg {label}"
WAITING_FOR_ALARM = " – väntar tills trygghetslarmet är återlämnat"
DUE = "Senast {time}"
DEADLINE_PASSED = "Tiden har passerat – senast {time}"
DEADLINE_SOON = "Tiden går snart ut – senast {time}"
MISSED_TODAY = "Dagens tidsgräns ({time}) hade redan passerat när steget blev aktuellt."
DO_NOW = "Gör nu: {what}"
REMINDER_AT = "Påminnelse {time}"
REMINDER_PASSED = "Inte klart ännu – påminnelsetiden {time} har passerat"
BASIS = "Grund: {basis}"
PRIORITY = "Prioriterad beställning"
PRIORITY_CALL = "Ring installation och service på {number} (sidans nummer för prioriterade beställningar)."
STEPS = "Steg"
GUIDANCE = "Att tänka på"
CONTACTS = "Kontakter på stadens sida"
LOG = "Logg"
EVENT_NAMES = {
    "opened": "Startat", "step_done": "Klart: steg", "step_undone": "Ångrat: steg", "note": "Anteckning",
    "reminder_sent": "Påminnelse: steg", "closed": "Avslutat", "cancelled": "Makulerat", "declined": "Avböjt",
}
SHOW_MORE = "Visa mer"
SHOW_WHOLE_CASE = "Visa hela ärendet"
FORM = "Blankett: {form}"
MAIL_TO = "Skriv e-post"
MAIL_TO_RECIPIENT = "Skriv e-post till {recipient}"
EMAIL = "E-post"
PHONE = "Telefon"
CALL = "Ring {number}"
MARK_DONE = "Klart: steg {label}"
UNDO_LAST = "Ångra senaste steg"
UNDO_REASON = "Varför ska steget ångras?"
UNDO_CONFIRM = "Ångra steg {label}"
DECLINE_REASON = "Orsak (frivilligt, inga namn eller personnummer)"
CLOSE_CASE = "Avsluta ärendet"
ROUTINE_DONE = "Rutinen är klar."
ALL_DONE = "Alla steg är klara – {done}"
FALLBACK = "{ref} · {routine}. Nästa steg: {label}. {title}"
TYPE_HINT = "Du kan också skriva **klar**, **ångra** följt av en orsak, eller **ärende {ref}**."
MAIL_SUBJECT = "{ref} – {routine}"
MAIL_GREETING = "Hej!"
MAIL_CASE = "Vårt ärende: {ref} ({routine})"
MAIL_CUSTOMER = "Kundreferens: {ref}"
MAIL_REGARDS = "Med vänlig hälsning"
MAIL_ROLE_LEAVING = " Vi är den tidigare utföraren."
MAIL_ROLE_RECEIVING = " Vi är den nya utföraren."
MAIL_AND_LOCK = " och lås"
MAIL_PRIORITY = " Beställningen är prioriterad."
MAIL_REASON = " Orsak: {reason}"
HELP_TITLE = "Larmlotsen – det här kan jag"
HELP_INTRO = ("Jag guidar dig genom stadens rutiner för trygghetslarm och nyckelfri hemtjänst, steg för steg, "
              "och för logg över varje ärende. Välj en rutin eller skriv dess namn.")
HELP_COMMANDS = (
    "**mina ärenden** – dina öppna ärenden (i en kanal: teamets)\n\n"
    "**ärende TL-…** – visa ett ärende\n\n"
    "**klar** – markera nästa steg i ärendet du arbetar med\n\n"
    "**ångra** följt av en orsak – ångra senaste steget\n\n"
    "**avbryt** – lämna frågorna du är mitt i\n\n"
    "**notiser här** / **notiser av** / **notiser** – teamets notiskanal (i en kanal)\n\n"
    "**mitt team** – gör kanalens team till ditt team för ärenden du startar i personlig chatt\n\n"
    "**statistik** – öppna och försenade ärenden och ledtider\n\n"
    "Du kan också ställa en fråga om rutinerna, till exempel *vilket nummer ringer jag vid prioriterad beställning?*"
)
START = "Starta"
QUESTION_OF = "{routine} – fråga {n} av {total}"
NEXT_BUTTON = "Nästa"
TYPE_ANSWER_HINT = "Du kan också skriva svaret{examples}."
BOOL_HINT = " (ja eller nej)"
DATE_HINT = " (till exempel 2026-12-07)"
CHOICE_HINT = " ({choices})"
CUSTOMER_REF_TITLE = "{routine} – kundreferens (frivillig)"
CUSTOMER_REF_LABEL = "Kundreferens, till exempel ert interna löpnummer"
CUSTOMER_REF_WARNING = ("Skriv **aldrig** namn eller personnummer här. Använd en egen referens som bara ni kan "
                        "koppla till kunden.")
SAVE = "Spara och starta ärendet"
SKIP = "Hoppa över"
SKIP_HINT = "Skriv referensen, eller **hoppa över**."
LIST_TITLE_MINE = "Dina öppna ärenden"
LIST_TITLE_TEAM = "Teamets öppna ärenden"
LIST_EMPTY = "Inga öppna ärenden."
LIST_NEXT = "Nästa: steg {label} ({title})"
LIST_NO_NEXT = "Väntar – inget steg kan markeras just nu"
LIST_DUE = " · senast {time}"
LIST_OVERDUE = " · **försenat** sedan {time}"
LIST_REMINDER = " · påminnelse {time} (inställning)"
SHOW = "Visa {ref}"
ANSWER_SOURCE = "Ur stadens sida, avsnittet ”{section}”"
ANSWER_START = "Starta {routine}"
ANSWER_DID_YOU_MEAN = "Menade du:"
YOUR_ANSWER = "Ditt svar"
CHOOSE_ANSWER = "Välj ett svar."
CHOOSE_DATE = "Välj ett datum."
EXPORT_TITLE = "Export av ärendelogg"
EXPORT_PERIOD = "Period: {start} – {end}"
EXPORT_COUNT = "{count} händelser (CSV, semikolonavgränsad, UTF-8)."
EXPORT_VALID = "Länken gäller i {minutes} minuter och bara för den här perioden."
EXPORT_DOWNLOAD = "Ladda ner CSV"
STATS_TITLE_TEAM = "Statistik för teamet"
STATS_TITLE_MINE = "Statistik för dina ärenden"
STATS_OPEN = "Öppna ärenden"
STATS_OVERDUE = "Försenade"
STATS_OVERDUE_VALUE = "{cases} ärenden ({steps} steg)"
STATS_CLOSED = "Avslutade senaste 30 dagarna"
STATS_LEAD_TIME = "Ledtid acceptera → aktivera"
STATS_LEAD_TIME_VALUE = "median {median} dagar, medel {mean} dagar ({n} beställningar)"
STATS_NO_LEAD_TIME = "ännu ingen beställning aktiverad"

# --- the notice channel's cards (cards/notices.py) ---------------------------------------------

NEW_CASE = "Nytt ärende"
NEW_PRIORITY_ORDER = "Ny prioriterad beställning"
NOTICE_PRIORITY_CALL = "Prioriterad beställning: ring installation och service på {number}."
STARTED_BY = "Startat av"
LATEST = "Senast"
NO_NEXT = "Inget steg kan markeras just nu"
NOTICE_ALL_DONE = "Alla steg är klara – ärendet kan avslutas"
STEP_LINE = "Steg {label}: {title}"
NOTICE_DUE = "senast {time}"
OVERDUE = "försenat sedan {time}"
NOTICE_REMINDER_AT = "påminnelse {time} (inställning)"
REMINDER_NOT_DONE = "Påminnelse: {ref} – steg {label} är inte klart (påminnelsetid {time}, inställning)"
LATEST_STEP_DONE = "Steg {label} klart: {title} – {name}, {time}"
LATEST_STEP_UNDONE = "Steg {label} ångrat – {name}, {time}"
LATEST_OPENED = "Startat – {name}, {time}"
LATEST_ENDED = "{status} – {name}, {time}"
SHOW_CASE = "Visa ärendet"
STEP_DONE_LINE = "✅ **{ref}** · steg {label} klart: {title} – {name}"
CLOSED_LINE = "🏁 **{ref}** · {routine} är avslutat – {name}"
DECLINED_TITLE = "Beställningen avböjdes"
DECLINED_BY = "{ref} · {routine} – avböjd av {name}, {time}"
NOTICE_MAIL_TO = "E-post till {recipient}"
REMINDER_NEAR = "Påminnelse: {ref} – steg {label} ska vara klart {time}"
REMINDER_OVERDUE = "Försenat: {ref} – steg {label} skulle vara klart {time}"
DIGEST_TITLE = "Dagens ärenden – {day}"
DIGEST_OPEN = "Öppna ärenden: {count}"
DIGEST_NONE = "Inga öppna ärenden."
DIGEST_OVERDUE_TITLE = "Försenade steg: {count}"
DIGEST_ROW = "**{ref}** · {routine}{customer} – nästa: steg {label} ({title}){due}"
DIGEST_ROW_WAITING = "**{ref}** · {routine}{customer} – väntar"
DIGEST_MORE = "… och {count} till. Skriv **mina ärenden** för hela listan."
DIGEST_TIMES_BASIS = "Grund för tiderna: {basis}."
DIGEST_SCHEDULE = "Dagens ärenden kommer {when}."
STATUS_DIGEST = "Dagens ärenden kommer hit {when}, när teamet har öppna ärenden."
STATUS_TITLE = "Notiser"
STATUS_ON = "Notiserna går till {place} sedan {time} ({name})."
STATUS_OFF = "Notiserna är avstängda. Skriv **notiser här** i den kanal som ska få dem."
STATUS_BOT_REMOVED = ("Larmlotsen togs bort från teamet eller chatten, så notiserna stängdes av. "
                      "Lägg till appen där igen för att få notiser.")
STATUS_CANCELLED = "Inställda notiser: {count}"
STATUS_NONE = "Inga notiser är påslagna för teamet. Skriv **notiser här** i den kanal som ska få dem."
STATUS_PENDING = "Väntar på att skickas: {count}"
STATUS_RETRYING = "Varav {count} har misslyckats och försöks igen ({error})."
STATUS_FAILED_TITLE = "Kunde inte skickas: {count}"
STATUS_FAILED_ROW = "{kind} {ref}– skapad {time}, {attempts} försök ({error})"
STATUS_ALL_SENT = "Alla notiser är skickade."
THIS_CHANNEL = "den här kanalen"
THIS_CHAT = "den här chatten"
OTHER_CHANNEL = "en kanal i teamet"
KIND_NAMES = {
    "case_card": "Ärendekort", "step_done": "Steg klart", "closed": "Avslutat", "declined": "Avböjd",
    "reminder": "Påminnelse", "digest": "Dagens ärenden", "undone": "Ångrat",
}
PURGED_TITLE = "Ärendet är gallrat"
PURGED_TEXT = "{ref}: uppgifterna i ärendet är borttagna enligt gallringsreglerna."
PURGED_SUMMARY = "{ref}: ärendet är gallrat"
DIGEST_ABANDONED_TITLE = "Orörda ärenden som gallras: {count}"
DIGEST_ABANDONED_ROW = "**{ref}** · tas bort {day} om ingen gör något i ärendet innan dess"
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


# The preview Teams shows of each notice (its `summary`).


def summary_new_case(reference: str, routine: str, priority: bool) -> str:
    return f"{'Prioriterad beställning' if priority else 'Nytt ärende'}: {reference} – {routine}"


def summary_case_update(reference: str) -> str:
    return f"{reference} uppdaterat"


def summary_step_done(reference: str) -> str:
    return f"{reference}: ett steg är klart"


def summary_closed(reference: str) -> str:
    return f"{reference} är avslutat"


def summary_declined(reference: str) -> str:
    return f"{reference}: beställningen avböjdes"


def summary_reminder(reference: str, overdue: bool, configured: bool = False) -> str:
    """`configured`: the time is a setting, not the page's deadline: a reminder, never "försenat"."""
    if configured:
        return f"{reference}: påminnelse om ett steg som inte är klart"
    return f"{reference}: {'försenat steg' if overdue else 'ett steg närmar sig sin tidsgräns'}"


def summary_digest(count: int) -> str:
    return f"Dagens ärenden: {count} öppna"
