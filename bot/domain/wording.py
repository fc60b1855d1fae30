"""Every Swedish sentence the engine itself says (refusals, confirmations, warnings).

Kept together so someone who knows the routines can review the wording in one place.
The routines' own texts live in routines.py.
"""

from __future__ import annotations

from datetime import date, datetime

from .timefmt import day_text, local_time

STATUS_NAMES = {
    "open": "öppet",
    "closed": "avslutat",
    "cancelled": "makulerat",
    "declined": "avböjt",
}

FIELD_CUSTOMER_REF = "Kundreferensen"
FIELD_NOTE = "Anteckningen"
FIELD_REASON = "Orsaken"


def step_name(label: str, title: str) -> str:
    return f"steg {label} ({title})"


def blocked_by(label: str, blocking_label: str, blocking_title: str) -> str:
    return f"Steg {label} kan inte markeras klart förrän {step_name(blocking_label, blocking_title)} är klart."


def keys_before_alarm(confirming: tuple[str, str] | None) -> str:
    base = "Kundens nycklar får inte lämnas tillbaka förrän trygghetslarmet är återlämnat."
    if confirming is None:
        return base
    return f"{base} Markera först {step_name(*confirming)} som klart."


def already_done(label: str, title: str) -> str:
    return f"Steg {label} ({title}) är redan klart."


def step_done(label: str, title: str) -> str:
    return f"Steg {label} ({title}) är klart."


def step_undone(label: str, title: str) -> str:
    return f"Steg {label} ({title}) är ångrat. Orsaken är sparad i ärendets logg."


NOTE_ADDED = "Anteckningen är sparad."
REMINDER_RECORDED = "Påminnelsen är noterad."
CASE_CANCELLED = "Ärendet är makulerat."


def case_closed(reference: str) -> str:
    return f"Ärende {reference} är avslutat."


def unknown_step(step_id: str, routine_title: str) -> str:
    return f"Steget ”{step_id}” finns inte i rutinen {routine_title}."


def step_not_applicable(title: str) -> str:
    return f"Steget ”{title}” gäller inte det här ärendet."


def unknown_routine(key: str) -> str:
    return f"Rutinen ”{key}” finns inte."


def case_not_open(reference: str, status: str) -> str:
    return f"Ärende {reference} är {STATUS_NAMES.get(status, status)} och kan inte ändras."


def case_not_found(reference: str) -> str:
    return f"Hittar inget ärende med referensen {reference}."


NOTHING_TO_UNDO = "Det finns inget klart steg att ångra."
REASON_REQUIRED = "Skriv en kort orsak."
NOTE_REQUIRED = "Anteckningen är tom."
CONCURRENT_UPDATE = "Någon annan ändrade ärendet samtidigt. Försök igen."


def not_complete(label: str, title: str) -> str:
    return f"Ärendet kan inte avslutas förrän alla steg är klara. Nästa steg: {step_name(label, title)}."


def decline_not_offered(routine_title: str) -> str:
    return f"Rutinen {routine_title} har inget sätt att tacka nej."


def decline_too_late(label: str, title: str) -> str:
    return f"Det går inte att tacka nej efter {step_name(label, title)}."


def reminder_for_done_step(label: str, title: str) -> str:
    return f"Steg {label} ({title}) är redan klart; ingen påminnelse behövs."


def personal_number_found(field_label: str) -> str:
    return (
        f"{field_label} verkar innehålla ett personnummer eller samordningsnummer. Skriv aldrig "
        "personnummer här – använd en egen kundreferens utan personuppgifter."
    )


def text_too_long(field_label: str, limit: int) -> str:
    return f"{field_label} får vara högst {limit} tecken."


def fact_missing(question: str) -> str:
    return f"Svara på frågan: {question}"


def fact_invalid(question: str) -> str:
    return f"Svaret på frågan ”{question}” gick inte att tolka."


def fact_unknown(name: str) -> str:
    return f"Uppgiften ”{name}” hör inte till rutinen."


def date_not_working_day(day: date, holiday: str | None) -> str:
    why = f" ({holiday})" if holiday else ""
    return (
        f"{day_text(day)} är ingen arbetsdag{why}. Utförarbyten sker vardagar under ordinarie "
        "öppettider – välj en vardag."
    )


def date_in_past(day: date) -> str:
    return f"Datumet {day_text(day)} har redan passerat."


def too_short_notice(day: date, days: int, latest: datetime, closing_basis: str) -> str:
    return (
        f"Önskat datum {day_text(day)} ligger för nära: installation och service ska kontaktas minst "
        f"{days} arbetsdagar före önskat byte. Sista dag att kontakta installation och service var "
        f"{local_time(latest)} {closing_basis}. Kontakta dem omgående och tala om att framförhållningen är kortare."
    )


# --- deadlines: what each clock time rests on ------------------------------------------------

ONE_HOUR = "en timme"


def hours(count: float) -> str:
    return f"{count:g} timmar"


def basis_before_closing(margin: str, clock: str, closing_basis: str) -> str:
    return f"senast {margin} före stängning (sidan) – kl. {clock} {closing_basis}"


def basis_days_before(days: int, latest: str, closing_basis: str) -> str:
    return f"minst {days} arbetsdagar före önskat byte (sidan) – {latest} {closing_basis}"


def basis_immediately(reminder_basis: str) -> str:
    return f"omgående (sidan) – {reminder_basis}"


def basis_no_page_time(reminder_basis: str) -> str:
    return reminder_basis

# The case log line of a channel reminder (bot/notifications/reminders.py).
REMINDER_LOG = {"near": "Påminnelse i kanalen: steget närmar sig sin tidsgräns.",
                "overdue": "Påminnelse i kanalen: steget är försenat."}
# A configured reminder time (the page gives no deadline for the step): reminded, never "late".
REMINDER_LOG_CONFIGURED = {"near": "Påminnelse i kanalen: påminnelsetiden närmar sig (inställning).",
                           "overdue": "Påminnelse i kanalen: steget är inte klart vid påminnelsetiden (inställning)."}
