"""The question's language, kzqa's own words in it (attribution, refusal), and the shapes of sentences:
one that leans on the sentence before ("He is accused of treason."), a question in the text, a scrap.

Quotes from the corpus stay as written; only the words kzqa adds around them are translated. What a
question asks for (a number, a date, a name, what the sources say) is ``question_types.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")
LETTER = re.compile(r"[^\W\d_]")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

REFUSAL = {
    "en": "The documents do not answer this question. The closest passages are listed below.",
    "ru": "В документах нет ответа на этот вопрос. Ниже приведены самые близкие фрагменты.",
    "kk": "Құжаттарда бұл сұраққа жауап жоқ. Төменде ең жақын үзінділер берілген.",
}
NOT_MENTIONED = {
    "en": "No document mentions {names}.",
    "ru": "Ни один документ не упоминает {names}.",
    "kk": "{names} ешбір құжатта аталмайды.",
}
NOTHING_MATCHES = {
    "en": "No document matches the chosen outlets and dates.",
    "ru": "Ни один документ не подходит под выбранные издания и даты.",
    "kk": "Таңдалған басылымдар мен күндерге сәйкес құжат жоқ.",
}
# The note of an answer from all outlets to a follow-up that the outlets an earlier turn named do not answer
BEYOND_SCOPE = {
    "en": "Not found in {outlets}, named earlier in this conversation: this answer comes from the other outlets.",
    "ru": "В {outlets}, названных ранее в разговоре, ответа нет: этот ответ взят из других изданий.",
    "kk": "Әңгімеде бұрын аталған {outlets} ішінде жауап жоқ: бұл жауап басқа басылымдардан алынды.",
}
# ... and when the earlier turn named a document by its title ("the Eastern Express programme")
BEYOND_DOCUMENTS = {
    "en": "Not found in {outlets}, named earlier in this conversation: this answer comes from the other documents.",
    "ru": "В {outlets}, названных ранее в разговоре, ответа нет: этот ответ взят из других документов.",
    "kk": "Әңгімеде бұрын аталған {outlets} ішінде жауап жоқ: бұл жауап басқа құжаттардан алынды.",
}
# "{source}" is the outlet with its author and date, e.g. "PolitNavigator (Ainur Kurmanov, 19 Nov 2022)".
ACCORDING_TO = {"en": "According to {source}:", "ru": "По данным {source}:", "kk": "{source} дерегі бойынша:"}
# ... and when the sentence stands inside a quotation of someone the document names ("{speaker}": quotation.py)
QUOTING = {"en": "According to {source}, quoting {speaker}:", "ru": "По данным {source}, со слов {speaker}:",
           "kk": "{source} дерегі бойынша, {speaker} айтуынша:"}
# Personal pronouns of English, Russian and Kazakh: they stand for someone the conversation named
# ("What did he promise?"). Russian "он", "его" and Kazakh "ол" stand for things too.
SUBJECT_WORDS = ("he", "she", "он", "она", "ол")  # of them, those that do something ("He compared him ...")
PERSONAL_WORDS = (*SUBJECT_WORDS, "him", "his", "her", "hers", "его", "него", "ему", "нему", "ним", "её", "ее", "неё",
                  "нее", "ей", "ней", "оның", "оған", "оны")
PERSONAL = re.compile(rf"\b({'|'.join(PERSONAL_WORDS)})\b", re.IGNORECASE)
# Referring words: general grammar, not tied to any question. A question holding one leans on the
# conversation; a sentence opening with one, on the sentence before.
REFERRING = re.compile(
    rf"\b({'|'.join(PERSONAL_WORDS)}|it|its|they|them|their|theirs|this|that|these|those|there|then|"
    r"the two|both|each other|one another|"
    r"им|оно|они|их|них|ими|этот|эта|это|эти|этого|этой|этих|тот|та|те|там|тогда|оба|обе|друг друга|олар|олардың|"
    r"бұл|сол|осы|екеуі\w*)\b",
    re.IGNORECASE,
)
OPENING_WORDS = 3


# Not "For his part, Abishev ...", which names its own.
SOMEONE_DOES = re.compile(rf"\b({'|'.join(SUBJECT_WORDS)})\b", re.IGNORECASE)


def _opening(sentence: str) -> str:
    return " ".join(sentence.split()[:OPENING_WORDS])


def leans_back(sentence: str) -> bool:
    """Whether a sentence opens with a referring word ("He is accused of treason.")."""
    return bool(REFERRING.search(_opening(sentence)))


def leans_on_someone(sentence: str) -> bool:
    """Whether a sentence says what "he" or "she", named before, did ("He compared him ...", "Thus, he ...")."""
    return bool(SOMEONE_DOES.search(_opening(sentence)))


def language_of(text: str) -> str:
    """'kk', 'ru' or 'en', from the script of the question's words. A capitalised word may be a name, written
    in any script, so the others decide, when there are any: "Кто такой Interpol?" is Russian, "Who is
    Тоқаев?" English. A Cyrillic question with a Kazakh letter anywhere is Kazakh ("Сайлауда Тоқаев неше ...?")."""
    own = " ".join(word for word in text.split() if not word[:1].isupper())
    if not LETTER.search(own):
        own = text
    cyrillic, latin = len(CYRILLIC.findall(own)), len(LATIN.findall(own))
    if cyrillic <= latin and not (latin == 0 and KAZAKH_LETTERS.search(own)):
        return "en"
    return "kk" if KAZAKH_LETTERS.search(text) else "ru"


