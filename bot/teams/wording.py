"""Every Swedish sentence the bot layer says, in one place so it can be reviewed by someone who
knows the routine. (Routine wording lives with the routine data in bot/domain.)"""

WELCOME_PERSONAL = (
    "Hej! Jag är Larmlotsen. Jag guidar dig genom stadens rutiner för trygghetslarm och "
    "nyckelfri hemtjänst, steg för steg, och för logg över varje ärende. "
    "Skriv **hjälp** för att se vad jag kan."
)
WELCOME_TEAM = (
    "Hej allihop! Jag är Larmlotsen. Nämn mig (@Larmlotsen) och skriv namnet på en rutin, "
    "till exempel **ny beställning**, eller **hjälp** för att se allt jag kan."
)
TURN_FAILED = (
    "Förlåt, något gick fel hos mig och ingenting sparades. Försök gärna igen om en stund."
)
TENANT_REFUSED = (
    "Larmlotsen är inte öppen för din organisation. Kontakta er IT-avdelning om du behöver tillgång."
)
EARLIER_REPLY_UNDELIVERED = "Mitt förra svar till dig kom inte fram. Här är det:"
