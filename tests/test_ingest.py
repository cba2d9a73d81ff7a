"""A user drops Markdown files into corpus/ and kzqa reads them as clean documents."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
import pytest

from kzqa.ingest import CorpusError, corpus_hash, read_corpus, read_document
from tests.conftest import CORPUS, SEEDS

CLUTTER = [
    "What's new", "Nov 4, 2011", "Users Who Are Viewing This Thread", "Top Bottom", "Please select digest",
    "Subscribe to PolitNavigator", "Tags:", "Dear Readers", "Roskomnadzor", "Mon Tues Wed", "May 2024",
    "If you find an error", "Now the editors are aware", "Views: 2562", "Placing links to third-party",
    "Author column, Elections", "date 2022-09-05",
]
# The first and last words of each article: the cleaning kept the whole article.
ENDS = {
    "Warsaw Point": ("Kazakh President Kasym Zhomart Tokayev announced",
                     "Bruce Pannier of Radio Free Europe/Radio Liberty"),
    "Nikkei Asia": ("Kazakhstani election officials count ballots", "at the end of 2022."),
    "Caliber.Az": ("Tomorrow, November 20, the presidential elections", "it is inevitable,\" Abishev concluded."),
    "New Eastern Outlook": ("Kassym-Jomart Tokayev was re-elected", "for the online magazine “New Eastern Outlook“."),
    "PolitNavigator": ("On Sunday, November 20, early presidential elections",
                       "playing by the rules of London and Washington."),
}


@pytest.fixture(scope="module")
def documents():
    return {doc.outlet: doc for doc in read_corpus(CORPUS)}


def test_the_corpus_holds_the_five_articles_without_site_clutter(documents):
    assert set(documents) == set(ENDS)
    for outlet, doc in documents.items():
        first, last = ENDS[outlet]
        assert doc.text.startswith(first), outlet
        assert doc.text.rstrip().endswith(last), outlet
        for junk in CLUTTER:
            assert junk not in doc.text, f"{junk!r} left in {outlet}"


def test_metadata_comes_from_the_seed_metadata(documents):
    seeds = json.loads((SEEDS / "metadata.json").read_text()) if SEEDS.is_dir() else None
    for doc in documents.values():
        source = frontmatter.load(CORPUS / f"{doc.doc_id}.md")["source"]
        if seeds is None:
            pytest.skip(f"the seed metadata is not at {SEEDS} (set KZQA_SEEDS)")
        meta = seeds[source]
        assert (doc.title, doc.outlet, doc.author, doc.published, doc.url, doc.language) == (
            meta["title"], meta["outlet"], meta["author"], meta["published"], meta["url"], meta["language"])
    assert documents["Nikkei Asia"].published == "2022-11-22"  # not the forum's stray "Nov 4, 2011"
    assert documents["Nikkei Asia"].url is None


def test_every_paragraph_is_the_seed_text_verbatim(documents):
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS} (set KZQA_SEEDS)")
    for doc in documents.values():
        seed = (SEEDS / frontmatter.load(CORPUS / f"{doc.doc_id}.md")["source"]).read_text(encoding="utf-8")
        for paragraph in doc.text.split("\n\n"):
            assert paragraph.strip() in seed, f"{doc.outlet}: {paragraph[:60]!r} is not in the seed"


def test_a_dropped_in_file_becomes_a_document_and_changes_the_corpus_hash(small_corpus: Path):
    before = corpus_hash(small_corpus)
    (small_corpus / "my-note.md").write_text(
        "---\ntitle: A note\noutlet: Me\npublished: 2022-11-21\n---\n\nTokayev won. It was calm.\n", encoding="utf-8")
    doc = read_document(small_corpus / "my-note.md")
    assert (doc.doc_id, doc.title, doc.outlet, doc.published) == ("my-note", "A note", "Me", "2022-11-21")
    assert doc.url is None
    assert doc.text == "Tokayev won. It was calm."
    assert corpus_hash(small_corpus) != before


def test_what_an_editor_leaves_in_the_corpus_is_skipped_and_a_byte_order_mark_is_no_error(small_corpus: Path):
    before = corpus_hash(small_corpus)
    (small_corpus / ".#draft.md").symlink_to("user@host.1234:1")  # Emacs's lock file: a dangling link
    (small_corpus / "drafts.md").mkdir()  # a folder
    (small_corpus / ".note.md.swp").write_text("x", encoding="utf-8")
    assert corpus_hash(small_corpus) == before
    # Windows Notepad's UTF-8 opens with a byte-order mark; an upper-case suffix is Markdown too
    (small_corpus / "notepad.MD").write_text("\ufeff---\ntitle: A note\noutlet: Me\n---\n\nTokayev won.\n",
                                             encoding="utf-8")
    assert "notepad" in [d.doc_id for d in read_corpus(small_corpus)] and corpus_hash(small_corpus) != before
    assert read_document(small_corpus / "notepad.MD").title == "A note"


@pytest.mark.parametrize("content, message", [
    ("no front matter at all", "no front matter: the file must open with a '---' block giving title, outlet"),
    ("---\ntitle: T\n---\n\nText.", "front matter lacks outlet"),
    ("---\ntitle: T\noutlet: O\npublished: last week\n---\n\nText.", "'published' must be a date"),
    ("---\ntitle: T\noutlet: O\n---\n\n   \n", "has no text"),
    ("---\ntitle: [unclosed\n---\n\nText.", "cannot be read"),
    # PyYAML's several lines, as one: what is wrong, and where in the file
    ("---\ntitle: [x\noutlet: O\n---\n\nText.",
     r"front matter: did not find expected ',' or '\]' \(line 3, column 7\)$"),
])
def test_a_broken_file_is_refused_with_its_name_and_the_problem(tmp_path: Path, content: str, message: str):
    (tmp_path / "broken.md").write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as caught:
        read_corpus(tmp_path)
    assert "broken.md" in str(caught.value)
