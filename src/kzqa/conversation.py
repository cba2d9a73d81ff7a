"""A conversation -> the standalone question to search for, without an LLM.

A follow-up ("What share of the vote did he get?") leans on earlier turns through a referring
word (a pronoun or demonstrative) or by being only a few words long. Such a question is searched
together with the question it follows, recursively, so "he" keeps meaning what the first turn
named: the earlier question words carry the subject, the new question the facet asked about.
The sentence that answered the question followed up is then held back a little (answer.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzqa.phrases import REFERRING

SHORT = 4  # a question of at most this many words leans on the conversation ("And in Russia?")
DEPTH = 2  # earlier questions carried along at most


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    content: str


def is_follow_up(question: str) -> bool:
    return bool(REFERRING.search(question)) or len(question.split()) <= SHORT


def answer_followed_up(messages: Sequence[Message]) -> str:
    """The assistant's answer to the previous question when the latest question follows it up, else "".

    A follow-up asks for something new ("What is he accused of?" after "Who chaired the Committee?"),
    yet, searched with the question it follows, it is nearest the sentence that answered that one.
    """
    asked = [i for i, m in enumerate(messages) if m.role == "user" and m.content]
    if len(asked) < 2 or not is_follow_up(messages[asked[-1]].content):
        return ""
    answers = [m.content for m in messages[asked[-2] : asked[-1]] if m.role == "assistant"]
    return answers[-1] if answers else ""


def standalone_query(messages: Sequence[Message]) -> tuple[str, str]:
    """(the latest question, the query to search for: that question with the ones it leans on)."""
    # A question that is only exotic white space (the API's schema admits it) is still a question.
    questions = [m.content.strip() or m.content for m in messages if m.role == "user" and m.content]
    if not questions:
        raise ValueError("the conversation holds no user question")
    chain = [questions[-1]]
    for earlier in reversed(questions[:-1]):
        if not is_follow_up(chain[0]) or len(chain) > DEPTH:
            break
        chain.insert(0, earlier)
    return questions[-1], " ".join(chain)
