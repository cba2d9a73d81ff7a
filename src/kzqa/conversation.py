"""A conversation -> the standalone question to search for, without an LLM.

A follow-up ("What share of the vote did he get?") leans on earlier turns through a referring
word (a pronoun or demonstrative) or by being only a few words long, unless those few words name what it
asks about ("Who is Gaziz Abishev?", "How old is Tokayev?": ``names_its_subject``). Its personal pronoun stands
for whom the answer before named when the question before asked for someone ("Who won ...?",
"Which analyst ...?", in Russian or Kazakh only "Кто ...?", "... кім ...?": "он", "ол" stand for
things too), or for whom the question before asks about by name alone ("Who is Gaziz Abishev?"), and
for the same one as long as the follow-ups go on: "he" is replaced by the name (the word of it the
documents write alone most often: ``Retriever.person``), and the question is searched, and answered or
refused, as if asked alone. Any other follow-up is searched together with the question
it follows, recursively, so "it" keeps meaning what the first turn named: the earlier question
words carry the subject, the new question the facet asked about. The sentence that answered the
question followed up is then held back a little (answer.py), unless it was searched alone. A follow-up that
only names another thing ("And about Russia?", "А о Китае?", "Ал Қытай туралы ше?") is the question before, about
that thing instead, when that one says what it asked about ("What does PolitNavigator say about Washington?"):
``about_instead``; it is searched alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_EN

from kzqa.phrases import PERSONAL, REFERRING, asking_part, language_of, quoted_sentences
from kzqa.question_types import AUXILIARIES, asked_about, asks_for_name, asks_for_someone

SHORT = 4  # a question of at most this many words leans on the conversation ("And in Russia?")
CONTINUING = frozenset({"and", "but", "so", "also", "then", "и", "а", "но", "ал", "және"})  # "And Nazarbayev?"
# The question words of Russian and Kazakh (general grammar)
CYRILLIC_QUESTION_WORD = re.compile(r"кто|кого|кому|кем|ком|что|чего|чему|чем|где|когда|сколько|почему|зачем|как\w*|"
                                    r"чей|чья|чьё|чье|чьи|куда|откуда|кім\w*|не|неге|нені|неше|қашан|қайда|қанша|"
                                    r"қалай|қандай|қай\w*")
DEPTH = 2  # earlier questions carried along at most
# A follow-up that only names another thing to ask the same about, and where the question before names what it
# asked about (the last "about X" in it; in Russian "о/про X", in Kazakh "X туралы")
ABOUT_ELLIPSES = tuple((re.compile(elided, re.IGNORECASE), re.compile(topic, re.IGNORECASE)) for elided, topic in (
    (r"\W*(?:(?:and|but|so)\s+)?(?:(?:what|how)\s+)?about\s+(?P<topic>[^?!.]+?)\s*[?!.]*",
     r"\babout\s+(?P<topic>[^?!.,;]+?)\s*(?=[?!.,;]|$)"),
    (r"\W*(?:а|и|но)\s+(?:что\s+|как\s+)?(?:насч[её]т|про|об?|обо)\s+(?P<topic>[^?!.]+?)\s*[?!.]*",
     r"(?<!\w)(?:насч[её]т|про|об?|обо)\s+(?P<topic>[^?!.,;]+?)\s*(?=[?!.,;]|$)"),
    (r"\W*(?:ал\s+)?(?P<topic>[^?!.]+?)\s+туралы\s+ше\s*[?!.]*", r"(?<!\w)(?P<topic>\w+)\s+туралы(?!\w)"),
))

# (a sentence an answer quoted, the questions it answered) -> whom it names that they do not, in full
Referent = Callable[[str, str], "str | None"]
# a name a question asks about ("Gaziz Abishev") -> the word "he" is searched as ("Abishev"), None for no one
Person = Callable[[str], "str | None"]
POSSESSIVE = frozenset({"his", "hers"})  # and "her" before a noun: "her share", not "meet her before ..."
# Words that follow an object pronoun ("tell her about", "meet her again"), beside the stop words.
AFTER_OBJECT = frozenset(STOPWORDS_EN) | {
    "about", "above", "after", "against", "along", "among", "around", "before", "behind", "below", "beside",
    "between", "beyond", "despite", "during", "except", "from", "inside", "into", "like", "near", "off", "onto",
    "outside", "over", "past", "since", "than", "through", "toward", "towards", "under", "until", "upon", "within",
    "without", "again", "also", "back", "first", "last", "later", "now", "too", "yet", "ever", "once", "still", "here"}


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Question:
    asked: str  # the question as the reader wrote it
    searched: str  # the same, its personal pronouns replaced by whom they stand for
    resolved: bool  # whether they were: it stands alone


def is_follow_up(question: str) -> bool:
    """Whether the question leans on the conversation: by a referring word, or by being short ("And in
    Russia?", "Who won?"), unless it names what it asks about (``names_its_subject``)."""
    if REFERRING.search(question):
        return True
    return len(question.split()) <= SHORT and not names_its_subject(question)


def names_its_subject(question: str) -> bool:
    """Whether a short question is whole: it asks about someone by name alone ("Who is Gaziz Abishev?", "Кто
    такой Абишев?"), or a verb of its own says what about a name it gives ("How old is Tokayev?", "What did
    Borrell promise?"), and no "and" or "but" opens it ("And Nazarbayev?", "But in Russia?")."""
    if asked_about(question):
        return True
    words = re.findall(r"[^\W\d_]+", question)
    if len(words) < 2 or words[0].lower() in CONTINUING:
        return False
    if language_of(question) == "en":
        return any(w.lower() in AUXILIARIES for w in words) and any(w[0].isupper() for w in words[1:])
    # Russian and Kazakh need no verb "to be", and Kazakh puts the subject first: a question word, and a name
    # anywhere, the first word too when it is no question word ("Сколько лет Токаеву?", "Назарбаев не деді?",
    # "Tokayev кім?")
    first_asks = bool(CYRILLIC_QUESTION_WORD.fullmatch(words[0].lower()))
    if not (first_asks or any(CYRILLIC_QUESTION_WORD.fullmatch(w.lower()) for w in words[1:])):
        return False
    return any(w[0].isupper() or w.isascii() for w in words[1 if first_asks else 0:])


def answer_followed_up(messages: Sequence[Message], resolved: bool = False) -> str:
    """The assistant's answer to the previous question when the latest question follows it up and is
    searched with it (not ``resolved``: ``Question.resolved``), else "".

    A follow-up asks for something new ("What is he accused of?" after "Who chaired the Committee?"),
    yet, searched with the question it follows, it is nearest the sentence that answered that one.
    """
    asked = [i for i, m in enumerate(messages) if m.role == "user" and m.content]
    if len(asked) < 2 or not is_follow_up(messages[asked[-1]].content) or resolved:
        return ""
    answers = [m.content for m in messages[asked[-2] : asked[-1]] if m.role == "assistant"]
    return answers[-1] if answers else ""


def questions(messages: Sequence[Message], referent: Referent | None = None,
              person: Person | None = None) -> list[Question]:
    """The reader's questions, each with its personal pronouns resolved where the conversation says whom
    they stand for (see the module's docstring); ValueError when there is none."""
    found: list[Question] = []
    thread: list[str] = []  # the questions since the last one that did not lean on those before
    answered, named = "", None
    for message in messages:
        if message.role == "assistant":
            answered = message.content
            continue
        if message.role != "user" or not message.content:
            continue
        # A question that is only exotic white space (the API's schema admits it) is still a question.
        asked = message.content.strip() or message.content
        if not (found and is_follow_up(asked)):
            thread, named = [], None
        elif referent and PERSONAL.search(asked):
            before = found[-1].asked
            # "Which country asked for his extradition?" -> "Where is he now?": "he" is still the man
            # (the answer before named a country), once a pronoun has stood for him.
            if _asks_for_someone(before, asked) and not (len(thread) > 1 and PERSONAL.search(before)):
                named = _named(answered, " ".join(thread), referent, asks_for_name(before), person) or named
            elif person and (about := asked_about(asking_part(before)[-1])):  # "Who is Gaziz Abishev?"
                named = person(about) or named  # "he" is Abishev
        if found and (swapped := about_instead(found[-1].searched, asked)):
            found.append(Question(asked, swapped, True))  # "And about Russia?": searched alone, as what it stands for
            thread, named, answered = [swapped], None, ""
            continue
        thread.append(asked)
        searched = _resolved(asked, named) if named else asked
        found.append(Question(asked, searched, searched != asked))
        answered = ""
    if not found:
        raise ValueError("the conversation holds no user question")
    return found


def about_instead(before: str, follow_up: str) -> str | None:
    """The question before, about what the follow-up names instead, when the follow-up is nothing but that ("What
    does PolitNavigator say about Washington?" - "And about Russia?" -> "What does PolitNavigator say about
    Russia?"; "Что пишут о России?" - "А о Китае?"; "... Ресей туралы не дейді?" - "Ал Қытай туралы ше?"), else None."""
    for elided, topic in ABOUT_ELLIPSES:
        if (asked := elided.fullmatch(follow_up.strip())) and (earlier := list(topic.finditer(before))):
            last = earlier[-1]
            return before[: last.start("topic")] + asked.group("topic") + before[last.end("topic"):]
    return None


def _asks_for_someone(before: str, follow_up: str) -> bool:
    """Whether the answer to ``before`` names whom ``follow_up``'s pronoun stands for: Russian "он", "его"
    and Kazakh "ол" stand for things too, so there only after a question for a name."""
    return asks_for_someone(before) if language_of(follow_up) == "en" else asks_for_name(before)


def _named(answered: str, asked: str, referent: Referent, for_a_name: bool, person: Person | None = None) -> str | None:
    """The word (``person``'s, else the last) of whom the first sentence quoted in the answer to the questions
    ``asked`` names that they do not ("Masimov", as the corpus mostly writes him). After a question by a noun
    ("Which analyst ...?", which may ask for a thing), only a full name counts: "Kazbek Beisebayev", not "Astana"."""
    quoted = quoted_sentences(answered)
    name = referent(quoted[0], asked) if quoted else None
    if not name or not (for_a_name or len(name.split()) > 1):
        return None
    return (person(name) if person else None) or name.split()[-1]


def _resolved(question: str, name: str) -> str:
    """The question with its personal pronouns replaced by the name: "his", "hers", and "her" before a
    noun ("her share"), by "Name's"."""
    def replaced(pronoun: re.Match[str]) -> str:
        after = question[pronoun.end():].split()
        following = after[0].strip("?!.,;:").lower() if after else ""
        word = pronoun.group().lower()
        possessive = word in POSSESSIVE or (word == "her" and following and following not in AFTER_OBJECT)
        return f"{name}'s" if possessive else name

    return PERSONAL.sub(replaced, question)


def standalone_query(messages: Sequence[Message], referent: Referent | None = None,
                     person: Person | None = None) -> tuple[str, str]:
    """(the latest question, the query to search for: that question resolved, or with the ones it leans on)."""
    asked = questions(messages, referent, person)
    return asked[-1].asked, searched_as(asked)


def searched_as(asked: Sequence[Question]) -> str:
    """The query for the last of the questions: itself resolved, or with the ones it leans on."""
    chain = [asked[-1]]
    for earlier in reversed(asked[:-1]):
        if chain[0].resolved or not is_follow_up(chain[0].asked) or len(chain) > DEPTH:
            break
        chain.insert(0, earlier)
    return " ".join(question.searched for question in chain)
