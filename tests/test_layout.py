"""Data flows one way: a stage imports only the stages before it (and the shared helpers)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

STAGES = ["ingest", "chunk", "embed", "vector_cache", "lexicon", "names", "quotation", "referents", "respell", "index",
          "filters", "sources", "retrieve", "counting", "candidates", "grounding", "definition", "corroborate",
          "answer"]
HELPERS = {"settings", "phrases", "question_types", "conversation"}  # used by stages, import no stage themselves


def kzqa_imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "src" / "kzqa" / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kzqa."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kzqa.")}
    return found


def test_each_stage_imports_only_earlier_stages_and_helpers():
    for position, stage in enumerate(STAGES):
        allowed = set(STAGES[:position]) | HELPERS
        assert kzqa_imports(stage) <= allowed, f"{stage} imports {kzqa_imports(stage) - allowed}"


def test_helpers_import_no_stage():
    for helper in HELPERS:
        assert not kzqa_imports(helper) & set(STAGES), helper


def test_the_readme_names_the_stages_in_their_order():
    readme = (ROOT / "README.md").read_text()
    positions = [readme.index(f"`{stage}.py`") for stage in STAGES]
    assert positions == sorted(positions)
