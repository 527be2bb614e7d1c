"""Every fixture gives exactly the findings of its golden file, and its markers say the same.

The format (markers, golden files, ``--update-fixtures``) is described in tests/support.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from flake8_signals.boundary import DEBUG_VARIABLE
from flake8_signals.rules import RULES
from tests.support import (
    FAMILIES,
    FIXTURES,
    GOLDEN_SUFFIX,
    ROOT,
    Shown,
    check_fixture,
    compare,
    display,
    fixture_paths,
    golden_path,
    read_golden,
    read_markers,
)

FIXTURE_PATHS = fixture_paths()


@pytest.mark.parametrize("path", FIXTURE_PATHS, ids=display)
def test_fixture_is_exact(path, request, monkeypatch):
    monkeypatch.setenv(DEBUG_VARIABLE, "1")  # an exception the boundary would swallow fails the test
    report = check_fixture(path, update=request.config.getoption("update_fixtures"))
    assert not report, report


def test_every_rule_has_a_flagged_and_a_left_alone_marker():
    # The library fixtures (tests/test_library_fixtures.py checks them) count too.
    flagged, left_alone = set(), set()
    for path in [*FIXTURE_PATHS, *sorted((FIXTURES / "libraries").rglob("*.py"))]:
        markers = read_markers(path)
        flagged |= {code for _, code in markers.flagged}
        left_alone |= {code for _, code in markers.ok}
    assert sorted(set(RULES) - flagged) == [], "codes no fixture flags"
    assert sorted(set(RULES) - left_alone) == [], "codes with no 'ok:' trap in any fixture"


def test_no_golden_file_without_its_fixture():
    golden = {path for family in FAMILIES for path in (FIXTURES / family).rglob(f"*{GOLDEN_SUFFIX}")}
    assert sorted(map(display, golden - {golden_path(p) for p in FIXTURE_PATHS})) == []


# -- the real flake8 command shows exactly the golden files --------------------------------------
@pytest.mark.parametrize("family", FAMILIES)
def test_flake8_prints_the_golden_files(family):
    """From the repository root, the family directory as the project: what a user would run."""
    directory = str(Path("tests", "fixtures", family))
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "flake8",
            "--isolated",
            "--select",
            "SIG",
            # the golden files hold the opt-in rules' findings too
            "--extend-select",
            ",".join(code for code, rule in RULES.items() if not rule.default_enabled),
            "--signals-source-roots",
            directory,
            directory,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, DEBUG_VARIABLE: "1"},
    )
    assert completed.stderr == ""
    printed: dict[str, list[str]] = {}
    for line in completed.stdout.splitlines():
        path, _, shown = line.partition(":")
        printed.setdefault(path, []).append(shown)
    paths = fixture_paths(family)
    expected = {display(path): [str(shown) for shown in read_golden(path)[0]] for path in paths}
    assert {path: sorted(lines) for path, lines in printed.items()} == {
        path: sorted(lines) for path, lines in expected.items() if lines
    }
    assert completed.returncode == (1 if printed else 0)


# -- the comparison itself can fail, in every way it reports -------------------------------------
def _shown(line, col, code, message="m"):
    return Shown(line, col, code, message)


def test_compare_reports_missing_unexpected_and_differing_apart():
    expected = [_shown(3, 1, "SIG102"), _shown(4, 5, "SIG101", "old text"), _shown(9, 1, "SIG103")]
    actual = [_shown(3, 2, "SIG102"), _shown(4, 5, "SIG101", "new text"), _shown(9, 1, "SIG103")]
    result = compare(expected, actual)
    assert result.missing == [_shown(3, 1, "SIG102")]
    assert result.unexpected == [_shown(3, 2, "SIG102")]
    assert result.differing == [(_shown(4, 5, "SIG101", "old text"), _shown(4, 5, "SIG101", "new text"))]
    text = "\n".join(result.lines())
    assert "expected: old text" in text and "actual:   new text" in text
    assert not compare(actual, list(reversed(actual)))


def test_compare_counts_repeated_findings():
    twice = [_shown(3, 1, "SIG102"), _shown(3, 1, "SIG102")]
    assert compare(twice, twice[:1]).missing == twice[:1]
    assert compare(twice[:1], twice).unexpected == twice[:1]


@pytest.fixture
def fixture_file(tmp_path):
    """A one-off fixture outside tests/fixtures: (source, golden) -> its report."""

    def check(source: str, golden: str) -> str:
        path = tmp_path / "case.py"
        path.write_text(source, encoding="utf-8")
        golden_path(path).write_text(golden, encoding="utf-8")
        return check_fixture(path, source_roots=[tmp_path])

    return check


_CASE = "from blinker import signal\ns = signal('x')\ns.connect(lambda sender: None){marker}\n"
_CASE_FINDING = (
    "3:1: SIG102 lambda is connected to 's' with weak=True and is garbage-collected as soon as "
    "connect() returns, so it is never called; define a module-level function or pass weak=False\n"
)


def test_a_true_fixture_passes(fixture_file):
    assert fixture_file(_CASE.format(marker="  # SIG102 (a lambda)"), _CASE_FINDING) == ""


def test_a_wrong_golden_file_fails(fixture_file):
    report = fixture_file(_CASE.format(marker="  # SIG102"), _CASE_FINDING.replace("a module-level", "some"))
    assert "differing message:" in report and "missing:" not in report
    report = fixture_file(_CASE.format(marker="  # SIG102"), _CASE_FINDING.replace("3:1:", "3:2:"))
    assert "missing:\n    3:2: SIG102" in report and "unexpected:\n    3:1: SIG102" in report


def test_markers_must_agree_with_the_golden_file(fixture_file, tmp_path):
    where = f"{tmp_path / 'case.py'}:3"
    assert f"{where}: the marker says nothing, the golden file has SIG102" in fixture_file(
        _CASE.format(marker=""), _CASE_FINDING
    )
    assert f"{where}: the marker says SIG102 SIG102, the golden file has SIG102" in fixture_file(
        _CASE.format(marker="  # SIG102 SIG102"), _CASE_FINDING
    )
    report = fixture_file(_CASE.format(marker="  # ok: SIG101, SIG102"), _CASE_FINDING)
    assert f"{where}: 'ok: SIG102' is contradicted" in report
    assert "'ok: SIG101'" not in report


@pytest.mark.parametrize(
    "comment",
    [
        "# SIG1O1",
        "# SIG 102",
        "# sig102",
        "# SIG102, SIG101",
        "# SIG999",
        "# ok SIG102",
        "# ok: SIG1O2",
        "# ok: SIG999",
        "# SIG102 (see also SIG101)",
        "# a lambda, SIG102",
        "# unseen: SIG102 would be wrong",
        "# noqa: SIG102",
    ],
)
def test_a_marker_that_does_not_parse_fails_the_run(tmp_path, comment):
    path = tmp_path / "case.py"
    path.write_text(f"x = 1\ny = 2  {comment}\n", encoding="utf-8")
    assert [problem.split(": ")[0] for problem in read_markers(path).problems] == [f"{path}:2"]


def test_markers_are_read_from_comments_only(tmp_path):
    path = tmp_path / "case.py"
    path.write_text(
        '"""Docstrings may name SIG1O1 and SIG 101."""\n'
        "x = '# SIG101'  # SIG102 SIG102 (twice)\n"
        "y = 1  # ok: SIG101,SIG104 (a trap)\n"
        "z = 2  # scoped\n"
        "w = 3  # unseen: beyond the linter\n"
        "v = 4  # noqa: E731 (prose, and a signal is fine)\n",
        encoding="utf-8",
    )
    markers = read_markers(path)
    assert markers.problems == []
    assert markers.flagged == Counter({(2, "SIG102"): 2})
    assert markers.ok == {(3, "SIG101"), (3, "SIG104")}
    assert (markers.scoped, markers.unseen) == ({4}, {5})


def test_test_modules_are_left_alone():
    """In test modules receivers are used while the test runs; the same code elsewhere is flagged."""
    from flake8_signals.api import check_source

    source = (ROOT / "examples" / "myapp" / "signals.py").read_text(encoding="utf-8")
    assert [f.code for f in check_source(source, "myapp/signals.py")] == ["SIG101"]
    for name in ("tests/test_signals.py", "signals_test.py", "conftest.py"):
        assert check_source(source, name) == []
