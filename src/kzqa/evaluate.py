"""Score kzqa on a question file in the format of dev.jsonl, in-process.

The metrics are those of the project's HTTP scorer (shared/eval/evaluate.py), computed on the
same response JSON, so figures from ``kzqa eval`` and from the scorer agree.

Each line: {"id", "type", "turns": [...], "answer_any"?, "answer_all"?, "evidence"?: [{"doc", "quote"}],
"min_docs"?}. ``type`` "unanswerable" cases must come back with answered == false.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
METRICS = ("answer_ok", "citation_support", "abstention", "multi_ok", "search_hit")

Chat = Callable[[list[dict]], dict]  # messages -> the /api/chat response JSON
Search = Callable[[str, int], list[dict]]  # query, k -> the /api/search results


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    for a, b in QUOTES.items():
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


def holds(passage: str, quote: str, share: float = 0.6) -> bool:
    """True when the passage contains the quote, or a contiguous piece of at least ``share`` of it."""
    p, q = norm(passage), norm(quote)
    if q in p:
        return True
    match = difflib.SequenceMatcher(None, p, q, autojunk=False).find_longest_match(0, len(p), 0, len(q))
    return match.size >= share * len(q)


class QuestionFileError(ValueError):
    """A question file that cannot be read or whose line is not a case, said with where to look."""


def load_cases(path: Path) -> list[dict]:
    """The cases of a question file, each line checked (``case_problem``); QuestionFileError names the first
    line that is not a case and what is wrong with it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise QuestionFileError(f"cannot read the question file {path}: {reason}") from exc
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(f"{path}, line {number}: not JSON ({exc.msg}, column {exc.colno})") from exc
        if problem := case_problem(case):
            raise QuestionFileError(f"{path}, line {number}: {problem}")
        cases.append(case)
    if not cases:
        raise QuestionFileError(f"{path} holds no cases (one JSON object a line, as in eval/own.jsonl)")
    return cases


def case_problem(case: object) -> str | None:
    """What keeps a parsed line from being a case of the module's format, or None."""
    def strings(value: object) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)

    if not isinstance(case, dict):
        return "not a JSON object"
    for key in ("id", "type"):
        if not isinstance(case.get(key), str) or not case[key]:
            return f'"{key}" must be a non-empty string'
    if not strings(case.get("turns")) or not case["turns"]:
        return '"turns" must be a non-empty list of questions (strings)'
    for key in ("answer_any", "answer_all"):
        if key in case and not strings(case[key]):
            return f'"{key}" must be a list of non-empty strings'
    evidence = case.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, dict) and isinstance(e.get("doc"), str)
                                                 and isinstance(e.get("quote"), str) for e in evidence):
        return '"evidence" must be a list of {"doc": ..., "quote": ...} objects'
    if "min_docs" in case and not (type(case["min_docs"]) is int and case["min_docs"] >= 1):
        return '"min_docs" must be a whole number of at least 1'
    return None


def run_case(case: dict, chat: Chat, search: Search, doc_text: dict[str, str]) -> dict:
    messages: list[dict] = []
    latencies = []
    reply: dict = {}
    for question in case["turns"]:
        messages.append({"role": "user", "content": question})
        t0 = time.perf_counter()
        reply = chat(messages)
        latencies.append((time.perf_counter() - t0) * 1000)
        messages.append({"role": "assistant", "content": reply["answer"]})
    answer, answered = norm(reply["answer"]), reply["answered"]
    cited = [c["text"] for c in reply["citations"]]
    row = {"id": case["id"], "type": case["type"], "answered": answered, "answer": reply["answer"],
           "query": reply.get("query"), "latency_ms": latencies}
    evidence = case.get("evidence", [])
    if case["type"] == "unanswerable":
        row["abstention"] = not answered
        return row
    row["false_abstention"] = not answered
    if "answer_any" in case or "answer_all" in case:
        ok_any = any(norm(a) in answer for a in case["answer_any"]) if "answer_any" in case else True
        row["answer_ok"] = answered and ok_any and all(norm(a) in answer for a in case.get("answer_all", []))
    if evidence:
        row["citation_support"] = any(holds(t, e["quote"]) for t in cited for e in evidence)
    if "min_docs" in case:
        docs = {e["doc"] for e in evidence
                if any(holds(t, e["quote"], 0.3) or _same_doc(t, doc_text.get(e["doc"], "")) for t in cited)}
        row["multi_ok"] = len(docs) >= case["min_docs"]
    if evidence and len(case["turns"]) == 1:
        found = search(case["turns"][0], 5)
        row["search_hit"] = any(holds(r["text"], e["quote"]) for r in found[:5] for e in evidence)
    return row


def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """Each corpus document's text (normalised), under its id and under the seed file its front matter's
    ``source`` names: the texts ``_same_doc`` looks in when no --seeds folder is given. A cited passage comes
    from the cleaned corpus text, so it is found there as it is in the raw seed page."""
    import frontmatter  # the corpus's own format (ingest reads it the same way)

    texts: dict[str, str] = {}
    for path in sorted(corpus_dir.glob("*.md")):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        text = norm(post.content)
        texts[path.stem] = text
        if source := post.metadata.get("source"):
            texts[Path(str(source)).stem] = text
    return texts


def _same_doc(passage: str, doc_text: str) -> bool:
    p = norm(passage)
    probe = p[len(p) // 3 : len(p) // 3 + 80]
    return len(probe) >= 40 and probe in doc_text


def _fraction(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if key in r]
    return round(sum(values) / len(values), 3) if values else None


def summarise(rows: list[dict]) -> dict:
    latencies = sorted(ms for r in rows for ms in r["latency_ms"])
    words = [len(r["answer"].split()) for r in rows if r["type"] != "unanswerable" and r["answered"]]
    summary: dict = {"cases": len(rows)}
    summary |= {name: _fraction(rows, key) for name, key in (
        ("answer_accuracy", "answer_ok"), ("citation_support", "citation_support"), ("abstention", "abstention"),
        ("false_abstention", "false_abstention"), ("multi_source", "multi_ok"), ("search_hit@5", "search_hit"))}
    summary["answer_words_p50"] = statistics.median(words) if words else None
    summary["latency_ms_p50"] = round(statistics.median(latencies), 1) if latencies else None
    summary["latency_ms_p95"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None
    summary["by_type"] = {t: {"n": len(sub), "answer_accuracy": _fraction(sub, "answer_ok"),
                              "abstention": _fraction(sub, "abstention")}
                          for t in sorted({r["type"] for r in rows}) for sub in [[r for r in rows if r["type"] == t]]}
    return summary


def misses(rows: list[dict]) -> list[str]:
    lines = []
    for r in rows:
        bad = [key for key in METRICS if r.get(key) is False]
        if bad:
            lines.append(f"MISS {r['id']:5} {','.join(bad)}: query={r['query']!r} answer={r['answer'][:160]!r}")
    return lines
