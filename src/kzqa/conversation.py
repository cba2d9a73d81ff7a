"""A conversation -> the standalone question to search for, without an LLM.

A follow-up ("What share of the vote did he get?") leans on earlier turns through a referring
word (a pronoun or demonstrative) or by being only a few words long. Its personal pronoun stands
for whom the answer before named when the question before asked for someone ("Who won ...?",
"Which analyst ...?"), and for the same one as long as the follow-ups go on: "he" is replaced by
the name, and the question is searched alone. Any other follow-up is searched together with the
question it follows, recursively, so "it" keeps meaning what the first turn named: the earlier
question words carry the subject, the new question the facet asked about. The sentence that
answered the question followed up is then held back a little (answer.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kzqa.phrases import PERSONAL, REFERRING, asks_for_someone, quoted_sentences

SHORT = 4  # a question of at most this many words leans on the conversation ("And in Russia?")
DEPTH = 2  # earlier questions carried along at most

# (a sentence an answer quoted, the questions it answered) -> whom it names that they do not
Referent = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Turn:
    asked: str  # the question as the reader wrote it
    searched: str  # the same, its personal pronouns replaced by whom they stand for
    resolved: bool  # whether they were: it stands alone


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


def turns(messages: Sequence[Message], referent: Referent | None = None) -> list[Turn]:
    """The reader's questions, each with its personal pronouns resolved where the conversation says whom
    they stand for (see the module's docstring)."""
    found: list[Turn] = []
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
            before = found[-1].asked  # "he" after "What did he say?" is still whom that "he" was
            if asks_for_someone(before) and not (len(thread) > 1 and PERSONAL.search(before)):
                named = _named(answered, " ".join(thread), referent) or named
        thread.append(asked)
        searched = _resolved(asked, named) if named and found else asked
        found.append(Turn(asked, searched, searched != asked))
        answered = ""
    return found


def _named(answered: str, asked: str, referent: Referent) -> str | None:
    """Whom the first sentence quoted in the answer to the questions ``asked`` names that they do not."""
    quoted = quoted_sentences(answered)
    return referent(quoted[0], asked) if quoted else None


def _resolved(question: str, name: str) -> str:
    """The question with its personal pronouns replaced by the name ("his" by "Name's")."""
    return PERSONAL.sub(lambda pronoun: name if pronoun.group(1) else f"{name}'s", question)


def standalone_query(messages: Sequence[Message], referent: Referent | None = None) -> tuple[str, str]:
    """(the latest question, the query to search for: that question resolved, or with the ones it leans on)."""
    asked = turns(messages, referent)
    if not asked:
        raise ValueError("the conversation holds no user question")
    chain = [asked[-1]]
    for earlier in reversed(asked[:-1]):
        if chain[0].resolved or not is_follow_up(chain[0].asked) or len(chain) > DEPTH:
            break
        chain.insert(0, earlier)
    return asked[-1].asked, " ".join(turn.searched for turn in chain)
