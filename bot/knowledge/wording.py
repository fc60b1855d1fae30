"""Swedish wording of the quick answers that is the bot's own, not the page's."""

MAIL_TO = "Skriv e-post till {recipient}"
CALL = "Ring {recipient} {number}"
MAIL_SUBJECT = "Fråga om {topic}"

STEP_BEFORE = "Steget före"
NEXT_STEP = "Nästa steg"
NEXT_STEP_IF = "Nästa steg {condition}"
ROUTINE_DONE = "Det var sista steget"
LAST_STEP = "Sista steget"
KEYS_AFTER_INSTALLATION = "Efter installationen"
KEYS_AT_END = "Vid avslut och återlämning av larmet"

# A "Menade du" button sends this back as the question: it is answered with that section.
SUGGESTION_QUESTION = "Vad gäller: {section}"

NOT_ON_PAGE = "{says} Fråga enheten för installation och service."
NOT_ON_PAGE_ASK_TRYGGHETSJOUR = "{says} Skriv till Stockholms trygghetsjour."
NOT_SURE = (
    "Jag hittar inget säkert svar på stadens sida. Välj det som ligger närmast, "
    "eller fråga enheten för installation och service."
)

# Conditions of a step ("when" of the routine data) in words.
CONDITIONS = {
    ("lock", True): "om kunden har lås för nyckelfri hemtjänst",
    ("lock", False): "om kunden inte har lås",
    ("priority", True): "vid prioriterad beställning",
    ("large_org_change", True): "vid större organisatorisk förändring",
    ("provider_role", "leaving"): "för utföraren som lämnar",
    ("provider_role", "receiving"): "för utföraren som tar emot",
    ("keys_held", True): "om ni har kundens nycklar",
}
