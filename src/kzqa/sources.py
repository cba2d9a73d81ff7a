"""Which source a question names, and the question without it: an outlet ("According to Caliber.Az, ...")
or a document by its title ("the Eastern Express programme").

A question that names a source asks about it, so its passages are searched (``Sources.scope``), for the rest
of the question: the name itself would only match the passages that name it, and a document's title is in no
passage. The words that frame the name go with it ("according to", "in X's account", ``phrases.SOURCE_FRAMES``).

- An outlet is named by its full name, or by its first word when that is distinctive ("Nikkei" for
  "Nikkei Asia").
- A document is named by its title, less a trailing issue number or date ("Eastern Express" of "Eastern Express
  05.09"), with "the" before it, quote marks around it and the kind of piece after it ("programme", "article"),
  when that title reads as a name (every word of three letters or more capitalised, two words at least) and no
  document's text uses it: a title the texts use is found by searching them, and a headline in sentence case
  ("Kazakhstan seen tilting to China ...") is no handle a reader would name a piece by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kzqa.filters import Filters
from kzqa.ingest import Document
from kzqa.lexicon import WORD
from kzqa.phrases import source_frames, without_source

ISSUE = re.compile(r"\S*\d\S*")  # "05.09", "No. 12": an issue's number or date, not part of the name
TITLE_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")
KINDS = (r"programme|program|show|broadcast|episode|podcast|segment|bulletin|edition|issue|column|piece|article|"
         r"report|story|feature|interview")
FRAMED_TITLE = r"(?:the\s+)?[\"“«']?{title}[\"”»']?(?:\s+(?:{kinds}))?"


@dataclass(frozen=True)
class Named:
    """The sources a question names, and the question without them."""

    outlets: frozenset[str]
    documents: frozenset[str]  # doc_ids named by title
    rest: str

    def __bool__(self) -> bool:
        return bool(self.outlets or self.documents)


class Sources:
    def __init__(self, documents: Iterable[Document]) -> None:
        documents = list(documents)
        self.titles = {doc.doc_id: doc.title for doc in documents}
        self.outlets = outlet_patterns({doc.outlet for doc in documents})
        self._outlet_frames = {outlet: source_frames(p.pattern) for outlet, p in self.outlets.items()}
        # the texts are read (lazily) only for a title that reads as a name: few, and none in most corpora
        self._title_frames = {doc.doc_id: title_frames(pattern) for doc in documents
                              if (pattern := title_pattern(doc.title, (casefolded(d.text) for d in documents)))}

    def named(self, question: str) -> Named:
        outlets, documents = set(), set()
        for outlet, pattern in self.outlets.items():
            if pattern.search(question):
                outlets.add(outlet)
                question = without_source(question, self._outlet_frames[outlet])
        for doc_id, frames in self._title_frames.items():
            if frames[-1].search(question):  # the last frame is the title alone: the others hold it
                documents.add(doc_id)
                question = without_source(question, frames)
        return Named(frozenset(outlets), frozenset(documents), " ".join(question.split()))

    def scope(self, query: str, filters: Filters | None = None) -> tuple[str, Filters | None]:
        """(what to search, among which passages) for a query that may name a source: its passages (an outlet
        unless the filters already choose outlets), for the rest of the query. A query that is nothing but a
        name stays as it is."""
        named = self.named(query)
        if not named or not WORD.search(named.rest):
            return query, filters
        filters = filters or Filters()
        if named.outlets and not filters.outlets:
            filters = replace(filters, outlets=named.outlets)
        if named.documents:
            filters = replace(filters, documents=named.documents)
        return named.rest, filters

    def label(self, filters: Filters) -> str:
        """The sources a scope chose, for the reader: its outlets, else its documents' titles, quoted."""
        if filters.outlets:
            return ", ".join(sorted(filters.outlets))
        return ", ".join(f"“{self.titles[d]}”" for d in sorted(filters.documents))


def outlet_patterns(outlets: Iterable[str]) -> dict[str, re.Pattern[str]]:
    """Each outlet -> a pattern for its name in a question (the full name, or its first word when that is
    distinctive, e.g. "Nikkei" for "Nikkei Asia")."""
    names = {}
    for outlet in outlets:
        forms = {re.escape(outlet)} | {re.escape(w) for w in re.split(r"[\s.]+", outlet)[:1] if len(w) >= 5}
        names[outlet] = re.compile(r"(?<!\w)(" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?!\w)",
                                   re.IGNORECASE)
    return names


def title_frames(title: str) -> tuple[re.Pattern[str], ...]:
    """``phrases.source_frames`` for a title (a regular expression, ``title_pattern``), with "the", its quote marks
    and the kind of piece it names, and the preposition before it: "In the Eastern Express programme, how ...?"
    is searched as "how ...?", "Who was the guest on the Eastern Express show?" as "Who was the guest?"."""
    framed = FRAMED_TITLE.format(title=title, kinds=KINDS)
    according, *others = source_frames(framed)
    preposition = re.compile(rf"(?<!\w)(?:in|on|from|by|of)\s+{framed}(?!\w)", re.IGNORECASE)
    return according, preposition, *others


def title_pattern(title: str, texts: Iterable[str]) -> str | None:
    """A regular expression for the title as a reader names the piece (the module's docstring), or None when
    the title is no such name. ``texts``: every document's text, spaces collapsed, case-folded (``casefolded``),
    read only when the title reads as a name."""
    words = title.split()
    while words and ISSUE.fullmatch(words[-1]):
        words.pop()
    if len(words) < 2 or not all(TITLE_WORD.fullmatch(w) for w in words):
        return None
    if any(len(w) >= 3 and not w[0].isupper() for w in words):
        return None
    if any(casefolded(" ".join(words)) in text for text in texts):
        return None
    return r"\s+".join(map(re.escape, words))


def casefolded(text: str) -> str:
    """The text as titles are looked for in it: spaces collapsed, case-folded."""
    return " ".join(text.split()).casefold()
