"""Docs are generated from the rule declarations, and the examples in them are true."""

from __future__ import annotations

import string

import pytest

from flake8_signals import docs
from flake8_signals.api import check_source
from flake8_signals.rules import RULES
from tests.support import ROOT


def test_generated_docs_and_readme_table_match_the_declarations():
    stale = docs.drifted(ROOT)
    assert not stale, f"run `python -m flake8_signals.docs`; out of date: {stale}"


def test_drift_is_detected(tmp_path):
    (tmp_path / "README.md").write_text(f"x\n{docs.TABLE_BEGIN}\nold\n{docs.TABLE_END}\n", encoding="utf-8")
    assert tmp_path / "README.md" in docs.drifted(tmp_path)
    docs.write(tmp_path)
    assert docs.drifted(tmp_path) == []


def _lint_alone(source: str, directory, select: list[str]) -> list:
    """Lint an example as the only module of a project, as a reader would paste it."""
    path = directory / "example.py"
    path.write_text(source, encoding="utf-8")
    return check_source(source, str(path), select=select, source_roots=[str(directory)])


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_gives_exactly_its_own_findings(code, tmp_path):
    rule = RULES[code]
    everything = _lint_alone(rule.example, tmp_path, ["SIG"])
    assert everything, f"{code}'s example does not trigger it"
    assert {f.code for f in everything} == {code}


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_gives_nothing(code, tmp_path):
    assert _lint_alone(RULES[code].use_instead, tmp_path, ["SIG"]) == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_declaration_is_complete(code):
    rule = RULES[code]
    assert rule.code == code and rule.code.startswith("SIG") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    for text in (rule.summary, rule.message, rule.fix, rule.what_it_does, rule.why_bad):
        assert text.strip()
    assert not rule.message.endswith("."), "the fix follows the message after '; '"
    fields = {f for _, f, _, _ in string.Formatter().parse(rule.message + rule.fix) if f}
    assert fields, "messages name the receiver and the signal"


def test_readme_has_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && flake8 --select SIG examples/" in readme
    assert 'pip install -e ".[test]" && pytest' in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert 'pip install -e ".[test]" && pytest' in ci
    assert {"ruff check .", "ruff format --check .", "mypy"} <= set(ci)  # the code checks
