"""What a question asks for (a number, a year, a date, a name, what the sources say, whose words), and
whether a sentence holds that kind of thing.

Question words of English, Russian and Kazakh; general grammar, not tied to any question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kzqa.phrases import asking_part

# Words that ask what the sources say (as opposed to asking for one fact).
ASKS_FOR_SOURCES = re.compile(
    r"\b(sources?|outlets?|media|press|reports?|articles?|coverage|источник\w*|сми|пресс\w*|стать\w*|"
    r"дереккөз\w*|басылым\w*)\b", re.IGNORECASE)

# Question words that ask for a length of time, an age, a date or a year (the answer will hold a
# number); counts (ASKS_FOR_COUNT, below) hold one too.
ASKS_FOR_NUMBER = re.compile(
    r"\b(how (long|old|often|far)|what (year|age)|until when|in what year|which year|до какого года|"
    r"в каком году|в какие годы|нешінші|қай жыл\w*)\b",
    re.IGNORECASE)
# Those that ask for a count or a share (the number will count something the question names): by
# their question words, or by asking what a quantity "is" ("What was the budget?"). The quantity nouns
# are those of the numeric answer types of Li and Roth's question taxonomy (2002): count, money,
# percent, size, distance, period, speed, temperature, weight.
# Of those, COUNT_NOUNS (with "share") ask for a count or a share whatever follows them: "What turnout was
# recorded?", "What vote share ...?", where "What price did he pay?" or "What rate of approval ...?" may not.
COUNT_NOUNS = r"number|amount|count|total|population|turnout|percentage|proportion"
QUANTITY_NOUNS = (rf"{COUNT_NOUNS}|share|price|cost|budget|salary|income|wage|revenue|value|rate|size|area|length|"
                  r"distance|height|depth|width|duration|speed|temperature|weight")
QUANTITY_NOUNS_RU = (r"числ|количеств|сумм|итог|населени|явк|цен|стоимост|бюджет|зарплат|доход|выручк|величин|"
                     r"ставк|процент|дол[яию]|размер|площад|длин|протяж[её]нност|расстояни|высот|глубин|ширин|"
                     r"продолжительност|длительност|скорост|температур|вес")  # the same, as Russian stems
ASKS_FOR_COUNT = re.compile(
    rf"\b(how (many|much)|what (\w+ )?({COUNT_NOUNS}|share|percent)s?|сколько|какой процент|какая доля|"
    rf"қанша|неше|what (is|was|are|were) (the )?(\w+ ){{0,2}}({QUANTITY_NOUNS})s?|"
    rf"(каков[аоы]?|как(ой|ая|ое|ие|ую|им)) ((был|была|было|были) )?(\w+ )?({QUANTITY_NOUNS_RU})\w*)\b", re.IGNORECASE)
# Those that ask for a name ("What are the names of ...?", "Как зовут ...?").
ASKS_FOR_NAME = re.compile(
    r"\b(what (is|are|was|were) (the|their|his|her|its) names?|what names?|name the)\b|"
    r"\b(как зовут|как (его|её|ее|их) (имя|имена|фамилия|фамилии)|какие имена|чьи имена|есімдері|есімі)\b",
    re.IGNORECASE)
# "Who leads ...?", "Who is the leader of ...?", "After the riots, who ...?", "To whom ...?", "Кто возглавлял
# ...?", "Штабты кім басқарды?" ask for a name too; "Who is Gaziz Abishev?", "Who's he?", "Кто такой ...?", "Кто
# Абишев?", "Әбішев кім?" ask about the named, and a description answers them.
# (A name's or "her" possessive asks for someone else: "Who is Tokayev's wife?", "Who is her husband?".)
_ABOUT_NAMED_EN = (r"(?:\s*(?:’s|'s)|\s+(?:\w+\s+)?(?i:is|was|are|were))\s+"
                   r"(?:[A-Z](?![\w-]*(?:\s+[A-Z][\w-]*)*(?:’s|'s)\s+[a-z])|(?i:he|she|they|it|him|them)\b|"
                   r"(?i:her)\b(?!\s+[a-z]))")
_ABOUT_NAMED_RU = r"\s+(?:(?i:так(?:ой|ая|ое|ие)|это|был[аи]?)\s+)?(?:[А-ЯЁ]|(?i:он|она|они)\b)"
_OPENING = r"^[\W_]*(?:(?i:and|but|so)\s+)?"  # what may come before a question's first word: "And who ...?"
_LEAD = r"(?:[^,?]+,\s+)?"  # and an opening phrase ended by a comma: "After the riots, who ...?"
# Auxiliary verbs: after "which"/"what" they do not name the thing asked for ("What did ...?"), after
# "who" they are no deed ("Who will ...?").
AUXILIARIES = ("is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "will", "would", "can",
               "could", "should")
WHO_ASKS_FOR_NAME = re.compile(
    rf"{_OPENING}{_LEAD}(?:(?i:who|whom)\b(?!{_ABOUT_NAMED_EN})|(?i:to|from|with|by|for|of)\s+(?i:whom)\b|"
    rf"(?i:кто)\b(?!{_ABOUT_NAMED_RU})|(?i:кого|кому)\b)|"
    r"(?i:\bкім\s+[^\W\d_]+|\bкім(?:нің|ге|ді|мен|нен|де)\b)")  # Kazakh "кім" in its cases: "кімнің" whose
# "Who is Gaziz Abishev?", "Кто такой Абишев?", "Әбішев кім?": the whole question is about one person, named


def _name_run(capitals: str) -> str:
    """A pattern for a name of one to four words, each opening with one of ``capitals`` (a character class's
    inside), as the group "name"."""
    return rf"(?P<name>[{capitals}][\w’'.-]*(?:\s+[{capitals}][\w’'.-]*){{0,3}})"


_RUN_EN, _RUN_CYRILLIC = _name_run("A-Z"), _name_run("А-ЯЁӘҒҚҢӨҰҮҺІ")
ASKED_ABOUT = (
    re.compile(rf"{_OPENING}(?i:who)(?:\s*(?:’s|'s)|\s+(?i:is|was))\s+(?:(?i:exactly|really)\s+)?{_RUN_EN}[\s?!.]*$"),
    re.compile(rf"{_OPENING}(?i:кто)\s+(?:(?i:так(?:ой|ая))\s+)?{_RUN_CYRILLIC}[\s?!.]*$"),
    re.compile(rf"^[\W_]*{_RUN_CYRILLIC}\s+(?i:кім)[\s?!.]*$"),
)
# "Who <verb> ...?" in the simple past or present ("Who won ...?", "Who leads ...?"): the reader asks who did
# what a sentence can say someone did. "Who will win?", "Who did he appoint?", "Who has been ...?", "Who
# didn't ...?" ask otherwise: their second word is no deed (NOT_DEEDS).
WHO_DID = re.compile(rf"{_OPENING}(?i:who)\s+([a-z]+)(?!['’])\b", re.IGNORECASE)
ASKS_WHO = re.compile(rf"{_OPENING}{_LEAD}(?i:who)\b")  # "Who ...?": a place answers no such question
NOT_DEEDS = frozenset(AUXILIARIES) | {
    "be", "been", "being", "am", "shall", "may", "might", "must", "not", "never", "else", "exactly", "really",
    "the", "a", "an", "he", "she", "it", "they", "you", "we", "i", "this", "that", "these", "those"}
# Questions that ask for someone or something by a noun ("Which political analyst ...?", "To whom
# ...?", "Какой политолог ...?"), after whom they quote ("According to X, who leads ...?") or another opening
# phrase ("After the riots, which chairman ...?"); "Which is ...?", "What did ...?", "What kind of ...?" do not.
_ASKING_OPENS = rf"{_OPENING}{_LEAD}(?:(?i:to|from|with|by|for|of|in|on|at)\s+)?"
ASKS_BY_NOUN = re.compile(
    rf"{_ASKING_OPENS}(?:(?i:which|what)\s+(?!(?i:{'|'.join(AUXILIARIES)}|else|kind|sort|type)\b)[^\W\d_]+|(?i:whom)\b|(?i:who)\b(?!{_ABOUT_NAMED_EN})|(?i:как(?:ой|ая|ое|ие|ого|ому|им|ую)|котор(?:ый|ая|ое|ые|ому)|қай|қандай)"
    r"\s+[^\W\d_]+)")
# Of those, the ones that pick one by name: "Which head of EU diplomacy ...?" (not "What message ...?").
_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*"  # hyphenated words are one: "Moscow-led"
ASKS_WHICH = re.compile(rf"{_ASKING_OPENS}(?i:which)((?:\s+(?!(?i:{'|'.join(AUXILIARIES)})\b){_WORD}){{1,3}})")
WHICH_NOUNS_SKIP = ("of", "for", "and", "the", "a", "an", "in", "on", "at", "to", "from", "with", "by", "his", "her",
                    "its", "their")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|"
                    r"billions?|dozens?|half|third|quarter)\b", re.IGNORECASE)
# Question openings that ask for a date or a time of some kind (the answer will say when).
# (At the start of the question: "when" inside it is a conjunction, "What did he say when asked?".)
ASKS_FOR_DATE = re.compile(
    r"^[\W_]*(?:(?:and|but|so|then)\s+)?"
    r"(when|(?:(?:on|in|at|by|from|since|until)\s+)?(?:what|which)\s+(?:\w+\s+)?(?:date|day|month|time|season)s?|"
    r"what (?:is|was|were) the (?:\w+ )?(?:date|day|time)s?|"
    r"когда|какого числа|(?:(?:в|на|с|до)\s+)?(?:какой|какую|каком|какого)\s+(?:\w+\s+)?"
    r"(?:дату|дат[ыеа]|день|дня|месяце|месяца))\b|"
    r"\b(қашан|қай (?:күні|айда|кезде|уақытта))\b",  # Kazakh puts its question word before the verb
    re.IGNORECASE)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = "|".join(MONTHS)
DAY_OF_MONTH = rf"(?:{MONTH_NAMES})\.? \d{{1,2}}\b|\d{{1,2}} (?:{MONTH_NAMES})\b"  # "November 20", "20 Nov"
YEAR_DIGITS = r"1[5-9]\d\d|20\d\d"
# What an English passage says "when" with: dates (a day with its month counts as one: "November 16"
# answers "on what day in November"), years and the words of relative time; not a span joined into a word
# ("69-year-old", "a seven-year term": how old, how long, not when)
TIME_WORDS = re.compile(
    rf"\b({DAY_OF_MONTH}|{MONTH_NAMES}|{YEAR_DIGITS}|"
    r"\d{1,2}(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am|pm)|\d{1,2}:\d\d|noon|midnight|morning|afternoon|evening|night|"
    rf"{'|'.join(WEEKDAYS)}|today|tomorrow|yesterday|tonight|eve|ago|"
    r"(?<![-‐‑])(?:days?|weeks?|months?|years?|decades?)(?![-‐‑])|century|spring|summer|autumn|winter|earlier|"
    r"later|soon|since|until|before|after|recently)(?!\w)", re.IGNORECASE)
YEAR = re.compile(rf"(?<!\d)({YEAR_DIGITS})(?!\d)")
DATE = re.compile(rf"\b(?:{DAY_OF_MONTH})", re.IGNORECASE)  # a day with its month
# Those that ask for a year, which only a year answers: "one of the centres" holds a number, not a year.
ASKS_FOR_YEAR = re.compile(r"\b((what|which) years?|в как(ом|ие) год(у|ы)|до какого года|с какого года|"
                           r"қай жыл\w*|нешінші жыл\w*)\b", re.IGNORECASE)
# An English question about someone's age, and the ages a sentence gives ("69-year-old", "aged 69",
# "69 years old", "at the age of 69"): the number is the one group that matched.
ASKS_FOR_AGE = re.compile(
    r"\b(how old|(at )?what age)\b|"
    # Russian "сколько (ему) лет?" closing the question, or before whom ("Сколько лет Токаеву?"), not "Сколько лет
    # он правил?"; "в каком возрасте"; Kazakh "неше жаста", "жасы нешеде"
    r"\bсколько\s+(?:\S+\s+)?лет\s*[?!.]*$|\bсколько\s+лет\s+(?-i:[А-ЯЁA-Z])\w*\s*[?!.]*$|\bв каком возрасте\b|"
    r"\b(?:неше|қанша)\s+жас\w*|\bжасы\s+нешеде\b", re.IGNORECASE)
_AGE_NUMBER = r"(\d+|[a-z]+(?:-[a-z]+)?)"
AGE = re.compile(rf"\b{_AGE_NUMBER}[- ]years?[- ]old\b|\b(?:aged|age of) {_AGE_NUMBER}\b", re.IGNORECASE)
# Open questions (how / why / what role ... / what do ... think), whose answer is a view rather than one fact:
# each outlet that speaks to them is shown. "How many", "how long"... ask for one fact instead.
OPEN_QUESTION = re.compile(
    r"^\s*(how(?! (many|much|long|old|often|far)\b)|why|in what way|what (roles?|effects?|impacts?)|"  # what it does
    r"what (do|does|did|will|would) .*\b(say|think|expect|see|view|predict|write|report)|"
    r"как(?!ой|ая|ое|ие|ого)|почему|каким образом|"
    r"что (думают|пишут|говорят|ожидают)|неге|қалай)\b", re.IGNORECASE)
# Yes/no questions ("Is ... expected to change?", "Изменится ли ...?", "... өзгере ме?") ask whether
# something is so: the reader sees what each outlet says about it, as for an open question.
# "What do the sources say about X?", "How do the articles describe X?", "What does <outlet> say about X?" once
# the outlet is taken out (``Retriever.scope``): X is what it asks about, and what is searched; the frame, worded
# like no sentence of the documents, would only pull the search toward sentences about what someone says.
SOURCES_SAY = re.compile(
    r"^[\W_]*(?:(?:and|but|so)\s+)?(?:what|how)\s+(?:do|does|did)\s+(?:(?:the|these|those|its|their|other|all)\s+)*"
    r"(?:(?:sources?|outlets?|media|press|reports?|articles?|documents?|coverage|papers?|newspapers?)\s+|they\s+)?"
    r"(?:say|write|report|tell|claim|describe|portray|present|cover)\s+(?:us\s+)?"
    r"(?:(?:about|of|on|regarding|concerning)\s+)?(?P<topic>.*?[^\W_].*?)[\s?!.]*$|"
    r"^[\W_]*что\s+(?:пишут|говорят|сообщают)\s+(?:\w+\s+){0,2}?(?:о|об|обо|про)\s+(?P<topic_ru>.*?[^\W_].*?)[\s?!.]*$",
    re.IGNORECASE)
YES_NO_QUESTION = re.compile(
    rf"{_OPENING}({'|'.join(AUXILIARIES)})\b|"
    r"^[\W_]*[^\W\d_]+\s+ли\b|\s(ма|ме|ба|бе|па|пе)\s*\?", re.IGNORECASE)


# "According to Abishev, ...", "In Beisebayev's view, ...", "What does Solozobov say ...", "по словам
# Абишева": the question asks what one person says. The name tells whose words to quote, not what
# they are about, so the sentences are scored without it.
_NAME = _name_run("A-ZА-ЯЁ")
ATTRIBUTIONS = (
    re.compile(rf"\b(?i:according to)\s+(?:[a-z]+\s+){{0,3}}{_NAME}\s*,?\s*"),
    re.compile(rf"\b(?i:in)\s+{_NAME}(?:’s|'s)\s+(?i:view|opinion|words|assessment|analysis|estimation)\s*,?\s*"),
    re.compile(rf"\b(?i:does|did|do)\s+{_NAME}\s+(?i:say|think|believe|expect|argue|claim|predict|suggest|consider)\b\s*"),
    re.compile(rf"\b(?i:по (?:словам|мнению|оценке|версии))\s+{_NAME}\s*,?\s*"),
    re.compile(rf"\b(?i:что)\s+{_NAME}\s+(?i:говорит|говорил|сказал|сказала|думает|считает|пишет|утверждает|"
               rf"ожидает|прогнозирует)\b\s*"),
)


def attribution(question: str) -> tuple[str | None, str]:
    """(the person a question attributes what it asks to, the question without that attribution)."""
    for pattern in ATTRIBUTIONS:
        if match := pattern.search(question):
            rest = question[:match.start()] + " " + question[match.end():]
            return re.sub(r"(?:’s|'s)$", "", match.group("name").rstrip(".")), " ".join(rest.split())
    return None, question


def asks_for_sources(question: str) -> bool:
    """Whether the question asks what the sources say, for a view, or whether something is so (all
    outlets that speak to it)."""
    return bool(ASKS_FOR_SOURCES.search(question) or OPEN_QUESTION.search(question)
                or YES_NO_QUESTION.search(question))


def sources_topic(question: str) -> str | None:
    """What a question that asks what the sources say is about ("Russia" of "What do the sources say about
    Russia?"), else None."""
    match = SOURCES_SAY.search(question)
    return (match.group("topic") or match.group("topic_ru")) if match else None


def asks_for_number(question: str) -> bool:
    """Whether the answer will hold a number: a quantity, a date or a year, or a count."""
    return bool(ASKS_FOR_NUMBER.search(question) or ASKS_FOR_COUNT.search(question))


def asks_for_age(question: str) -> bool:
    return bool(ASKS_FOR_AGE.search(question))


def gives_an_age(sentence: str) -> bool:
    """Whether the sentence gives someone's age: a number before "year(s) old", after "aged" or "age of"."""
    numbers = (m.group(1) or m.group(2) for m in AGE.finditer(sentence))
    return any(NUMBER.fullmatch(number.split("-")[0]) for number in numbers)  # "sixty-nine": "sixty"


def asks_for_year(question: str) -> bool:
    return bool(ASKS_FOR_YEAR.search(question))


def new_years(sentence: str, question: str) -> bool:
    """Whether the sentence holds a year the question does not."""
    return bool(set(YEAR.findall(sentence)) - set(YEAR.findall(question)))


def new_numbers(sentence: str, question: str) -> bool:
    """Whether the sentence holds a number the question does not (a candidate answer), other than a date's day:
    "after the events of January 5" gives no age, share or count (a year may answer "how long": "until 2029")."""
    undated = DATE.sub(" ", sentence)
    return bool({n.lower() for n in NUMBER.findall(undated)} - {n.lower() for n in NUMBER.findall(question)})


def asks_for_count(question: str) -> bool:
    return bool(ASKS_FOR_COUNT.search(question))


def asks_for_name(question: str) -> bool:
    return bool(ASKS_FOR_NAME.search(question) or WHO_ASKS_FOR_NAME.search(question))


def asked_deed(question: str) -> str | None:
    """The verb of an English "Who <did> ...?" that asks for a name ("won" of "Who won the election?"); None
    for "Who is the leader ...?", "Who will win ...?", "Who did he appoint?" and any other question."""
    match = WHO_DID.match(question)
    deed = match.group(1) if match and asks_for_name(question) else None
    return deed if deed and deed.lower() not in NOT_DEEDS else None


def asks_for_someone(question: str) -> bool:
    """Whether the answer names whom or what the question asks for: a name, or a noun's referent (not a
    number, a year or a date: "Which year ...?", "What share ...?")."""
    if asks_for_number(question) or asks_for_year(question) or asks_for_date(question):
        return False
    return asks_for_name(question) or bool(ASKS_BY_NOUN.search(question))


def which_nouns(question: str) -> tuple[str, ...]:
    """The lower-case words (two at most, among the three after "which", before an auxiliary verb) that say
    what an English "Which ...?" asks for: ("head",) of "Which head of EU diplomacy visited ...?",
    ("former", "president") of "Which former president ...?"; () for any other question. (A verb may be
    the second: "Which city leads ...?" gives ("city", "leads").)"""
    match = ASKS_WHICH.search(question)
    words = match.group(1).split() if match else []
    return tuple(w for w in words if w.islower() and w not in WHICH_NOUNS_SKIP)[:2]


def asks_for_date(question: str) -> bool:
    return bool(ASKS_FOR_DATE.search(question))


def new_dates(sentence: str, question: str) -> bool:
    """Whether the sentence says when in words the question does not use (a candidate answer)."""
    asked = {w.lower() for w in TIME_WORDS.findall(question)}
    return any(w.lower() not in asked for w in TIME_WORDS.findall(sentence))


def asked_about(question: str) -> str | None:
    """The person a question asks about by name alone ("Gaziz Abishev" of "Who is Gaziz Abishev?"), else None."""
    for pattern in ASKED_ABOUT:
        if match := pattern.match(question.strip()):
            return match.group("name")
    return None


@dataclass(frozen=True)
class Asked:
    """What a question pins down, in the stems the corpus is searched with."""

    text: str  # the question as the reader wrote it (without the outlet it names)
    stems: frozenset[str]  # its words, and the English words standing in for its Russian or Kazakh ones
    stem: Callable[[str], str]  # the stemmer behind ``stems``, for the sentence's words
    language: str = "en"
    focus: str | None = None  # what it asks without whom it quotes ("According to X, when ...?" -> "when ...?")

    @property
    def asking(self) -> str:
        """What it asks for: its asking sentences, without the person it quotes."""
        return " ".join(asking_part(self.focus or self.text))
