"""Saved conversations, their answers (with citations) and readers' feedback, in SQLite.

One connection per operation: SQLite in WAL mode lets the server's threads read while one writes,
and nothing is held open between requests. Answers are stored as the JSON the API returned, so a
saved conversation shows exactly what the reader saw.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    response TEXT,  -- the /api/chat response JSON, for assistant messages
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, position);
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT,
    comment TEXT,
    created REAL NOT NULL
);
"""
TITLE_CHARS = 80


class NotFound(KeyError):
    """No conversation or message with that id."""


class ConversationChanged(Exception):
    """The conversation has an answer since the one the client last showed (another tab went on with it)."""


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    def create(self, first_question: str) -> str:
        conversation_id = uuid.uuid4().hex
        now = time.time()
        title = " ".join(first_question.split())[:TITLE_CHARS]
        with self._connect() as db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)", (conversation_id, title, now, now))
        return conversation_id

    def history(self, conversation_id: str) -> list[tuple[str, str]]:
        """(role, content) of every message so far, oldest first."""
        with self._connect() as db:
            self._require(db, conversation_id)
            rows = db.execute("SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY position",
                              (conversation_id,)).fetchall()
        return [(row["role"], row["content"]) for row in rows]

    def check_seen(self, conversation_id: str, seen: str) -> None:
        """That ``seen`` is the conversation's latest answer ("" when it has none yet): NotFound when it is no
        answer of the conversation, ConversationChanged when later ones were saved."""
        with self._connect() as db:
            self._check_seen(db, conversation_id, seen)

    @classmethod
    def _check_seen(cls, db: sqlite3.Connection, conversation_id: str, seen: str) -> None:
        cls._require(db, conversation_id)
        answers = [row["id"] for row in db.execute("SELECT id FROM messages WHERE conversation_id = ? AND "
                                                   "role = 'assistant' ORDER BY position", (conversation_id,))]
        if seen and seen not in answers:
            raise NotFound(seen)
        if seen != (answers[-1] if answers else ""):
            raise ConversationChanged(conversation_id)

    def add_turn(self, conversation_id: str, question: str, message_id: str, response: dict,
                 seen: str | None = None) -> None:
        """Save a question and its answer (``response``: the /api/chat JSON) under ``message_id``; with ``seen``,
        only if it is still the latest answer (``check_seen``, under the same lock: a turn another tab saved
        while this one was being answered counts)."""
        now = time.time()
        with self._connect() as db:
            # The write lock first, then the count: two turns saved at once would both count N, and their
            # messages would interleave (user, user, assistant, assistant). Waits up to the connect timeout.
            db.execute("BEGIN IMMEDIATE")
            self._require(db, conversation_id)
            if seen is not None:
                self._check_seen(db, conversation_id, seen)
            position = db.execute("SELECT COUNT(*) FROM messages WHERE conversation_id = ?",
                                  (conversation_id,)).fetchone()[0]
            db.execute("INSERT INTO messages VALUES (?, ?, ?, 'user', ?, NULL, ?)",
                       (uuid.uuid4().hex, conversation_id, position, question, now))
            db.execute("INSERT INTO messages VALUES (?, ?, ?, 'assistant', ?, ?, ?)",
                       (message_id, conversation_id, position + 1, response["answer"], json.dumps(response), now))
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id))

    def get(self, conversation_id: str) -> dict:
        with self._connect() as db:
            conversation = self._require(db, conversation_id)
            rows = db.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY position",
                              (conversation_id,)).fetchall()
            feedback = db.execute(
                "SELECT f.* FROM feedback f JOIN messages m ON m.id = f.message_id WHERE m.conversation_id = ? "
                "ORDER BY f.created", (conversation_id,)).fetchall()
        by_message: dict[str, list[dict]] = {}
        for row in feedback:
            by_message.setdefault(row["message_id"], []).append(
                {"feedback_id": row["id"], "rating": row["rating"], "reason": row["reason"],
                 "comment": row["comment"], "created": row["created"]})
        messages = []
        for row in rows:
            message = {"message_id": row["id"], "role": row["role"], "content": row["content"],
                       "created": row["created"]}
            if row["response"]:
                message["response"] = json.loads(row["response"])
                message["feedback"] = by_message.get(row["id"], [])
            messages.append(message)
        return {"conversation_id": conversation["id"], "title": conversation["title"],
                "created": conversation["created"], "updated": conversation["updated"], "messages": messages}

    def list(self, limit: int = 50) -> list[dict]:
        with self._connect() as db:
            # only those holding an answer: one whose first question was cut off before its answer was saved (the
            # page left, the server stopped) has nothing to show, and the reader asks the question again
            rows = db.execute("SELECT * FROM conversations c WHERE EXISTS (SELECT 1 FROM messages m WHERE "
                              "m.conversation_id = c.id) ORDER BY updated DESC LIMIT ?", (limit,)).fetchall()
        return [{"conversation_id": r["id"], "title": r["title"], "created": r["created"], "updated": r["updated"]}
                for r in rows]

    def delete(self, conversation_id: str) -> None:
        with self._connect() as db:
            if db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,)).rowcount == 0:
                raise NotFound(conversation_id)

    def add_feedback(self, message_id: str, rating: str, reason: str | None, comment: str | None) -> str:
        feedback_id = uuid.uuid4().hex
        with self._connect() as db:
            found = db.execute("SELECT 1 FROM messages WHERE id = ? AND role = 'assistant'", (message_id,)).fetchone()
            if not found:
                raise NotFound(message_id)
            db.execute("INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?)",
                       (feedback_id, message_id, rating, reason, comment, time.time()))
        return feedback_id

    @staticmethod
    def _require(db: sqlite3.Connection, conversation_id: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise NotFound(conversation_id)
        return row
