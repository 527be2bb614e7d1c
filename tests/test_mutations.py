"""The fixture comparison catches one-line bugs in the rules: each mutation below is planted in a
copy of the package, and tests/support.py's check over every fixture must fail with the kind of
report that bug calls for. (Issue 10: four of these once passed every test.)

When the code moves, update the anchors here: an anchor that is not found exactly once fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str  # in flake8_signals/
    anchor: str  # replaced exactly once
    replacement: str
    reported: frozenset[str]  # the report's sections, of "missing", "unexpected", "differing message"
    code: str  # a code the report must name


_DIFFERING = frozenset({"differing message"})
_MOVED = frozenset({"missing", "unexpected"})
MUTATIONS = [
    Mutation(
        "SIG203 message template: a word",
        "rules/names.py",
        "look like a typo",
        "look like a slip",
        _DIFFERING,
        "SIG203",
    ),
    Mutation(
        "SIG103 receiver label: a word",
        "analysis/lifetime.py",
        "f\"closure returned by '{factory}()'{held}\"",
        "f\"closure made by '{factory}()'{held}\"",
        _DIFFERING,
        "SIG103",
    ),
    Mutation(
        "SIG302/SIG303: the sending module's path absolute",
        "checks/contracts.py",
        "path = os.path.relpath(send.path)",
        "path = os.path.abspath(send.path)",
        _DIFFERING,
        "SIG302",
    ),
    Mutation(
        "SIG301/SIG302: column moved by one",
        "checks/contracts.py",
        "yield Finding(site.line, site.col, problem.code, message)",
        "yield Finding(site.line, site.col + 1, problem.code, message)",
        _MOVED,
        "SIG301",
    ),
    Mutation(
        "SIG304: column moved by one",
        "checks/contracts.py",
        'Finding(send.node.lineno, send.node.col_offset, "SIG304", message)',
        'Finding(send.node.lineno, send.node.col_offset + 1, "SIG304", message)',
        _MOVED,
        "SIG304",
    ),
]

# Runs the fixture check of tests/support.py with the copy first on sys.path.
_DRIVER = textwrap.dedent("""\
    import sys
    sys.path[:0] = [{copy!r}, {root!r}]
    import flake8_signals
    assert flake8_signals.__file__.startswith({copy!r}), flake8_signals.__file__
    from tests.support import main
    sys.exit(main())
""")
_SECTIONS = ("missing", "unexpected", "differing message")


def _check_fixtures_with(copy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _DRIVER.format(copy=str(copy.parent), root=str(ROOT))],
        cwd=copy.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "mutant" / "flake8_signals"
    shutil.copytree(ROOT / "flake8_signals", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_unmutated_copy_passes(package_copy):
    """Without a mutation the check passes, so a failure below is the mutation's doing."""
    result = _check_fixtures_with(package_copy)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout.endswith("fixtures as expected\n")


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_one_line_bug_fails_the_fixture_check(package_copy, mutation):
    target = package_copy / mutation.file
    source = target.read_text(encoding="utf-8")
    assert source.count(mutation.anchor) == 1, f"anchor not found exactly once in {mutation.file}: update it"
    target.write_text(source.replace(mutation.anchor, mutation.replacement), encoding="utf-8")

    result = _check_fixtures_with(package_copy)
    assert result.returncode == 1 and result.stderr == "", result.stdout + result.stderr
    sections = {name for name in _SECTIONS if f"\n  {name}:\n" in result.stdout}
    assert sections == mutation.reported, result.stdout
    assert f" {mutation.code}" in result.stdout
