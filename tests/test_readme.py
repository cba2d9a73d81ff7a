"""The README is the user's manual: every setting is documented there, and its first screen holds
the two commands."""

from __future__ import annotations

from kzqa.settings import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [name for name in Settings.model_fields if f"`KZQA_{name.upper()}`" not in README]
    assert missing == []


def test_the_first_screen_gives_the_two_commands_and_the_url():
    first_screen = "\n".join(README.splitlines()[:30])
    assert "bash scripts/run.sh" in first_screen and "bash scripts/test.sh" in first_screen
    assert "http://127.0.0.1:8000/" in first_screen and "curl" in first_screen
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
