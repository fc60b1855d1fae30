"""Turn Swedish text into comparable word forms.

Staff type on phones, often without å/ä/ö, so every form is folded to ASCII *before*
stemming, on the page and on the question alike: "återlämna" and "aterlamna" then
meet in the same stem. Folding first keeps both sides consistent; the Swedish
Snowball stemmer works well enough on the folded spelling.
"""

from __future__ import annotations

import re

import snowballstemmer

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"})

# Hyphens inside a word are dropped ("e-post" -> "epost"); a trailing hyphen of a
# shared compound ("hals- eller armbandet") simply ends the word.
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_stemmer = snowballstemmer.stemmer("swedish")

# Teams puts "<at>Larmlotsen</at>" in channel messages; the bot's name is no question.
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# A quick question is short; a pasted page is not one, and must not cost time.
MAX_QUESTION_CHARS = 500


def question_text(message: str) -> str:
    """The question in a chat message: mentions and markup removed, length capped."""
    without_markup = _TAG.sub(" ", _MENTION.sub(" ", message))
    return without_markup[:MAX_QUESTION_CHARS]


def fold_letters(text: str) -> str:
    """Lower-case and replace Swedish letters by their ASCII look-alikes (punctuation kept; typed
    commands fold further, see bot/teams/activity.py)."""
    return text.lower().translate(_FOLD)


def words(text: str) -> list[str]:
    """Folded words of a text, hyphenated words joined."""
    return [match.replace("-", "") for match in _WORD.findall(fold_letters(text))]


def stem(word: str) -> str:
    """Snowball stem of a folded word, plus the definite '-et' Snowball leaves on
    ("larmet", "låset", "locket") so they meet their bare forms."""
    stemmed = _stemmer.stemWord(word)
    if stemmed.endswith("et") and len(stemmed) >= 5:
        stemmed = stemmed[:-2]
    return stemmed


# Function words and question fillers: they say nothing about which passage answers.
# Stored folded, like everything the analyser compares.
STOPWORDS: frozenset[str] = frozenset(
    fold_letters(word)
    for word in """
    och att i en ett jag hur vad var vem vilken vilket vilka när som på är av för med till
    den det de dem du vi ni han hon man sig mig dig oss er ska skall måste kan kunna kunde
    får fått fick få behöver behövs bör har hade ha haft inte ej om eller men så också även
    nu då där här hit dit från ut upp in vid efter mot utan under alla allt
    någon något några min mitt mina din ditt dina vår vårt våra deras dess hans hennes
    sin sitt sina blir bli blev göra gör görs göras gjort gjorts gäller finns fanns hända händer hänt
    egentligen snälla tack hej hallå just bara sen sedan mycket många mer mest vara varit
    skulle kommer komma kom ta tar tog ge ger gav detta denna dessa vart varifrån varför
    ifall typ liksom ens väl ju nog gärna någonstans rutin rutinen rutiner rutinerna
    därför eftersom medan än både samt dvs osv ok okej undrar fråga frågar
    samma annat ner ned tillväga sagt säger säga viktigt viktig fler namn namnet räknas räknar ingår
    igen alltså redan fortfarande själv själva sig vill ville velat ny nytt nya inför
    sitta sitter kvar inne länge lång långt hålla håller ligga ligger stå står gå går sätta
    sätts sätter använda använder hitta hittar fungera fungerar funkar exakt ungefär normalt
    vanligtvis brukar säga säger tänka tänker steg steget stegen stegvis annat annan
    va e o nån nåt ngn ngt nåd dom iaf asså pls plz mm sorts sorters slags typer
    """.split()
)
