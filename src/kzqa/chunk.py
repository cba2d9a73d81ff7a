"""Documents -> chunks: whole sentences packed into passages that keep their character offsets.

Sentences come from pysbd (rule-based, offline) run paragraph by paragraph, so a sentence never
spans a blank line. Consecutive sentences are packed into a chunk until adding the next would pass
``chunk_chars``; the next chunk starts ``chunk_overlap`` sentences back, so a fact on a boundary
is whole in at least one chunk. Offsets are half-open ``[start, end)`` into ``Document.text``.

The paragraphs around a span (``paragraphs_leading_to``) are what a reader takes a sentence to be
said by and about (grounding.py reads them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pysbd

from kzqa.ingest import Document

Span = tuple[int, int]
CHUNKER_VERSION = 3  # bump when the splitting rules change: the index manifest records it
LONG_SENTENCE = 300  # characters; a longer pysbd sentence is usually a quotation of several
QUOTE_MARKS = re.compile(r"[\"“”„«»]")
OPENING_MARKS, CLOSING_MARKS = "“„«\"", "”»\""  # a straight quote opens after no letter, closes before none
PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", re.S)
QUOTES = "\"“«„‘'"  # what a paragraph of quoted words opens with
QUOTED_RUN = 3  # paragraphs back from a quote to where the run of quoted paragraphs it belongs to begins


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # "<doc_id>:<n>", n counting from 0 within the document
    doc_id: str
    start: int
    end: int
    text: str  # == document.text[start:end]
    sentences: tuple[Span, ...]  # absolute spans of the sentences the chunk holds, in order


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    try:
        return pysbd.Segmenter(language=language, clean=False, char_span=True)
    except ValueError:  # pysbd has no rules for this language: English rules are the safest guess
        return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _segment(text: str, base: int, language: str) -> list[Span]:
    """Sentence spans of ``text`` (which starts at offset ``base``), trimmed of white space."""
    spans = []
    for piece in _segmenter(language).segment(text):
        start, end = piece.start, piece.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((base + start, base + end))
    return spans


def split_sentences(text: str, language: str = "en") -> list[Span]:
    """Spans of the sentences of ``text``, trimmed of surrounding white space.

    pysbd keeps a quotation of many sentences whole (a paragraph-long "sentence" in an interview);
    such a span is split again with its quotation marks blanked out (same length, so the offsets
    still hold), so that an answer can quote the one sentence it needs.
    """
    spans: list[Span] = []
    for paragraph in PARAGRAPH.finditer(text):
        pieces: list[Span] = []
        for start, end in _segment(paragraph.group(), paragraph.start(), language):
            if end - start <= LONG_SENTENCE:
                pieces.append((start, end))
                continue
            unquoted = QUOTE_MARKS.sub(" ", text[start:end])
            pieces.extend(_with_marks(text, span, (start, end)) for span in _segment(unquoted, start, language))
        spans.extend(_without_scraps(text, pieces))
    return spans


def _with_marks(text: str, span: Span, within: Span) -> Span:
    """The span widened over the quote marks right at its edges, which the second split blanked out:
    'Its main slogan is “A fair Kazakhstan for everyone.”', not '... everyone.' with the mark lost."""
    start, end = span
    while start > within[0] and text[start - 1] in OPENING_MARKS and (start - 1 == within[0]
                                                                       or not text[start - 2].isalnum()):
        start -= 1
    while end < within[1] and text[end] in CLOSING_MARKS and (end + 1 == within[1] or not text[end + 1].isalnum()):
        end += 1
    return start, end


def _without_scraps(text: str, spans: list[Span]) -> list[Span]:
    """The spans, a piece with no letter or digit (a quote mark pysbd left on its own) joined to the sentence
    before it."""
    joined: list[Span] = []
    for start, end in spans:
        if joined and not re.search(r"\w", text[start:end]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _pack(spans: list[Span], chunk_chars: int, overlap: int) -> Iterable[list[Span]]:
    first = 0
    while first < len(spans):
        last = first + 1  # a chunk holds at least one sentence, however long
        while last < len(spans) and spans[last][1] - spans[first][0] <= chunk_chars:
            last += 1
        yield spans[first:last]
        if last == len(spans):
            return
        first = max(first + 1, last - overlap)


def chunk_document(doc: Document, chunk_chars: int = 600, overlap: int = 1) -> list[Chunk]:
    groups = _pack(split_sentences(doc.text, doc.language), chunk_chars, overlap)
    chunks = []
    for n, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        chunks.append(Chunk(f"{doc.doc_id}:{n}", doc.doc_id, start, end, doc.text[start:end], tuple(group)))
    return chunks


def chunk_corpus(docs: Iterable[Document], chunk_chars: int = 600, overlap: int = 1) -> list[Chunk]:
    return [chunk for doc in docs for chunk in chunk_document(doc, chunk_chars, overlap)]


def paragraph_around(text: str, start: int, end: int) -> str:
    """The paragraph (between blank lines) that holds text[start:end]."""
    first = text.rfind("\n\n", 0, start)
    last = text.find("\n\n", end)
    return text[first + 2 if first >= 0 else 0: last if last >= 0 else len(text)]


def paragraphs_leading_to(text: str, start: int, end: int) -> list[str]:
    """The paragraph that holds text[start:end], the one before it, and, while the earliest of these opens
    with a quotation mark, the one before that, at most QUOTED_RUN back: a quote's speaker is named at the
    end of the paragraph before ('..., Beisebayev said.') or where the run of quoted paragraphs begins
    ('According to Kazbek Beisebayev, ...' / '"In addition, ..."' / '"This year alone, ..."'). (A speaker
    named only after the quote, at the end of its run, is not looked for.)"""
    found = [paragraph_around(text, start, end)]
    boundary = text.rfind("\n\n", 0, start)  # the blank line before the latest paragraph found
    while boundary > 0 and (len(found) == 1 or (len(found) <= QUOTED_RUN and _opens_quote(found[-1]))):
        if (paragraph := paragraph_around(text, boundary - 1, boundary - 1)).strip():  # blank lines are no paragraph
            found.append(paragraph)
        boundary = text.rfind("\n\n", 0, boundary - 1)
    return found


def _opens_quote(paragraph: str) -> bool:
    opening = paragraph.lstrip()[:1]
    return bool(opening) and opening in QUOTES
