"""Every Swedish sentence the dialogs say (the engine's refusals come from bot/domain)."""

NOTHING_TO_CANCEL = "Det finns inget att avbryta just nu."
CANCELLED_INTAKE = "Okej, jag har avbrutit. Inget ärende skapades."
CASE_STARTED = "Ärende **{ref}** är startat. Här är checklistan:"
NO_FOCUS = ("Vilket ärende menar du? Skriv till exempel **klar TL-2026-0042**, "
            "eller **mina ärenden** för att se dina öppna ärenden.")
CASE_NOT_FOUND = "Jag hittar inget ärende {ref}. Kontrollera numret, eller skriv **mina ärenden**."
NO_ACCESS = "Ärende {ref} hör till ett annat team. Du kan bara se och ändra ärenden i ditt team eller som du själv arbetat med."
UNDO_NEEDS_REASON = "Skriv **ångra** följt av orsaken, till exempel *ångra markerade fel steg*."
NO_STEP_AVAILABLE = "Inget steg i ärende {ref} kan markeras klart just nu."
UNKNOWN_STEP_LABEL = "Ärende {ref} har inget steg {label} som kan markeras klart nu."
STALE_INTAKE = "Den frågan hör till en rutin som inte längre pågår. Skriv rutinens namn för att börja om."
UNKNOWN_ACTION = "Den knappen känner jag inte igen. Öppna ärendet igen med **ärende TL-…**."
BAD_ACTION = "Knappen saknade uppgifter jag behöver. Öppna ärendet igen med **ärende TL-…**."
ANSWER_INVALID = "Det svaret förstod jag inte. {hint}"
BOOL_EXPECTED = "Svara **ja** eller **nej**."
CHOICE_EXPECTED = "Välj ett av alternativen: {choices}."
DATE_EXPECTED = "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-07."
DECLINED = "Beställningen i ärende {ref} är avböjd. {instruction} {contact}"
DECLINE_CONTACT = "E-post: [{address}]({link})"
ALL_STEPS_DONE = ("Alla steg i ärende {ref} är klara – {done} Skriv **avsluta ärendet** för att avsluta ärendet, "
                  "eller **ärende {ref}** för att se det.")
NOT_UNDERSTOOD = ("Det vet jag tyvärr inget säkert svar på. Jag svarar bara på frågor om stadens rutiner för "
                  "trygghetslarm och nyckelfri hemtjänst. Skriv **hjälp** för att se vad jag kan.")
PERSONAL_DATA_IN_QUESTION = ("Det ser ut som ett personnummer i ditt meddelande. Skriv aldrig personnummer till mig "
                             "– jag har inte sparat det.")
CUSTOMER_REF_PERSONAL_NUMBER = ("Det där ser ut som ett personnummer eller samordningsnummer. Det får inte sparas här "
                                "och jag har inte sparat det. Skriv en egen referens utan namn och personnummer, "
                                "eller hoppa över.")
CUSTOMER_REF_TOO_LONG = "Referensen får vara högst 64 tecken. Skriv en kortare, eller hoppa över."
REFUSED_PREFIX = "Det gick inte: "
ADMIN_ONLY = "Det kommandot är bara för administratörer. Be er administratör om hjälp."
EXPORT_USAGE = ("Skriv **export** följt av en period, till exempel *export 2026-01-01 2026-03-31* "
                "(högst ett år), eller bara **export** för de senaste 30 dagarna.")
STALE_CARD = ("Kortet visade inte längre ärendets senaste läge, så jag ändrade ingenting. "
              "Här är det aktuella kortet.")
OTHERS_INTAKE = ("Frågorna här hör till en kollegas pågående rutin, så ditt svar räknades inte. "
                 "Vill du starta en egen, skriv till exempel **@Larmlotsen ny beställning**.")
PURGED = ("Gallringen är klar: {count} ärenden togs bort (avslutade för mer än {months} månader sedan, eller "
          "orörda och markerade för gallring), {abandoned} orörda ärenden markerades för gallring.")
ADMIN_PERSONAL_ONLY = ("**export** och **gallra** fungerar bara i en personlig chatt med mig, så att ingen annan "
                       "ser länken eller resultatet.")

# notiser här / av, notiser, mitt team (dialogs/notices.py)
SUBSCRIBED = ("Klart! Notiser om teamets ärenden och påminnelser kommer hit, och översikten Dagens ärenden "
              "{when}.")
UNSUBSCRIBED = "Notiserna är avstängda. Skriv **notiser här** för att slå på dem igen."
NOT_SUBSCRIBED = "Notiserna var redan avstängda."
ONLY_IN_SHARED = "Skriv **notiser här** i den kanal (eller gruppchatt) som ska få teamets notiser."
NO_HOME_TEAM = ("Du har inget team ännu. Skriv **mitt team** i en kanal i ditt team, så hamnar ärenden du "
                "startar här i det teamet.")
HOME_TEAM_SET = "Klart! Ärenden du startar i din personliga chatt hör nu till det här teamet."
HOME_TEAM_ONLY_IN_CHANNEL = "Skriv **mitt team** i en kanal i det team du hör till."
