"""Documents -> the names they mention (capitalised words and runs of them), and how widely.

A question that names something only one document speaks of ("the Baikonur Cosmodrome", "the
2024 United States presidential election", "Prime Minister") can only be answered from where the
corpus speaks of it. A passage that quotes a close-sounding sentence from elsewhere ("holding
elections in 2024 ...") does not answer it, however similar its embedding. Names that run
through the corpus ("Kazakhstan", "Tokayev") are its topic and need not be repeated near the
answer.

A name is matched as written, capitalised: the corpus's "former prime ministers" does not name
the office "Prime Minister". A name counts as mentioned near an answer when it is there whole, or
one of its own rare words is ("Gaziz Abishev" by "Abishev concluded", but "United States" not by
"United Nations"), or the initials of a name there spell it ("EU").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kzqa.ingest import Document
from kzqa.phrases import CYRILLIC, asking_part
from kzqa.question_types import MONTHS, WEEKDAYS

LONGEST = 4  # words; longer runs are counted by their pieces
# Upper-case letters of the Latin script, accented ones too ("Türkiye", "Øresund"); names in other
# scripts are reached through their translation (lexicon.py), not here.
UPPER = "".join(sorted({ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper()}))
CAP = f"[{re.escape(UPPER)}]"  # one upper-case letter, in a pattern
IN_A_PLACE = re.compile(rf"\bin[ \t]+(?:the[ \t]+)?({CAP}[^\W\d_]+)")  # "in Romania", "in the Caspian"
# A run of capitalised words; an apostrophe-s ends a name ("Kazakhstan's Central Election Commission").
RUN = re.compile(rf"(?<![\w’']){CAP}[\w’'.&-]*(?:[ \t]+{CAP}[\w’'.&-]*)*")
SENTENCE_END = re.compile(r"[.!?][\"”’»)]*\s+$")  # what ends the sentence before a word
QUOTE_OPENS = re.compile(r"[:,.!?]\s*[“«„\"]$")  # a quotation opening a sentence of its own: 'points out: “During ...'
POSSESSIVE = re.compile(r"(?:’s|'s)(?=\s|$)")
PIECE = re.compile(r"[^\W_]+(?:[’'.][^\W_]+)*")  # hyphens and slashes split ("Ankara-sponsored")
# Capitalised words of a question that are no names: question words, articles, months and weekdays
# (dates are checked as answer types, not as names), and words that open a clause.
NOT_NAMES = frozenset({
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are", "was", "were", "do", "does",
    "did", "can", "could", "will", "would", "should", "has", "have", "had", "in", "on", "at", "from", "to", "for",
    "by", "with", "according", "apart", "besides", "roughly", "approximately", "about", "i", "the", "a", "an", "of",
    "and", "or", "mr", "mrs", "ms", "dr", "prof", *MONTHS, *WEEKDAYS,
})
# A question written in capitals, or with every word capitalised, says nothing by its capitals.
CAPITALISED_SHARE = 0.8  # of its words
JOINERS = {"of", "for", "and", "the"}  # inside a long name: "Organization of Turkic States"
# How English makes a place's adjective, and what the place's name ends with instead: "Romanian" (Romania),
# "Ukrainian" (Ukraine), "Hungarian" (Hungary), "Iranian" (Iran), "Korean" (Korea), "European" (Europe),
# "Indian" (India), "Kazakhstani" (Kazakhstan), "Chinese" (China), "Japanese" (Japan).
ADJECTIVE_ENDINGS = (("ian", ("ia", "e", "y", "")), ("an", ("a", "")), ("n", ("",)), ("i", ("",)), ("ese", ("a", "")))
LONG_NAME = re.compile(r"[A-Z][a-z]+(?:\s+(?:(?:of|for|and|the)\s+)*[A-Z][a-z]+)+")


@dataclass(frozen=True)
class Name:
    words: tuple[str, ...]  # as written, capitalised

    def __str__(self) -> str:
        return " ".join(self.words)


def _runs(text: str) -> Iterator[tuple[int, list[str]]]:
    """(offset, capitalised words) of each run of capitalised words, split at possessives and into
    the capitalised pieces of hyphenated words."""
    for match in RUN.finditer(text):
        offset = match.start()
        for part in re.split(f"({POSSESSIVE.pattern})", match.group()):
            words = [p for word in part.split() for p in PIECE.findall(word) if p[:1].isupper()]
            if words and not POSSESSIVE.fullmatch(part):
                yield offset, words
            offset += len(part)


def run_end(text: str, offset: int, words: list[str]) -> int:
    """Where the run of capitalised ``words`` found at ``offset`` ends in the text."""
    return offset + text[offset:].find(words[-1]) + len(words[-1])


def _opens(text: str, offset: int) -> bool:
    """Whether a word at ``offset`` opens the text (nothing but punctuation, space or emoji before it)."""
    return not re.search(r"\w", text[:offset])


def question_names(question: str) -> list[Name]:
    """The names a question mentions, in its asking sentences (``phrases.asking_part``); the first word of
    each sentence is a capital by position, not a name, unless it is in Latin letters and the others in
    Cyrillic ("Biden сайлау туралы не деді?": a Kazakh or Russian word is never written so)."""
    names = []
    for sentence in asking_part(question):
        words_of_sentence = re.findall(r"[^\W\d_]+", sentence)
        if sum(w[0].isupper() for w in words_of_sentence) > CAPITALISED_SHARE * max(len(words_of_sentence), 2):
            continue  # "WHAT DID TOKAYEV PROMISE?", "Did Tokayev Win In Almaty?"
        latin_among_cyrillic = bool(words_of_sentence) and words_of_sentence[0].isascii() \
            and any(CYRILLIC.search(w) for w in words_of_sentence[1:])
        for offset, words in _runs(sentence):
            if _opens(sentence, offset) and not latin_among_cyrillic:
                words = words[1:]
            words = [w for w in words if w.lower() not in NOT_NAMES]
            if words:
                names.append(Name(tuple(words)))
    return names


def new_name(sentence: str, question: str, names: NameIndex | None = None,
             asked_as: Callable[[str], bool] | None = None, partly_asked_is_new: bool = False,
             places_count: bool = True) -> bool:
    """Whether the text (a sentence, or two) names someone or something the question does not: a run
    of capitalised words none of which the question holds, as written or, by ``asked_as``, in other
    words (the English stand-ins of a Russian question's words); with ``partly_asked_is_new``, a run only some
    of whose words are asked as others is new too ("National Security Committee" for "Which security agency?");
    without ``places_count``, a place ``names`` has seen written after "in" is none ("Kazakhstan" for "Who ...?").
    Months and weekdays are no names. A sentence's first word alone is a capital by position, unless ``names``
    has seen the corpus write it capitalised inside a sentence ("Tokayev beat ...", but not "Firstly, ...")."""
    asked = capitalised(question)
    known = all if partly_asked_is_new else any
    for _, words in name_runs(sentence, names):
        found = {w.lower() for w in words} - NOT_NAMES
        if found and not asked & found and not (asked_as and known(asked_as(w) for w in found)) and (
                places_count or not (names and names.places(words))):
            return True
    return False


def capitalised(text: str) -> set[str]:
    """The words of a text's runs of capitalised words, lower-cased."""
    return {w.lower() for _, words in _runs(text) for w in words}


def name_runs(sentence: str, names: NameIndex | None) -> Iterator[tuple[int, list[str]]]:
    """The runs of capitalised words of a sentence (or two) that can be names: a sentence's first word
    alone (or a quotation's, after a colon or comma: QUOTE_OPENS) is a capital by position, unless ``names``
    has seen the corpus write it capitalised inside a sentence ("Tokayev beat ...", but not "Firstly, ...")."""
    for offset, words in _runs(sentence):
        opens = (_opens(sentence, offset) or SENTENCE_END.search(sentence[:offset])
                 or QUOTE_OPENS.search(sentence[:offset].rstrip()))
        if not (opens and len(words) == 1 and not (names and names.written_inside(words[0]))):
            yield offset, words


def initials(text: str) -> set[str]:
    """Acronyms of the long names in a text: "European Union" -> "EU", "Organization of Turkic States"
    -> "OTS" (every span from one capitalised word to a later one, joining words skipped)."""
    found = set()
    for match in LONG_NAME.findall(text):
        capitals = [w[0] for w in match.split() if w not in JOINERS]
        found |= {"".join(capitals[i:j]) for i in range(len(capitals)) for j in range(i + 2, len(capitals) + 1)}
    return found


def _written(text: str, words: tuple[str, ...]) -> bool:
    """Whether the words stand in the text one after the other, capitalised, as whole words."""
    pattern = r"[\s-]+".join(re.escape(w) for w in words)  # "Kassym Jomart" is "Kassym-Jomart"
    return re.search(rf"(?<![\w-]){pattern}(?!\w)", text) is not None


class NameIndex:
    """Every name of up to LONGEST words in the documents (titles too) -> the documents that use it."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents: dict[str, set[str]] = {}
        self._initials: set[str] = set()
        self._inside: set[str] = set()  # words written capitalised after a lower-case word: inside a sentence
        self._lower: set[str] = set()  # words the documents also write in lower case: common words ("president")
        self._places: set[str] = set()  # names the documents write after "in": places ("in Romania")
        self._alone: Counter[str] = Counter()  # word -> times written as a name by itself ("Xi met ...")
        self.n_documents = 0
        for doc in documents:
            self.n_documents += 1
            text = f"{doc.title}\n{doc.text}"
            self._initials |= initials(text)
            self._lower |= {word for word in re.findall(r"[^\W\d_]+", text) if word[0].islower()}
            self._places |= set(IN_A_PLACE.findall(text))
            for offset, words in _runs(text):
                if len(words) == 1:
                    self._alone[words[0]] += 1
                    # after a lower-case word ("by Tokayev"): a name, not the head of a longer one ("the New ...")
                    if re.search(r"[^\W\d_A-Z] $", text[max(offset - 2, 0):offset]):
                        self._inside.add(words[0])
                for size in range(1, min(LONGEST, len(words)) + 1):
                    for start in range(len(words) - size + 1):
                        self._documents.setdefault(" ".join(words[start:start + size]), set()).add(doc.doc_id)

    def share(self, name: Name) -> float:
        """Share of the documents that use the name (``as_written``), in [0, 1] (0 for one they never use)."""
        if not self.n_documents:
            return 0.0
        return len(self._documents.get(str(self.as_written(name)), ())) / self.n_documents

    def as_written(self, name: Name) -> Name:
        """The name as the documents write it: a people's name in a plural they never write is its
        singular ("Kazakhs" -> "Kazakh", "Kazakhstanis" -> "Kazakhstani"), a place's adjective they never
        write is the place they write "in" ("Romanian", "Romanians" -> "Romania", ``ADJECTIVE_ENDINGS``; not
        "Christian" -> "Christ"). One word only: in a longer
        name a plural is a surname ("Stormy Daniels" is not "Daniel")."""
        word = name.words[0]
        if len(name.words) > 1 or word in self._documents:
            return name
        if word.endswith("s") and word[:-1] in self._documents:
            return Name((word[:-1],))
        singular = word[:-1] if word.endswith("s") else word  # "Romanians"
        for ending, tails in ADJECTIVE_ENDINGS:
            stem = singular[: -len(ending)]
            if singular.endswith(ending) and len(stem) >= 3:
                for place in (stem + tail for tail in tails):
                    if place in self._places:  # a place the documents write "in": not "Christ" of "Christian"
                        return Name((place,))
        return name

    def single_words(self) -> frozenset[str]:
        """The one-word names the documents use ("Tokayev", "Astana"), not common words they capitalise."""
        return frozenset(key for key in self._documents if " " not in key and self.proper([key]))

    def called(self, words: list[str]) -> str:
        """The word of a full name the documents call them by alone most often, the last of equals: "Xi" of
        "Xi Jinping" ("Xi met with Tokayev"), "Masimov" of "Karim Masimov". ``words`` must not be empty."""
        return max(reversed(words), key=lambda word: self._alone[word])

    def rare(self, name: Name, most_share: float) -> bool:
        """Whether at most ``most_share`` of the documents use the name and one of its words: "President
        Tokayev" is as common as its words, however few documents write the two together."""
        return self.share(name) <= most_share and any(self.share(Name((w,))) <= most_share for w in name.words)

    def named_in(self, text: str, name: Name, most_share: float) -> bool:
        """Whether the text names ``name``: all of it, one of its words that at most ``most_share`` of the
        documents use ("Abishev concluded" for "Gaziz Abishev", but not "United Nations" for "United
        States"), or its initials ("EU" for "European Union", and "European Union" for "EU")."""
        written = self.as_written(name)
        if _written(text, name.words) or (written != name and _written(text, written.words)):
            return True
        name = written
        if any(self.share(Name((w,))) <= most_share and _written(text, (w,)) for w in name.words):
            return True
        if len(name.words) > 1:  # "European Union" by "EU"
            return _written(text, ("".join(w[0] for w in name.words if w.lower() not in JOINERS),))
        return name.words[0].replace(".", "").upper() in initials(text)

    def mentioned_in(self, text: str, name: Name, most_share: float) -> bool:
        """Whether the text names ``name`` (``named_in``), or, for a one-word name, writes it in lower case: a
        title the documents write both ways ("Elbasy" asked, "designating Nazarbayev as elbasy" written)."""
        return self.named_in(text, name, most_share) or (
            len(name.words) == 1 and _written(text.lower(), (name.words[0].lower(),)))

    def proper_words(self, name: str) -> list[str]:
        """The words of a capitalised name that name someone (``_proper``); pieces without their dots
        ("Abishev." -> "Abishev")."""
        return self.proper([w for w in PIECE.findall(name) if w[:1].isupper()])

    def proper(self, words: Iterable[str]) -> list[str]:
        """Those of the capitalised words that name someone: not titles the documents also write in lower case
        ("Prime Minister"), nor question words, months or weekdays."""
        return [w for w in words if w.lower() not in NOT_NAMES and not self.common(w)]

    def places(self, words: Iterable[str]) -> bool:
        """Whether the documents write every one of the words after "in": places ("in Romania")."""
        return self._places >= set(words)

    def written_inside(self, word: str) -> bool:
        """Whether a document writes the word capitalised inside a sentence: a name, not a capital by position."""
        return word in self._inside

    def common(self, word: str) -> bool:
        """Whether the documents also write the word (or its plural) in lower case."""
        return word.lower() in self._lower or f"{word.lower()}s" in self._lower

    def unknown(self, name: Name) -> bool:
        """Whether no document uses the name, any word of it, or a long name it could be the initials of."""
        written = self.as_written(name)
        if str(written) in self._documents or any(self._documents.get(w) for w in written.words):
            return False
        return not (len(name.words) == 1 and name.words[0].replace(".", "").upper() in self._initials)