def format_date(iso: str | None, language: str) -> str | None:
    if not iso:
        return None
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS_EN[month - 1]} {year}" if language == "en" else f"{day:02d}.{month:02d}.{year}"


def source_label(outlet: str, author: str | None, published: str | None, language: str) -> str:
    details = [part for part in (author, format_date(published, language)) if part]
    return f"{outlet} ({', '.join(details)})" if details else outlet


def according_to(outlet: str, author: str | None, published: str | None, language: str,
                 speaker: str | None = None) -> str:
    source = source_label(outlet, author, published, language)
    return QUOTING[language].format(source=source, speaker=speaker) if speaker else \
        ACCORDING_TO[language].format(source=source)


_LEADS = re.compile("|".join("^" + re.escape(lead).replace(re.escape("{source}"), ".*?")
                             .replace(re.escape("{speaker}"), ".*?") + r"\s+"
                             for lead in (*ACCORDING_TO.values(), *QUOTING.values())))


def quoted_sentences(answer: str) -> list[str]:
    """The sentences a kzqa answer quotes, one line each, without "According to ...:" and the [n] marker."""
    lines = [(_LEADS.match(line), line) for line in answer.splitlines()]
    return [re.sub(r"\s*\[\d+\]\s*$", "", line[lead.end():]) for lead, line in lines if lead]


# How a question names the source it asks about, {name} standing for the name: the framing words go with
# it, so that "According to Nikkei, what ...?" is searched as "what ...?", not "According to , what ...?".
SOURCE_FRAMES = (
    r"(?:according to|as reported by|reported by|per|по данным|согласно|по словам|по версии|по мнению)\s+{name}",
    r"(?:in|by|from)\s+{name}(?:['’]s)?\s+(?:account|report|reporting|article|piece|story|view|words|version|"
    r"telling|coverage)",
    r"{name}\s+(?:дерегі|мәліметі|хабарлауынша)(?:\s+бойынша)?",
    r"{name}(?:['’]s)?",
)
_DANGLING = ((re.compile(r",\s+,"), ""), (re.compile(r"\s+([,.;:?!])"), r"\1"), (re.compile(r"^[\s,;:]+"), ""),
             (re.compile(r"([,;:])(?=[?!.])"), ""))  # ", ," of a name said between commas; a space before a stop


def source_frames(name: str) -> tuple[re.Pattern[str], ...]:
    """SOURCE_FRAMES for the source that ``name`` (a regular expression) matches, compiled, in the order
    they are taken out (built once per outlet, when the index loads)."""
    return tuple(re.compile(r"(?<!\w)" + frame.format(name=f"(?:{name})") + r"(?!\w)", re.IGNORECASE)
                 for frame in SOURCE_FRAMES)


def without_source(question: str, frames: tuple[re.Pattern[str], ...]) -> str:
    """The question with the source that ``frames`` (``source_frames``) match taken out, with the words
    that frame it and the punctuation left dangling: "Per Warsaw Point, across which sea ...?" ->
    "across which sea ...?", "Who rules, according to Caliber.Az?" -> "Who rules?"."""
    for frame in frames:
        question = frame.sub(" ", question)
    question = " ".join(question.split())
    for pattern, replacement in _DANGLING:
        question = pattern.sub(replacement, question)
    return question


@lru_cache(maxsize=3)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False)


# One answer asks this of the same question three or more times (grounding, names), and pysbd's
# segmenting costs ~1.6 ms a call on this machine, so the parts of recent questions are kept.
@lru_cache(maxsize=1024)
def asking_part(message: str) -> tuple[str, ...]:
    """The sentences of a message that ask ("I read the news. Who is Yury Solozobov?" -> the second),
    or all of them when none ends with a question mark. pysbd splits them ("Mr. Tokayev" stays whole)."""
    language = "ru" if CYRILLIC.search(message) else "en"  # pysbd knows no Kazakh; its punctuation is Russian's
    sentences = tuple(s.strip() for s in _segmenter(language).segment(message.strip()) if s.strip())
    return tuple(s for s in sentences if is_question(s)) or sentences or (message,)


def is_question(sentence: str) -> bool:
    """Whether a sentence asks rather than states ("Should we expect a change ...?")."""
    return sentence.rstrip(" \"'”’»)").endswith("?")


# A sentence about the article's own questions ("These questions were answered by Kazakhstani experts."): it
# says who answers them, not what the answer is
OF_THE_QUESTIONS = re.compile(r"^\W*(?:this|these|that|those|such|the)\s+questions?\b|^\W*(?:этот|эти|такие)\s+вопрос",
                              re.IGNORECASE)


def is_about_its_questions(sentence: str) -> bool:
    """Whether a sentence speaks of the questions an article asks, as its subject (``OF_THE_QUESTIONS``)."""
    return bool(OF_THE_QUESTIONS.search(sentence))


def is_fragment(sentence: str) -> bool:
    """Whether a 'sentence' is too short to state anything: a quote mark or full stop the splitter left
    on its own, a photo credit ("© Pool photo/Reuters"). e5 finds such scraps close to any question."""
    return len(re.findall(r"[^\W\d_]+", sentence)) < 4
