"""A sentence of a document -> whom the document quotes in it, when it stands inside someone's quotation.

Articles quote people at length. Caliber.Az's paragraph '"In addition, ... Tokayev is a diplomat himself and
under Nazarbayev was in charge of foreign policy. Therefore, there will be no changes in foreign policy,"
Beisebayev said.' is Beisebayev's claim, which Caliber.Az reports; the answer says so ("According to Caliber.Az
(19 Nov 2022), quoting Kazbek Beisebayev: ...", ``phrases.QUOTING``).

A sentence stands inside a quotation when a quotation mark opens before it (or at its start) in its paragraph
and none closes it before the sentence begins. A quotation may go on over paragraphs that each open with a
mark, the last one closing it (English usage). Whom it quotes is named right after the closing mark, by a
verb of saying before or after the name ('," Beisebayev said.', '," said Abishev.'), or right before the
opening one ('Abishev said: "...'); the name is then written in full as the document first writes it
("Kazbek Beisebayev"). A pronoun ('," he said') or a title ('," President of Kazakhstan believes') names no one
here, and the outlet alone is named.
"""

from __future__ import annotations

import re
from itertools import takewhile

from kzqa.names import NameIndex

STRAIGHT = '"'
OPENING, CLOSING = "“«„", "”»"
# Verbs that report speech or a view (general English).
SAYING = (r"said|says|say|added|adds|noted|notes|stressed|stresses|believes|believed|concluded|concludes|explained|"
          r"explains|thinks|thought|argued|argues|wrote|writes|stated|states|emphasi[sz]ed|emphasi[sz]es|continued|"
          r"recalled|remarked|warned|warns|insisted|insists|commented|replied|claimed|claims|observed|told|tells|"
          r"pointed out|points out|summed up|predicted|predicts|suggested|suggests")
NAME = r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
AFTER_CLOSING = re.compile(rf"[\s,.]*(?:{NAME}\s+(?:{SAYING})\b|(?:{SAYING})\s+{NAME.replace('name', 'name2')})")
BEFORE_OPENING = re.compile(rf"{NAME}\s+(?:{SAYING})\s*[:,]?\s*$")


def speaker(text: str, start: int, end: int, names: NameIndex) -> str | None:
    """Whom the document ``text`` quotes in text[start:end] (see the module's docstring); None too when that
    names them itself ('... no changes in foreign policy," Beisebayev said.')."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    opened = _opened(text, paragraph_start, start)
    if opened is None:
        return None
    closed = _closing(text, max(start, opened + 1))
    after = AFTER_CLOSING.match(text, closed + 1) if closed is not None else None
    if after:
        return None if after.end() <= end else _in_full(after.group("name") or after.group("name2"), text, names)
    before = BEFORE_OPENING.search(text, paragraph_start, opened)
    return _in_full(before.group("name"), text, names) if before and before.start() < start else None


def _opened(text: str, paragraph_start: int, start: int) -> int | None:
    """Where the quotation going on at ``start`` opened in its paragraph (a mark at ``start`` counts), else None:
    a quotation over paragraphs opens again at each of them."""
    opened, depth = None, 0
    for i in range(paragraph_start, min(start + 1, len(text))):
        mark = text[i]
        if mark == STRAIGHT:  # the same mark opens and closes
            opened, depth = (i, 1) if opened is None else (None, 0)
        elif mark in OPENING:
            opened, depth = (i if opened is None else opened), depth + 1
        elif mark in CLOSING and depth:
            depth -= 1
            opened = opened if depth else None
    return opened


def _closing(text: str, i: int) -> int | None:
    """The mark that closes the quotation going on at ``i``: the next closing one in its paragraph (past quotes
    inside it), or in a later paragraph when each paragraph between opens with a mark, or else in the paragraph
    right after (Caliber.Az closes a quotation there without opening it again); None when it never closes."""
    depth, last_paragraph = 1, False
    while i < len(text):
        mark = text[i]
        if mark == STRAIGHT or mark in CLOSING:
            depth -= 1
            if not depth:
                return i
        elif mark in OPENING:
            depth += 1
        elif mark == "\n":
            while i < len(text) and text[i] in "\n \t":
                i += 1
            if i >= len(text) or last_paragraph:
                return None
            if text[i] not in OPENING + STRAIGHT:
                last_paragraph = True  # a paragraph that does not open with a mark: it must close the quotation
                continue
            depth = 1  # its opening mark carries the same quotation on
        i += 1
    return None


def _in_full(name: str, text: str, names: NameIndex) -> str | None:
    """The name as the document first writes it in full ("Beisebayev" -> "Kazbek Beisebayev"); None for no one's
    name: a pronoun, a title ("President"), a word the documents also write in lower case."""
    words = name.split()
    if names.proper(words) != words:  # (a pronoun or a title is not a proper word)
        return None
    last = re.escape(words[-1])
    for match in re.finditer(rf"((?:[A-Z][\w'’-]+[ \t]+){{1,2}}){last}(?![\w'’-])", text):
        given = list(reversed(list(takewhile(lambda w: names.proper([w]), reversed(match.group(1).split())))))
        if given:  # the proper words right before it: "Kazbek" of "political analyst Kazbek Beisebayev"
            return " ".join([*given, words[-1]])
    return name
