"""Which documents a reader wants searched: outlets and a published-date range (the API's ``filters``,
``kzqa ask --outlet/--from/--to``), and the documents a question names by title (``sources.py``).

An outlet the corpus does not hold is an error the reader can fix (``FilterError``); dates the wrong way
round are an empty period, which the answer names (``Filters.reversed``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kzqa.ingest import Document


class FilterError(ValueError):
    """Filters that no passage could pass for a reason the reader can fix; ``code`` names it for programs."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class Filters:
    outlets: frozenset[str] = frozenset()  # empty: every outlet
    published_from: dt.date | None = None  # inclusive
    published_to: dt.date | None = None  # inclusive
    documents: frozenset[str] = frozenset()  # doc_ids; empty: every document

    def admits(self, doc: Document) -> bool:
        if self.documents and doc.doc_id not in self.documents:
            return False
        if self.outlets and doc.outlet.casefold() not in {o.casefold() for o in self.outlets}:
            return False
        if self.published_from is None and self.published_to is None:
            return True
        if doc.published is None:
            return False
        day = dt.date.fromisoformat(doc.published)
        return (self.published_from or day) <= day <= (self.published_to or day)

    @property
    def reversed(self) -> str | None:
        """What is wrong with dates the wrong way round, or None."""
        if self.published_from and self.published_to and self.published_from > self.published_to:
            return f"published_from ({self.published_from}) is after published_to ({self.published_to})"
        return None

    @property
    def why_empty(self) -> str:
        """Why no passage passes the filters (when none does): dates the wrong way round, or none in them."""
        return self.reversed or "no passage matches the chosen outlets and dates"

    def check(self, outlets: Iterable[str]) -> None:
        """FilterError for an outlet that is none of ``outlets`` (the corpus's): the reader would otherwise
        only be told that nothing matches. (Dates the wrong way round are an empty period, which the
        answer's reason names, ``reversed``; a schema cannot say that the one must precede the other, so
        the API must accept them.)"""
        known = {outlet.casefold(): outlet for outlet in outlets}
        if unknown := sorted(o for o in self.outlets if o.casefold() not in known):
            raise FilterError("unknown_outlet", f"No document is from {', '.join(map(repr, unknown))}; "
                              f"the outlets are {', '.join(sorted(known.values()))}.")

    def spelled_as(self, outlets: Iterable[str]) -> Filters:
        """The same filters, each outlet spelled as ``outlets`` (the corpus's) spell it: "nikkei asia" -> "Nikkei
        Asia" (outlets are matched case-insensitively; ``check`` first)."""
        known = {outlet.casefold(): outlet for outlet in outlets}
        return replace(self, outlets=frozenset(known.get(o.casefold(), o) for o in self.outlets))
