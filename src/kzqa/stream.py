"""An answer as the events a stream sends: the citations first, then the text in small pieces, then the whole.

chat.py sends them as server-sent events, generate.py the same for an LLM's answer, openai_api.py as
chat-completion chunks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kzqa.answer import Answer


def answer_pieces(text: str, words_per_piece: int = 3) -> Iterator[str]:
    """The answer in small pieces, for streaming; concatenated they give ``text`` back."""
    words = re.findall(r"\S+\s*", text)
    for i in range(0, len(words), words_per_piece):
        yield "".join(words[i : i + words_per_piece])


def extractive_events(result: Answer) -> Iterator[tuple[str, object]]:
    """A turn as events: ("citations", answer so far), ("delta", piece)..., ("done", answer)."""
    yield "citations", result
    for piece in answer_pieces(result.text):
        yield "delta", piece
    yield "done", result
