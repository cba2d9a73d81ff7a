"""Check a generated answer against the passages it cites, sentence by sentence.

For each sentence of the answer:
- markers ``[n]`` that point at no passage are removed;
- a sentence with no valid marker is unsupported ("cites no passage");
- every number in it must appear in a cited passage, and every capitalised name in a cited
  passage or its document's outlet, author or title;
- its embedding must be close to some sentence of a cited passage: max cosine >= SUPPORT_COS.
Citations are then renumbered 1, 2, ... in order of first use, listing only passages used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kzqa.answer import Citation
from kzqa.chunk import split_sentences
from kzqa.retrieve import Hit, Retriever

SUPPORT_COS = 0.85  # e5 cosine of a faithful paraphrase with its source sentence is typically above 0.88
MARKER = re.compile(r"\s*\[(\d+)\]")
MARKER_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’.-]*[\w]")  # a capitalised word that does not open the sentence


@dataclass(frozen=True)
class Unsupported:
    index: int  # position of the sentence in the answer, from 0
    sentence: str
    reason: str


@dataclass(frozen=True)
class Checked:
    text: str  # markers renumbered; unsupported sentences dropped when asked to
    citations: tuple[Citation, ...]
    unsupported: tuple[Unsupported, ...]
    supported: int  # sentences that passed every check


def _problem(sentence: str, cited: list[Hit], retriever: Retriever) -> str | None:
    """Why ``sentence`` is not supported by the ``cited`` passages, or None."""
    passages = " ".join(h.chunk.text for h in cited)
    context = passages + " " + " ".join(f"{h.document.outlet} {h.document.author or ''} {h.document.title}"
                                         for h in cited)
    for number in DIGITS.findall(sentence):
        if number not in passages:
            return f"the number {number} is not in the cited passage"
    for name in NAME.findall(sentence):
        if name.lower().rstrip(".") not in context.lower():
            return f"the name {name} is not in the cited passage"
    rows = [retriever.index.sentence_rows[(h.chunk.doc_id, s, e)] for h in cited for s, e in h.chunk.sentences]
    vector = retriever.embedder.passages([sentence])[0]
    closest = float(np.max(retriever.index.sentence_vectors[rows] @ vector))  # cosines, unit vectors
    if closest < SUPPORT_COS:
        return f"it is not close to any sentence of the cited passage (cosine {closest:.2f})"
    return None


def check(answer_text: str, hits: Sequence[Hit], retriever: Retriever, drop_unsupported: bool = False) -> Checked:
    """``hits`` are the passages as numbered in the prompt: [1] is hits[0]."""
    # "... until 2029. [1]" -> "... until 2029 [1]." so that the marker stays with its sentence
    answer_text = MARKER_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), answer_text)
    numbers: dict[int, int] = {}  # prompt number -> number in the checked answer
    parts, unsupported, supported = [], [], 0
    for index, (start, end) in enumerate(split_sentences(answer_text)):
        raw = answer_text[start:end]
        markers = [int(n) for n in MARKER.findall(raw)]
        sentence = MARKER.sub("", raw).strip()
        if not sentence:
            continue
        valid = list(dict.fromkeys(n for n in markers if 1 <= n <= len(hits)))
        reason = "it cites no passage" if not valid else _problem(sentence, [hits[n - 1] for n in valid], retriever)
        if reason:
            unsupported.append(Unsupported(index, sentence, reason))
            if drop_unsupported:
                continue
        else:
            supported += 1
        new = [numbers.setdefault(n, len(numbers) + 1) for n in valid]
        parts.append(sentence + "".join(f" [{n}]" for n in new))
    citations = tuple(Citation(new, hits[old - 1]) for old, new in numbers.items())
    return Checked(" ".join(parts), citations, tuple(unsupported), supported)
