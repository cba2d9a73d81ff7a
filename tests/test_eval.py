"""A developer scores a question file with `kzqa eval` and reads the figures and the misses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzqa.evaluate import corpus_texts, holds, load_cases, norm, run_case
from tests.conftest import CORPUS, ROOT, kzqa_env, run_kzqa

CASES = [
    {"id": "t1", "type": "factoid", "turns": ["How many companies are getting prepared for relocation?"],
     "answer_any": ["300"], "evidence": [{"doc": "x", "quote": "More than 300 companies are getting prepared"}]},
    # expects a word the corpus never says, so it must be reported as a miss
    {"id": "t2", "type": "factoid", "turns": ["How many companies are getting prepared for relocation?"],
     "answer_any": ["four thousand"]},
    {"id": "t3", "type": "unanswerable", "turns": ["How do I bake sourdough bread?"]},
]


def test_kzqa_eval_prints_the_metrics_and_a_line_for_each_miss(settings, service, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(c) for c in CASES), encoding="utf-8")
    done = run_kzqa("eval", str(questions), "--out", str(tmp_path / "rows.json"), env=kzqa_env(settings))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["cases"] == 3
    assert summary["answer_accuracy"] == 0.5
    assert summary["abstention"] == 1.0 and summary["false_abstention"] == 0.0
    assert summary["citation_support"] == 1.0 and summary["search_hit@5"] == 1.0
    assert summary["by_type"]["factoid"]["n"] == 2
    misses = [line for line in done.stderr.splitlines() if line.startswith("MISS")]
    assert len(misses) == 1 and misses[0].startswith("MISS t2") and "answer_ok" in misses[0]
    rows = json.loads((tmp_path / "rows.json").read_text())
    assert [r["id"] for r in rows] == ["t1", "t2", "t3"]


@pytest.mark.parametrize("question_file", sorted((ROOT / "eval").glob("*.jsonl")), ids=lambda path: path.name)
def test_our_question_sets_are_well_formed_and_quote_the_corpus_word_for_word(question_file: Path):
    # A quote the corpus does not hold would score every answer to its case as uncited.
    texts = corpus_texts(CORPUS)
    cases = load_cases(question_file)
    assert len({case["id"] for case in cases}) == len(cases)
    misquoted = [(case["id"], evidence["quote"]) for case in cases for evidence in case.get("evidence") or []
                 if norm(evidence["quote"]) not in texts.get(Path(evidence["doc"]).stem, "")]
    assert not misquoted


def test_holds_accepts_the_quote_or_most_of_it_after_normalising_quotes():
    passage = "He said: \u201cWe will firmly follow the formula\u201d \u2013 not man for the state."
    assert holds(passage, '"we will firmly follow the formula"')
    assert holds(passage, "we will firmly follow the formula, every time")  # 60 % contiguous
    assert not holds(passage, "an entirely different sentence about oil")
    assert norm("  A\u00a0B\u2019s ") == "a b's"


def test_kzqa_eval_names_the_line_of_a_question_file_that_is_wrong(settings, tmp_path):
    env = kzqa_env(settings)
    missing = run_kzqa("eval", str(tmp_path / "none.jsonl"), env=env)
    assert missing.returncode == 2 and "cannot read the question file" in missing.stderr
    assert "No such file or directory" in missing.stderr and "Traceback" not in missing.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "type": "factoid", "turns": ["Who won?"]}\n{"id": "b", "turns"\n', encoding="utf-8")
    cut = run_kzqa("eval", str(broken), env=env)
    assert cut.returncode == 2 and f"{broken}, line 2: not JSON" in cut.stderr and "Traceback" not in cut.stderr
    broken.write_text('{"id": "a", "turns": ["Who won?"]}\n', encoding="utf-8")
    untyped = run_kzqa("eval", str(broken), env=env)
    assert untyped.returncode == 2 and f'{broken}, line 1: "type" must be a non-empty string' in untyped.stderr
    broken.write_text('{"id": "a", "type": "factoid", "turns": ["Who won?"]}\n', encoding="utf-8")
    seeds = run_kzqa("eval", str(broken), "--seeds", str(tmp_path / "no-seeds"), env=env)
    assert seeds.returncode == 2 and "is not a folder" in seeds.stderr
    # a place for --out that cannot be is named before any question is asked
    nowhere = run_kzqa("eval", str(broken), "--out", str(tmp_path / "no-such-folder" / "rows.json"), env=env)
    assert nowhere.returncode == 2 and f"no folder {tmp_path / 'no-such-folder'} to write it in" in nowhere.stderr
    assert "Traceback" not in nowhere.stderr and not nowhere.stdout
    folder = run_kzqa("eval", str(broken), "--out", str(tmp_path), env=env)
    assert folder.returncode == 2 and f"--out {tmp_path}: is a folder" in folder.stderr


def test_without_seeds_a_multi_case_finds_its_documents_in_the_corpus(settings, service):
    """`kzqa eval` without --seeds: evidence names the seed file ('source' in a document's front matter), and a
    cited passage that does not hold the quote still counts for the document it comes from, as the HTTP scorer
    counts it with --seeds."""
    texts = corpus_texts(settings.corpus_dir)
    chunks = {c.doc_id: c for c in reversed(service.retriever.index.chunks)}  # each document's first chunk
    caliber = chunks["caliber-2022-11-19-kazakhstans-path-after-elections"]
    nikkei = chunks["nikkei-2022-11-22-kazakhstan-tilting-to-china"]
    assert texts["002_a846d8bc31b51c0a"] == texts[caliber.doc_id]  # under the seed's name and under its own id
    case = {"id": "m", "type": "multi", "turns": ["What do the outlets say?"], "min_docs": 2,
            "evidence": [{"doc": "002_a846d8bc31b51c0a", "quote": "a sentence no passage holds, about oil"},
                         {"doc": "001_daa9f20b853b1c18", "quote": "another sentence no passage holds"}]}

    def answered_with(*passages):  # the scorer is what is under test here: the reply is made up of real passages
        return lambda messages: {"answer": "...", "answered": True, "citations": [{"text": p} for p in passages]}

    def no_search(query, k):
        return []

    assert run_case(case, answered_with(caliber.text, nikkei.text), no_search, texts)["multi_ok"]
    assert not run_case(case, answered_with(caliber.text), no_search, texts)["multi_ok"]
