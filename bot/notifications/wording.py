"""Swedish words of the notices' commands and previews (the cards' words are in cards/notices.py)."""

SUBSCRIBED = "Klart! Notiser om teamets ärenden, påminnelser och dagens översikt kommer hit."
UNSUBSCRIBED = "Notiserna är avstängda. Skriv **notiser här** för att slå på dem igen."
NOT_SUBSCRIBED = "Notiserna var redan avstängda."
ONLY_IN_SHARED = "Skriv **notiser här** i den kanal (eller gruppchatt) som ska få teamets notiser."
NO_HOME_TEAM = ("Du har inget team ännu. Skriv **mitt team** i en kanal i ditt team, så hamnar ärenden du "
                "startar här i det teamet.")
HOME_TEAM_SET = "Klart! Ärenden du startar i din personliga chatt hör nu till det här teamet."
HOME_TEAM_ONLY_IN_CHANNEL = "Skriv **mitt team** i en kanal i det team du hör till."
REMINDER_LOG = {"near": "Påminnelse i kanalen: steget närmar sig sin tidsgräns.",
                "overdue": "Påminnelse i kanalen: steget är försenat."}
# A configured reminder time (the page gives no deadline for the step): reminded, never "late".
REMINDER_LOG_CONFIGURED = {"near": "Påminnelse i kanalen: påminnelsetiden närmar sig (inställning).",
                           "overdue": "Påminnelse i kanalen: steget är inte klart vid påminnelsetiden (inställning)."}


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
