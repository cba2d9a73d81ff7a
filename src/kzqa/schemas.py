"""The HTTP edge's data shapes (pydantic). Inside kzqa, frozen dataclasses carry the data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from kzqa.filters import Filters


class Problem(BaseModel):
    """Every error: RFC 9457 problem details, plus a stable ``code``."""

    type: str = Field(examples=["https://kzqa.dev/problems/empty_question"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["The question is empty."])
    code: str = Field(examples=["empty_question"])


# C0 and C1 control characters but tab and the line breaks: never meaningful in a question, and a NUL
# saved as it came shows as a box in the conversation list. They read as spaces (``without_control_characters``).
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
# Characters that show nothing: Unicode's spaces (no-break, en, em, ideographic ...) and its invisible format
# characters (zero-width space and joiners, word joiner, byte order mark, soft hyphen). A question of nothing else
# is empty; inside one they stay as written (a joiner holds an emoji together).
UNSEEN_CHARACTERS = r"\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f-\u2064\u3000\ufeff"
# At least one character that is neither white space, nor a control character, nor one that shows nothing, so that
# the schema says what the server accepts; spelt out so that every regex engine (the server's, JSON Schema tools')
# reads it alike: "\S" differs between them on characters like U+0085.
NOT_BLANK = rf"[^ \t\n\r\f\v{CONTROL_CHARACTERS}{UNSEEN_CHARACTERS}]"


def without_control_characters(text: object) -> object:
    """A message as the reader meant it: each control character becomes a space."""
    return CONTROL.sub(" ", text) if isinstance(text, str) else text


PlainText = Annotated[str, BeforeValidator(without_control_characters)]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")  # as the request's own fields: a misspelt "content" is no message
    role: Literal["user", "assistant"]
    content: PlainText = Field(
        pattern=NOT_BLANK, description="A user message holds at most the server's max_question_chars characters; an "
        "assistant message (an earlier answer sent back) only the body limit. Control characters read as spaces.")


def _iso_date(value: object) -> object:
    """Dates only as "YYYY-MM-DD" (pydantic would also take a number as a timestamp)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("a date must be written YYYY-MM-DD")
    try:  # pydantic's own message would offer a datetime, which the line above refuses
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is no day of the calendar") from None


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class FiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outlets: list[str] = Field(default_factory=list, description="Only passages from these outlets.")
    published_from: IsoDate | None = Field(None, description="Only documents published on or after this date.")
    published_to: IsoDate | None = Field(None, description="Only documents published on or before this date.")

    def to_filters(self) -> Filters:
        return Filters(frozenset(self.outlets), self.published_from, self.published_to)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt "conversation_id" must not be ignored silently
    messages: list[ChatMessage] = Field(
        min_length=1, json_schema_extra={"contains": {"properties": {"role": {"const": "user"}}}},
        description="The conversation so far; kzqa answers its latest user message (anything after that is "
        "ignored). With a conversation_id, only that message is used: the server holds the history.")
    conversation_id: str | None = Field(None, description="Continue this saved conversation.")
    last_message_id: str | None = Field(
        None, description="With conversation_id: the message_id of the latest answer the client shows (\"\" when "
        "it shows none yet). When the conversation has gone on since (another tab or client asked in it), the "
        "request is a 409 conversation_changed and nothing is saved, rather than an answer that leans on turns the "
        "reader has not seen; an id that is no answer of the conversation is a 404 unknown_id.")
    stream: StrictBool = Field(False, description="Answer as Server-Sent Events (see docs/http.md).")
    filters: FiltersIn | None = None


class Passage(BaseModel):
    doc_id: str
    chunk_id: str
    title: str
    outlet: str
    author: str | None
    published: str | None
    url: str | None = Field(description="The original article's address, when known.")
    link: str = Field(description="kzqa's own page for the document, anchored at the passage.")
    text: str = Field(description="The passage, verbatim from the corpus.")
    start: int = Field(description="Character offset of the passage in the document text.")
    end: int
    score: float = Field(description="Cosine similarity of the question and the passage.")


