"""A name the documents spell otherwise, as they spell it: "Tokaev" -> "Tokayev", "Massimov" -> "Masimov".

Kazakh and Russian names have several Latin spellings ("Tokaev" and "Tokayev", "Nazarbaev" and
"Nazarbayev"), and a reader may use another one than the documents do. BM25 would not match the
reader's spelling, and the refusal rules would refuse the question ("No document mentions
“Tokaev”."). So a capitalised word of a question that no document uses is read as the documents' name
when all of these hold:
- the word has at least SHORTEST letters, and the documents do not write it in lower case either
  ("Minister" is a word, not a misspelt "Ministry");
- one name of the documents is at most EDITS Levenshtein edits away (rapidfuzz): one edit for a word
  of up to LONG_WORD - 1 letters, two from LONG_WORD letters on;
- no other name is as near.
A name that is the word but for an ending of FORM_ENDINGS is not a spelling of it, but another form of
the name: "Tokayeva" (a woman of the family) is not "Tokayev", "Kazakhs" not "Kazakh", "Kazakhstani"
not "Kazakhstan" ("Borrel" is "Borrell"). A word
``NameIndex.as_written`` already reads as a name ("Romanian" -> "Romania") is left to it. A word in
another script is left to the translation of ``lexicon.py``.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from kzqa.lexicon import is_foreign
from kzqa.names import Name, NameIndex

SHORTEST = 5  # letters: shorter words are too near too many others ("Putin" and "Puti")
LONG_WORD = 8  # letters: from here on, two edits ("Nazarbaev" has one, "Kasymjomart" more)
EDITS = (1, 2)  # edits allowed below LONG_WORD letters, and from it on
FORM_ENDINGS = frozenset({"s", "es", "a", "n", "an", "i"})  # plural, feminine, adjective
LONE_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")  # a word on its own: "Tokaev", not "Kassym-Jomart"


class Respeller:
    def __init__(self, names: NameIndex) -> None:
        self._names = names
        self._spellings = sorted(names.single_words())  # the one-word names the documents write

    def respelled(self, text: str) -> str:
        """The text with each capitalised word no document uses written as the documents' near name."""
        return LONE_WORD.sub(lambda match: self.spelling(match.group()), text)

    def spelling(self, word: str) -> str:
        """The documents' spelling of a capitalised Latin word (the word itself when they have none, or it is
        not one: Cyrillic is translated, ``lexicon.py``)."""
        name = Name((word,))
        if (not word[0].isupper() or is_foreign(word) or len(word) < SHORTEST or self._names.share(name) > 0
                or self._names.common(word) or self._names.as_written(name) != name):
            return word
        most = EDITS[len(word) >= LONG_WORD]
        near = process.extract(word, self._spellings, scorer=Levenshtein.distance, score_cutoff=most, limit=2)
        if not near or (len(near) > 1 and near[1][1] == near[0][1]):
            return word  # none near enough, or two as near: which one the reader meant is unknown
        spelling = near[0][0]
        shorter, longer = sorted((word, spelling), key=len)
        return word if longer.startswith(shorter) and longer[len(shorter):] in FORM_ENDINGS else spelling
