"""Every Swedish sentence the Teams edge (bot/teams/) says on its own, before or around any dialog:
the welcome, a tenant refused, the apology after a failed turn, a reply that did not arrive. In one
place so it can be reviewed by someone who knows the routine; the dialogs' replies are in
dialogs/wording.py, the cards' words in cards/wording.py, the engine's messages in bot/domain/wording.py."""

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
