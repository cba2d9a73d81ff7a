"""Documents are cut into passages of whole sentences that remember where they came from."""

from __future__ import annotations

from kzqa.chunk import (
    LONG_SENTENCE,
    chunk_corpus,
    chunk_document,
    paragraph_around,
    paragraphs_leading_to,
    split_sentences,
)
from kzqa.ingest import Document, read_corpus
from tests.conftest import CORPUS


def test_every_chunk_is_its_documents_text_at_its_offsets():
    docs = {d.doc_id: d for d in read_corpus(CORPUS)}
    chunks = chunk_corpus(docs.values(), chunk_chars=600, overlap=1)
    assert len(chunks) > 20
    for chunk in chunks:
        doc = docs[chunk.doc_id]
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        assert len(chunk.text) <= 600 or len(chunk.sentences) == 1


def test_sentences_are_whole_and_abbreviations_do_not_split_them():
    text = ("Kazakhstani election officials count ballots in Almaty on Nov. 20. President Tokayev won.\n\n"
            "He got 81.3% of the votes. The U.S. and Europe watched.")
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Kazakhstani election officials count ballots in Almaty on Nov. 20.", "President Tokayev won.",
        "He got 81.3% of the votes.", "The U.S. and Europe watched."]


def test_consecutive_chunks_share_the_overlap_sentences():
    sentences = [f"Sentence number {i} is about the election." for i in range(30)]
    doc = Document("d", "T", "O", " ".join(sentences))
    chunks = chunk_document(doc, chunk_chars=200, overlap=1)
    assert len(chunks) > 3
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.sentences[-1] == after.sentences[0]
    covered = {span for chunk in chunks for span in chunk.sentences}
    assert len(covered) == 30  # no sentence is lost between chunks


def test_a_long_quotation_is_split_into_its_sentences_with_their_quote_marks():
    # pysbd keeps the quotation after the first sentence whole (over LONG_SENTENCE characters); split again,
    # each sentence keeps the quote marks at its edges, so a quote of the slogan is closed as the article
    # closes it.
    text = ("For citizens, Tokayev offered a concrete program of action for the near future. Its main slogan is "
            "“A fair Kazakhstan for everyone.” “The idea of fairness will underpin every decision we make, every "
            "action we take. We start from the principle that our greatest asset and competitive advantage is "
            "our people. Therefore, we will firmly follow the formula: not man for the state, but the state for "
            "man,” Tokayev said, outlining the program.")
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert "Its main slogan is “A fair Kazakhstan for everyone.”" in sentences
    assert "“The idea of fairness will underpin every decision we make, every action we take." in sentences
    assert len(text) - text.index("Its main") > LONG_SENTENCE + 50  # long enough to be split again
    assert sentences[-1].endswith("but the state for man,” Tokayev said, outlining the program.")


def test_a_quote_mark_left_on_its_own_belongs_to_the_sentence_before():
    doc = {d.doc_id: d for d in read_corpus(CORPUS)}["politnavigator-2022-11-19-tilt-towards-the-west"]
    sentences = [doc.text[s:e] for s, e in split_sentences(doc.text)]
    assert '"' not in sentences  # pysbd splits it off; no sentence is a bare mark
    assert any(s.endswith('reinstatement in citizenship."') for s in sentences)


def test_the_paragraph_around_a_sentence_is_what_lies_between_blank_lines():
    doc = Document("d", "t", "o", "First paragraph.\n\nA quote. It goes on, Abishev said.\n\nLast.")
    start = doc.text.index("A quote")
    assert paragraph_around(doc.text, start, start + 8) == "A quote. It goes on, Abishev said."
    assert paragraph_around(doc.text, 0, 5) == "First paragraph."


def test_what_leads_to_a_quote_is_the_paragraph_before_and_where_its_run_of_quotes_begins():
    text = ("A caption. © Reuters\n\nAccording to analyst Kazbek Beisebayev, reforms come first.\n\n"
            '"In addition, problems piled up," Beisebayev said.\n\n"This year alone, Xi came."\n\n'
            "Xi and Erdogan expressed support.")
    def leading_to(sentence: str) -> list[str]:
        start = text.index(sentence)
        return [p.split()[0] for p in paragraphs_leading_to(text, start, start + len(sentence))]

    # the paragraph before only, when it is no quote: the caption two paragraphs up is not near
    assert leading_to("In addition") == ['"In', "According"]
    # back through the quoted paragraphs to the one that says whose words they are
    assert leading_to("This year alone") == ['"This', '"In', "According"]
    assert leading_to("Xi and Erdogan") == ["Xi", '"This', '"In', "According"]
    assert leading_to("According to") == ["According", "A"]
    assert leading_to("A caption") == ["A"]  # the first paragraph has none before it
    # extra blank lines are no paragraph
    gap = 'Abishev spoke.\n\n\n\n\n"Q1."\n\nTail.'
    assert paragraphs_leading_to(gap, gap.index("Tail"), len(gap)) == ["Tail.", '"Q1."', "Abishev spoke."]
