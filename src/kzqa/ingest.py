"""Files -> documents: read the Markdown files of the corpus folder.

Each document is one ``.md`` file: YAML front matter (title, outlet, author, published, url,
language, ...) and the article text below it. The document id is the file name without ``.md``.
Character offsets everywhere in kzqa point into ``Document.text``, the body exactly as parsed here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
REQUIRED = ("title", "outlet")


class CorpusError(ValueError):
    """The corpus folder or one of its files cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    outlet: str
    text: str
    author: str | None = None
    published: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    url: str | None = None
    language: str = "en"
    subtitle: str | None = None

    def metadata(self) -> dict[str, str | None]:
        """Everything but the text, for listings."""
        return {
            "doc_id": self.doc_id, "title": self.title, "subtitle": self.subtitle, "outlet": self.outlet,
            "author": self.author, "published": self.published, "url": self.url, "language": self.language,
        }


MARKDOWN_SUFFIXES = (".md", ".markdown")


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist; set KZQA_CORPUS_DIR or create it")
    # Markdown files (.md or .markdown, in any case), but not a README, nor what an editor leaves beside them:
    # hidden files (Emacs's ".#x.md" lock, a dangling link) and anything that is no regular file
    files = sorted(f for f in corpus_dir.iterdir() if f.suffix.lower() in MARKDOWN_SUFFIXES
                   and not f.name.startswith(".") and f.stem.lower() != "readme" and f.is_file())
    if not files:
        raise CorpusError(f"corpus folder {corpus_dir} holds no .md documents")
    return files


def corpus_hash(corpus_dir: Path) -> str:
    """SHA-256 over the names and bytes of the corpus files: any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _date(value: object, path: Path) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise CorpusError(f"{path.name}: 'published' must be a date like 2022-11-20, not {value!r}") from None


def _in_one_line(exc: Exception) -> str:
    """PyYAML's message (several lines, quoting the text) as one: what is wrong and where in the file."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem and exc.problem_mark:
        # the mark counts lines from 0, from the end of the opening "---" (the file's line 1)
        return f"{exc.problem} (line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1})"
    return " ".join(str(exc).split())


def read_document(path: Path) -> Document:
    doc_id = path.stem
    if not DOC_ID.match(doc_id):
        raise CorpusError(f"{path.name}: file names may use only letters, digits, '.', '_' and '-'")
    try:
        # (utf-8-sig: the byte-order mark Windows Notepad writes would hide the opening "---")
        text = path.read_text(encoding="utf-8-sig")
        post = frontmatter.loads(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path.name}: cannot be read as UTF-8 Markdown with YAML front matter: "
                          f"{_in_one_line(exc)}") from None
    meta = post.metadata
    if not meta and not text.lstrip().startswith("---"):
        raise CorpusError(f"{path.name}: no front matter: the file must open with a '---' block giving "
                          f"{', '.join(REQUIRED)}")
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise CorpusError(f"{path.name}: front matter lacks {', '.join(missing)}")
    if not post.content.strip():
        raise CorpusError(f"{path.name}: the document has no text below its front matter")
    return Document(
        doc_id=doc_id,
        title=str(meta["title"]),
        subtitle=_optional(meta.get("subtitle")),
        outlet=str(meta["outlet"]),
        author=_optional(meta.get("author")),
        published=_date(meta.get("published"), path),
        url=_optional(meta.get("url")),
        language=str(meta.get("language") or "en"),
        text=post.content,
    )


def _optional(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def read_corpus(corpus_dir: Path) -> list[Document]:
    return [read_document(path) for path in corpus_files(corpus_dir)]