class CitationOut(Passage):
    n: int = Field(description="The marker [n] in the answer that points here.")


class UnsupportedOut(BaseModel):
    index: int = Field(description="Position of the sentence in the answer, from 0.")
    sentence: str
    reason: str


class ChatResponse(BaseModel):
    answer: str
    answered: bool = Field(description="False when the documents do not hold the answer.")
    citations: list[CitationOut] = Field(description="The passages the answer quotes; with a refusal, the closest.")
    query: str = Field(description="The search that was actually run.")
    language: Literal["en", "ru", "kk"] = Field(
        "en", description="The language of the answer's own words (the question's); quotes stay as written.")
    generated: bool = Field(False, description="Written by the configured LLM (checked), not quoted.")
    unsupported: list[UnsupportedOut] = Field(
        default_factory=list, description="Generated sentences the cited passages do not support.")
    note: str | None = Field(None, description="For the reader, e.g. that generation was unavailable.")
    refusal_reason: str | None = Field(
        None, description="Why the documents were judged not to hold the answer (English); null when answered.")
    conversation_id: str | None = None
    message_id: str | None = Field(None, description="This answer's id, for POST /api/feedback.")


class SearchResponse(BaseModel):
    query: str = Field(description="What was searched: q without the name of an outlet or title it names and the "
                                   "words framing it.")
    outlets: list[str] = Field(description="The outlets searched: the outlet filter, else those q names; "
                               "empty for all.")
    documents: list[str] = Field(default_factory=list, description="The doc_ids searched when q names a document "
                                 "by its title (\"the Eastern Express programme\"); empty for all.")
    results: list[Passage]
    reason: str | None = Field(None, description="Why there are no results, when the filters admit no passage "
                               "(dates the wrong way round, or no document of those outlets in those dates).")


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    subtitle: str | None
    outlet: str
    author: str | None
    published: str | None
    url: str | None
    language: str
    link: str


class ChunkSpan(BaseModel):
    chunk_id: str
    start: int
    end: int


class DocumentOut(DocumentSummary):
    text: str
    chunks: list[ChunkSpan]


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class Health(BaseModel):
    status: str
    model: str
    chunks: int
    documents: int
    max_question_chars: int = Field(description="The longest question /api/chat accepts (KZQA_MAX_QUESTION_CHARS); "
                                    "the chat page holds its box to it.")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message_id: str = Field(description="The answer's message_id from /api/chat.")
    rating: Literal["up", "down"]
    reason: Literal["evidence_wrong", "incomplete", "other"] | None = None
    comment: str | None = Field(None, max_length=2000)


class FeedbackOut(BaseModel):
    feedback_id: str


class FeedbackRecord(BaseModel):
    feedback_id: str
    rating: Literal["up", "down"]
    reason: str | None
    comment: str | None
    created: float


class SavedMessage(BaseModel):
    message_id: str
    role: Literal["user", "assistant"]
    content: str
    created: float
    response: ChatResponse | None = None
    feedback: list[FeedbackRecord] | None = None


class ConversationSummary(BaseModel):
    conversation_id: str
    title: str
    created: float
    updated: float


class Conversation(ConversationSummary):
    messages: list[SavedMessage]


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]


def sse_schema(events: list[str] | None, description: str) -> dict:
    """OpenAPI description of a Server-Sent Events stream: the schema of one event (OpenAPI 3.2 style),
    whose ``data`` is a JSON document."""
    event = {"type": "string", "enum": events} if events else {"type": "string"}
    return {"description": description, "content": {"text/event-stream": {"schema": {
        "type": "object", "required": ["data"],
        "properties": {"event": event, "data": {"type": "string", "contentMediaType": "application/json"},
                       "id": {"type": "string"}, "retry": {"type": "integer", "minimum": 0}}}}}}
