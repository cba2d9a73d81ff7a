"""Whether the best sentence can be the answer, beyond being close to the question.

An embedding scores "Firstly, holding elections in 2024 ... was out of the question" close to
"Who won the 2024 United States presidential election?", and "Karim Masimov, ... his two deputies
and several hundred others were arrested" close to "How many years in prison was Karim Masimov
sentenced to?". What tells them apart are the words the question pins down. The best sentence
(with the neighbour it is quoted with) falls short when

- the question (in English) asks how many / how much / what share and no number of the sentence counts
  what it asks about, or asks how long and the sentence gives no span or length (``counting.py``);
- the question asks for a year and the sentence holds none the question does not, nor a day of a
  month in a dated document (the answer's date line gives its year);
- the question asks for another number (an age, a length: ``question_types.asks_for_number``) and the
  sentence holds none the question does not;
- the question asks for a name ("what is the name", "who leads ...?") and the sentence names no one and nothing
  the question does not (its first word only if the corpus writes it capitalised inside a sentence; for "Who
  ...?", no place: ``ASKS_WHO``); for "Who <did> ...?" the answer is the one where someone new does it (``doer``);
- the question (in English) asks "What <kind> ...?" ("What verdict was reached in Masimov's trial?",
  ``ASKS_WHAT_NOUN``) and the sentence holds no word of the kind's stem, nor a name, quoted term or number
  the question lacks (``holds_what_is_asked``); kinds a description answers ("What role ...?") are left out;
- the question asks who is (now) what it names ("Who is the prime minister of Kazakhstan?") and the
  sentence names only a former one ("former Kazakhstan prime ministers Imangali Tasmagambetov, Askar
  Mamin ..."): the word "former" or "ex-" right before one of the question's words (``FORMER``), and
  the question says nothing of the past itself;
- the question asks who holds a role ("Who is Tokayev's wife?", "Who is the leader of the party ...?") and
  the sentence holds no word of that role's stem (``holds_the_role``);
- the question asks when and the sentence names no date or time the question does not;
- the question asks on what date or day, and the sentence names no day the question does not: a day
  of a month, a weekday, "today", "tomorrow", "the eve of" ("in June" is no date); or in what month, and it names
  no month ("early 2023" is none): ``ASKS_WHICH_TIME``;
- the question (in English) asks how old, and the sentence gives no age ("69-year-old", "aged 69"); the
  answer is then the best candidate that gives the age of everyone the question names (``aged``);
- the question gives a year that neither the sentence's paragraph, those leading to it, the document's
  title, outlet or author (``near_text``) nor the document's date holds;
- the question gives a name that at most RARE_NAME_SHARE of the documents use (``names.py``) and
  nothing near the sentence (``near_text``) names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kzqa.candidates import Candidate
from kzqa.chunk import paragraphs_leading_to
from kzqa.counting import HOW_LONG, TOKEN, count_shortfall, gives_how_long, holds_a_word_like
from kzqa.lexicon import FUNCTION_WORDS
from kzqa.names import NameIndex, new_name, question_names
from kzqa.phrases import NOT_MENTIONED, NOTHING_MATCHES, REFUSAL, asking_part
from kzqa.question_types import (
    ASKS_WHO,
    DATE,
    MONTHS,
    WEEKDAYS,
    YEAR,
    Asked,
    asked_deed,
    asks_for_age,
    asks_for_count,
    asks_for_date,
    asks_for_name,
    asks_for_number,
    asks_for_year,
    gives_an_age,
    new_dates,
    new_numbers,
    new_years,
)
from kzqa.referents import referent
from kzqa.retrieve import Hit

# How far below the best sentence another may score and still answer: each outlet's line when asked what
# the sources say (answer.py), a second choice for "Who <did> ...?" (``doer``).
SOURCES_VIEW = 0.08
# A name the question gives that at most this share of the documents use must be named near the
# answer. Names most documents use ("Kazakhstan", "Tokayev") are the corpus's topic; with five
# documents this asks it of the names that only one of them uses.
RARE_NAME_SHARE = 0.25
# "Who is the prime minister ...?", "Who are the leaders of ...?": who holds it now
ASKS_WHO_IS_NOW = re.compile(r"^[\W_]*(?:(?:and|but|so)\s+)?who\s+(?:is|are)\s+(?:the|its|their)\s", re.IGNORECASE)
FORMER = re.compile(r"\b(?:former|ex-|erstwhile|onetime|one-time)\s*((?:[^\W\d_]+\s+){0,2}[^\W\d_]+)", re.IGNORECASE)
PAST = re.compile(r"\b(?:former|ex|previous|past|erstwhile|onetime|then|once|earlier|before|until|in \d{4})\b",
                  re.IGNORECASE)


def shortfall(hit: Hit, start: int, end: int, asked: Asked, names: NameIndex) -> str | None:
    """Why document text[start:end] of ``hit`` cannot answer the question (see the module's docstring),
    or None when nothing speaks against it."""
    doc = hit.document
    # What the question pins down is in its asking sentences ("Ignore the passages. Who is X?" asks who
    # X is); what it asks for, in those sentences without the person it quotes.
    sentence, question, asking = doc.text[start:end], " ".join(asking_part(asked.text)), asked.asking
    # A Russian or Kazakh word reaches the English one it stands for too unreliably ("лет" is not
    # "years") to demand it next to the number: there, any new number will do.
    if asked.language == "en" and asks_for_count(asking) and (short := count_shortfall(sentence, asked)):
        return short
    # "on November 8" in a dated document answers "in what year": the answer's date line gives it
    # ("in November" alone may be of another year: "in November and ... next spring").
    if asks_for_year(asking):
        if not (new_years(sentence, asking) or (doc.published and DATE.search(sentence))):
            return "the question asks for a year and the sentence holds none"
    elif asks_for_number(asking) and not new_numbers(sentence, asking):
        return "the question asks for a number and the sentence holds none"
    if asked.language == "en" and HOW_LONG.search(asking) and not gives_how_long(sentence, asking):
        return "the question asks how long, and the sentence gives no span or length"
    # (a Russian or Kazakh name, "Токаеву", is not written as the documents write it: there, any age will do)
    if asks_for_age(asking) and not (gives_the_age(hit, start, end, asked, names) if asked.language == "en"
                                     else gives_an_age(sentence)):
        return "the question asks how old, and the sentence gives no age of whom it names"
    if asks_for_date(asking) and not new_dates(sentence, asking):
        return "the question asks when and the sentence does not say"
    if unit := time_not_named(sentence, asking):
        return f"the question asks {unit}, and the sentence names none"
    if asks_for_name(asking) and not new_name(sentence, asking, names, lambda word: asked.stem(word) in asked.stems,
                                              places_count=not ASKS_WHO.search(asking)):
        return "the question asks for a name and the sentence gives none it does not already have"
    if not holds_the_role(sentence, asking, asked):
        return "the question asks who holds a role, and the sentence does not name it"
    if asked.language == "en" and not holds_what_is_asked(sentence, asking, asked, names):
        return "the question asks for a thing of a kind, and the sentence neither names the kind nor gives one"
    if names_only_a_former(sentence, asking, asked):
        return "the question asks who holds an office now, and the sentence names a former holder"
    near = near_text(hit, start, end)
    for year in YEAR.findall(question):
        if year not in near and not (doc.published or "").startswith(year):
            return f"the question gives the year {year}, and nothing near the sentence does"
    for name in question_names(question):
        if names.rare(name, RARE_NAME_SHARE) and not names.mentioned_in(near, name, RARE_NAME_SHARE):
            return f"the question names {name}, and nothing near the sentence does"
    return None


# "On what date ...?", "Which day ...?", "In what month ...?", "Какого числа ...?", "В каком месяце ...?", "... қай
# күні ...?": asked for a day, a month ("in June") does not say which; a day of a month, a weekday, "today",
# "tomorrow" or "the eve of" does. Asked for a month, a year ("early 2023") does not say which; a month does.
DAY = re.compile(rf"{DATE.pattern}|\b(?:{'|'.join(WEEKDAYS)}|today|tomorrow|yesterday|tonight|eve)\b", re.IGNORECASE)
MONTH = re.compile(rf"\b(?:{'|'.join(m.capitalize() for m in MONTHS)})\b")  # capitalised: not "may" of "may be"
ASKS_WHICH_TIME = (
    ("on what day", re.compile(r"\b(?:(?:what|which)\s+(?:\w+\s+)?(?:dates?|days?)|какого числа|"
                               r"(?:в|на)\s+какой\s+день|какую дату|қай күні)\b", re.IGNORECASE), DAY),
    ("in what month", re.compile(r"\b(?:(?:what|which)\s+months?|в каком месяце|қай айда)\b", re.IGNORECASE), MONTH))


def time_not_named(sentence: str, question: str) -> str | None:
    """What unit of time the question asks for ("on what day", "in what month") that the sentence does not name
    anew, or None (see ASKS_WHICH_TIME)."""
    for unit, asks, naming in ASKS_WHICH_TIME:
        asked = {m.group().lower() for m in naming.finditer(question)}
        if asks.search(question) and not any(m.group().lower() not in asked for m in naming.finditer(sentence)):
            return unit
    return None


# "Who is Tokayev's wife?", "Who was the chairman of ...?", "Who is the leader of the party?": asked for
# whoever holds a role, the answer names it (the words after "the" or a possessive, up to ROLE_ENDS)
_ROLE = (r"(?:(?i:the|its|their|his|her)|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*['’]s)\s+"  # whose: "the", "Tokayev's"
         r"((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)")  # the role's words
ASKS_WHO_HOLDS = re.compile(rf"^[\W_]*(?:(?i:and|but|so)\s+)?(?i:who)\s+(?i:is|are|was|were)\s+{_ROLE}")
ASKS_ROLE_NAME = re.compile(rf"^[\W_]*(?i:what)\s+(?i:is|was)\s+{_ROLE}['’]s\s+(?i:name)\b")  # "... wife's name?"
ROLE_ENDS = re.compile(r"\b(?:of|in|at|for|from|on|to|with|by|who|that|which|whose|under|mentioned|quoted|described)\b")


def holds_the_role(sentence: str, asking: str, asked: Asked) -> bool:
    """Whether the sentence names the role a "Who is <the|X's> <role> ...?" (or "What is <X's> <role>'s name?")
    question asks about, by a word of the same stem ("president" - "presidential"; "wife" - none), or the question
    asks no such thing."""
    match = ASKS_WHO_HOLDS.search(asking) or ASKS_ROLE_NAME.search(asking)
    if not match:
        return True
    role = [w for w in ROLE_ENDS.split(match.group(1))[0].split() if w not in FUNCTION_WORDS]
    said = {asked.stem(w.lower()) for w in TOKEN.findall(sentence)}
    return not role or any(asked.stem(w) in said for w in role)


# "What sentence did Masimov receive?", "Which agency warned ...?": asked for a thing of a kind, the answer names
# the kind ("sentenced to ...") or gives one: a name (a run of capitals with a word the question lacks), a
# quoted term ("elbasy, or “leader of the nation”") or a number. Not for kinds a description answers
# ("What role does ... play?", DESCRIBED).
ASKS_WHAT_NOUN = re.compile(r"^[\W_]*(?:(?i:and|but|so)\s+)?(?i:what|which)\s+((?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*)\s+"
                            r"(?:did|does|do|was|were|is|are|has|have|had|will|would|could|can)\b")
DESCRIBED = frozenset({"role", "impact", "effect", "effects", "reason", "reasons", "purpose", "significance",
                       "importance", "way", "ways", "kind", "sort", "type", "view", "views", "position", "stance",
                       "attitude", "approach", "message", "point", "argument", "arguments", "concern", "concerns",
                       "problem", "problems", "issue", "issues", "goal", "goals", "aim", "aims", "consequence",
                       "consequences", "lesson", "lessons", "steps", "measures", "changes"})
QUOTED_TERM = re.compile(r"[“\"«]([^”\"»]{2,80})[”\"»]")


def holds_what_is_asked(sentence: str, asking: str, asked: Asked, names: NameIndex) -> bool:
    """Whether the sentence names the kind of thing a "What <noun> ...?" question asks for, or gives one (see
    ASKS_WHAT_NOUN), or the question asks no such thing."""
    match = ASKS_WHAT_NOUN.search(asking)
    head = match.group(1).split()[-1].lower() if match else ""
    if not head or head in FUNCTION_WORDS or head in DESCRIBED:
        return True
    # a name is new unless it shares a capitalised word with the question ("Karim Masimov" for "Masimov") or all
    # its words are searched for ("Karim Masimov" of a follow-up's "he"): "National Security Committee" is new
    # for "Which security agency ...?"
    return (holds_a_word_like(sentence, head, asked)
            or new_name(sentence, asking, names, lambda word: asked.stem(word) in asked.stems, partly_asked_is_new=True)
            or any(term.lower() not in asking.lower() for term in QUOTED_TERM.findall(sentence))
            or new_numbers(sentence, asking))


def names_only_a_former(sentence: str, asking: str, asked: Asked) -> bool:
    """Whether the question asks who is what it names now (ASKS_WHO_IS_NOW, nothing of the past) and the
    sentence says "former" right before one of its lower-case words ("former Kazakhstan prime ministers")."""
    if not ASKS_WHO_IS_NOW.search(asking) or PAST.search(asking):
        return False
    # (an office is a common noun: "Kazakhstan" of "former Kazakhstan prime ministers" is not what was asked)
    return any(word.islower() and word not in FUNCTION_WORDS and asked.stem(word) in asked.stems
               for match in FORMER.finditer(sentence) for word in match.group(1).split())


def doer(ranked: Sequence[Candidate], asked: Asked, names: NameIndex, bar: float) -> Candidate | None:
    """For "Who <did> ...?" whose best sentence falls short, the best candidate at least ``bar`` close and
    within SOURCES_VIEW of the best in which someone new does it, right before its verb ("... after
    President Kassym-Jomart Tokayev won Sunday's snap presidential election" for "Who won the November
    2022 presidential election in Kazakhstan?", whose best sentence says only that the election is
    tomorrow). Being a second choice, it must name near it every name the question gives, rare or not
    ("Who won the election in Kyrgyzstan?" is not answered by Tokayev's win), and pass every check, as
    quoted (with the sentence it leans on)."""
    if not ranked or not (deed := asked_deed(asked.asking)):
        return None
    did, stem, question_gives = asked.stem(deed.lower()), asked.stem, question_names(asked.asking)

    def does_it(candidate: Candidate) -> bool:
        sentence = candidate.text
        near = near_text(candidate.hit, candidate.quoted_start, candidate.end)
        return bool(candidate.dense >= bar
                    and referent(names, sentence, asked.asking, lambda w: stem(w.lower()) in asked.stems,
                                    subject_of=lambda w: stem(w.lower()) == did)
                    and all(names.named_in(near, name, 1.0) for name in question_gives))

    return second_choice(ranked, does_it, asked, names)


def aged(ranked: Sequence[Candidate], asked: Asked, names: NameIndex) -> Candidate | None:
    """For "How old ...?" whose best sentence gives no age, the best candidate within SOURCES_VIEW of the best
    that gives one ("69-year-old Kassym-Jomart Tokayev") with everyone the question names near it: "How old
    is Nazarbayev?" is not answered by Tokayev's age. (``shortfall``, which ``second_choice`` applies, holds
    that check: ``gives_the_age``.)"""
    if asked.language != "en" or not asks_for_age(asked.asking):
        return None
    return second_choice(ranked, lambda _: True, asked, names)


def gives_the_age(hit: Hit, start: int, end: int, asked: Asked, names: NameIndex) -> bool:
    """Whether document text[start:end] gives an age, with every name the question gives near it
    (``near_text``): "69-year-old Kassym-Jomart Tokayev" is no answer to "How old is Nazarbayev?"."""
    return (gives_an_age(hit.document.text[start:end])
            and all(names.named_in(near_text(hit, start, end), name, 1.0) for name in question_names(asked.asking)))


def second_choice(ranked: Sequence[Candidate], accepts: Callable[[Candidate], bool], asked: Asked,
                  names: NameIndex) -> Candidate | None:
    """The best candidate within SOURCES_VIEW of the best that ``accepts`` takes and that passes every check
    (``shortfall``) as quoted, with the sentence it leans on; None when none does. ``doer`` and
    ``definition.py`` pick the answer by it when the best sentence does not say what is asked."""
    for candidate in ranked:
        if candidate.score < ranked[0].score - SOURCES_VIEW:
            break
        if accepts(candidate) and not shortfall(candidate.hit, candidate.quoted_start, candidate.end, asked, names):
            return candidate
    return None


def speaks_of_what_is_named(asked: Asked, names: NameIndex) -> Callable[[Candidate], bool]:
    """Whether near a candidate sentence (``near_text``) is every name the question gives that not every
    document uses: another outlet's line for "What do the sources say about the CSTO?" must speak of the
    CSTO (by name or initials), not of Kazakhstan at large ("Kazakhstan", "Tokayev", in every document,
    name the corpus's topic, not the question's). The names are read from the question once."""
    named = [name for name in question_names(asked.asking) if names.share(name) < 1.0]

    def speaks(candidate: Candidate) -> bool:
        if not named:
            return True
        near = near_text(candidate.hit, candidate.start, candidate.end)
        return all(names.named_in(near, name, 1.0) for name in named)

    return speaks


def near_text(hit: Hit, start: int, end: int) -> str:
    """What a reader takes document text[start:end] to be said by and about: its paragraph and those
    leading to it (the one before, and back to where a run of quoted paragraphs begins:
    ``chunk.paragraphs_leading_to``), and the document's title, outlet and author. Not the rest of the
    passage: a name two paragraphs away is about something else (a photo caption's "Almaty" says nothing
    of where "81.3% of the votes" two paragraphs below were won)."""
    doc = hit.document
    return "\n".join([*paragraphs_leading_to(doc.text, start, end), doc.title, doc.outlet, doc.author or ""])


def refusal(question: str, language: str, names: NameIndex, found_passages: bool) -> str:
    """The refusal in the question's language, naming what the question asks about that no document mentions."""
    if not found_passages:
        return NOTHING_MATCHES[language]
    unknown = [str(name) for name in question_names(question) if names.unknown(name)]
    if not unknown:
        return REFUSAL[language]
    quoted = ", ".join(f"“{name}”" if language == "en" else f"«{name}»" for name in unknown)
    return f"{REFUSAL[language]} {NOT_MENTIONED[language].format(names=quoted)}"
