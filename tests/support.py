"""Shared by the tests: what a fixture claims, what the checks find in it, and comparing the two.

A *fixture* is a module under ``tests/fixtures/<family>/`` for a family in :data:`FAMILIES`; the
family's directory is its project (``--signals-source-roots``), so project-wide rules see only
that family's files. Each fixture ``name.py`` states its findings twice:

* **The golden file** ``name.expected`` beside it: one line per finding, exactly as flake8 prints
  it without the path, ``LINE:COL: CODE message`` (COL 1-based, as flake8 shows it), sorted by
  line, column, code and message. A fixture without findings has an empty golden file; it must
  exist. Messages of SIG302/SIG303 name other files by their path relative to the current
  directory: fixtures are always checked from the repository root, so golden files are stable.
  ``pytest --update-fixtures`` rewrites the golden files from the actual findings (never the
  ``.py`` files); the reviewer reads the change in the diff.
* **Markers**, the comments a reader sees on the reported line (the ``connect()`` call, the
  decorator, the name; read with :mod:`tokenize`, so ``#`` in a string is no comment). The text
  after ``#`` (surrounding blanks stripped) is one of::

      flagged  :=  CODE { BLANK CODE } [ BLANK NOTE ]          # SIG101   # SIG301 SIG302   # SIG101 SIG101
      ok       :=  "ok:" [ BLANK ] CODE { "," [ BLANK ] CODE } [ BLANK NOTE ]    # ok: SIG101, SIG104 (why)
      scoped   :=  "scoped"        a weak connection that rightly lives only while its function
                                   runs (tests/test_runtime_truth.py checks that it does)
      unseen   :=  "unseen:" TEXT  a receiver that fails at run time where the linter rightly
                                   cannot see it (tests/test_contracts_runtime.py checks it fails)
      CODE     :=  "SIG" DIGIT DIGIT DIGIT, a key of flake8_signals.rules.RULES
      NOTE     :=  "(" TEXT ")"    free text for the reader
      BLANK    :=  one or more spaces or tabs

  A flagged marker lists the line's findings, one CODE per finding (the same code twice for two
  findings); ``ok:`` claims the line has no finding of those codes (a trap). Any other comment is
  prose, and neither prose, NOTE nor TEXT may look like a code or a claim: ``SIG`` followed by a
  digit (also after a blank, ``-`` or ``_``: ``SIG 101``), ``SIG`` followed by three digits or
  look-alike letters (``SIG1O1``), or ``ok:``, in any case. Such a comment fails the run, as does
  an unknown code.

:func:`check_fixture` compares both ways: the actual findings against the golden file, as
multisets of (line, column, code, message), reporting missing, unexpected and differing-message
findings apart; and the flagged markers' (line, code) multiset against the golden file's, with
no ``ok:`` claim contradicted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tokenize
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from flake8_signals.api import check_file
from flake8_signals.findings import Finding
from flake8_signals.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Fixture families, each its own project. (tests/fixtures/confirm_apps is not one: it holds
#: applications for the runtime tools, some broken on purpose.)
FAMILIES = ("lifetime", "names", "contracts", "projects")
GOLDEN_SUFFIX = ".expected"

_CODE = r"SIG\d{3}"
_NOTE = r"(?:[ \t]+\((?P<note>.*)\))?"
_FLAGGED = re.compile(rf"(?P<codes>{_CODE}(?:[ \t]+{_CODE})*){_NOTE}")
_OK = re.compile(rf"ok:[ \t]*(?P<codes>{_CODE}(?:[ \t]*,[ \t]*{_CODE})*){_NOTE}")
_UNSEEN = re.compile(r"unseen:[ \t]*(?P<note>\S.*)")
_CODE_LIKE = re.compile(r"\bsig[ \t_-]*(?=[0-9oil]*[0-9])[0-9oil]+|\bsig[0-9oil]{3}\b|\bok[ \t]*:", re.I)
_GOLDEN_LINE = re.compile(r"(?P<line>\d+):(?P<col>\d+): (?P<code>SIG\d{3}) (?P<message>.+)")


# -- what a fixture claims ----------------------------------------------------------------------
@dataclass
class Markers:
    """The markers of one fixture file, and what in its comments is not a valid marker."""

    flagged: Counter[tuple[int, str]] = field(default_factory=Counter)  # (line, code): findings
    ok: set[tuple[int, str]] = field(default_factory=set)  # (line, code) claimed absent
    scoped: set[int] = field(default_factory=set)
    unseen: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)  # "path:line: why"

    def flagged_lines(self, *codes: str) -> set[int]:
        """Lines flagged with a code that starts with one of ``codes`` (any code if none given)."""
        return {line for line, code in self.flagged if code.startswith(codes or ("SIG",))}


def read_markers(path: Path) -> Markers:
    markers = Markers()
    where = display(path)
    with tokenize.open(path) as handle:
        comments = [
            (token.start[0], token.string)
            for token in tokenize.generate_tokens(handle.readline)
            if token.type == tokenize.COMMENT
        ]
    for line, comment in comments:
        text = comment[1:].strip()
        problem = _parse_marker(text, line, markers)
        if problem:
            markers.problems.append(f"{where}:{line}: {problem}: {comment!r}")
    return markers


def _parse_marker(text: str, line: int, markers: Markers) -> str:
    """Record the marker ``text`` holds; the reason it is malformed, or ""."""
    note = ""
    if match := _FLAGGED.fullmatch(text):
        codes, note = match["codes"].split(), match["note"] or ""
        markers.flagged.update((line, code) for code in codes)
    elif match := _OK.fullmatch(text):
        codes, note = re.split(r"[ \t]*,[ \t]*", match["codes"]), match["note"] or ""
        markers.ok.update((line, code) for code in codes)
    elif text == "scoped":
        codes = []
        markers.scoped.add(line)
    elif match := _UNSEEN.fullmatch(text):
        codes, note = [], match["note"]
        markers.unseen.add(line)
    elif _CODE_LIKE.search(text):
        return "looks like a marker but is none (see tests/support.py for the grammar)"
    else:
        return ""  # prose
    unknown = [code for code in codes if code not in RULES]
    if unknown:
        return f"unknown code {', '.join(unknown)}"
    if _CODE_LIKE.search(note):
        return "a note names a code or a claim; a code a reader sees must be a marker"
    return ""


# -- what the checks find ------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Shown:
    """A finding as flake8 shows it: 1-based line and column, code, message."""

    line: int
    col: int
    code: str
    message: str

    @classmethod
    def of(cls, finding: Finding) -> Shown:
        return cls(finding.line, finding.col + 1, finding.code, finding.message)

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.code} {self.message}"


def display(path: Path) -> str:
    """``path`` as the reports show it: relative to the repository root."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def fixture_paths(*families: str) -> list[Path]:
    """Every fixture file, in order; only those of ``families`` when given."""
    return sorted(path for family in families or FAMILIES for path in (FIXTURES / family).rglob("*.py"))


def project_root(path: Path) -> Path:
    """The family directory a fixture belongs to: its project."""
    relative = Path(path).resolve().relative_to(FIXTURES)
    return FIXTURES / relative.parts[0]


@contextlib.contextmanager
def in_directory(directory: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous)


def actual_findings(path: Path, source_roots: Sequence[str | Path] | None = None) -> list[Shown]:
    """Every SIG finding (opt-in rules too) in the fixture, checked from the repository root as
    flake8 would be run there: ``path`` relative to it, the family as the project."""
    roots = [str(root) for root in source_roots or [project_root(path)]]
    with in_directory(ROOT):
        findings = check_file(display(path), select=["SIG"], source_roots=roots)
    return sorted(Shown.of(f) for f in findings)


# -- the golden file -----------------------------------------------------------------------------
def golden_path(path: Path) -> Path:
    return Path(path).with_suffix(GOLDEN_SUFFIX)


def read_golden(path: Path) -> tuple[list[Shown], list[str]]:
    """The golden file of fixture ``path``: its findings, and its malformed lines."""
    golden = golden_path(path)
    if not golden.exists():
        return [], [f"{display(golden)}: missing (pytest --update-fixtures writes it)"]
    shown, problems = [], []
    for number, text in enumerate(golden.read_text(encoding="utf-8").splitlines(), start=1):
        match = _GOLDEN_LINE.fullmatch(text)
        if match is None or match["code"] not in RULES:
            problems.append(f"{display(golden)}:{number}: not 'LINE:COL: CODE message' of a known code")
            continue
        shown.append(Shown(int(match["line"]), int(match["col"]), match["code"], match["message"]))
    if shown != sorted(shown):
        problems.append(f"{display(golden)}: not sorted by line, column, code")
    return shown, problems


def write_golden(path: Path, findings: Sequence[Shown]) -> None:
    text = "".join(f"{shown}\n" for shown in sorted(findings))
    golden_path(path).write_text(text, encoding="utf-8")


# -- comparing -----------------------------------------------------------------------------------
@dataclass
class Comparison:
    missing: list[Shown] = field(default_factory=list)
    unexpected: list[Shown] = field(default_factory=list)
    differing: list[tuple[Shown, Shown]] = field(default_factory=list)  # (expected, actual)

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.differing)

    def lines(self) -> list[str]:
        out = []
        if self.missing:
            out += ["  missing:", *(f"    {shown}" for shown in self.missing)]
        if self.unexpected:
            out += ["  unexpected:", *(f"    {shown}" for shown in self.unexpected)]
        if self.differing:
            out.append("  differing message:")
            for expected, actual in self.differing:
                out += [
                    f"    {expected.line}:{expected.col}: {expected.code}",
                    f"      expected: {expected.message}",
                    f"      actual:   {actual.message}",
                ]
        return out


def compare(expected: Sequence[Shown], actual: Sequence[Shown]) -> Comparison:
    """Multisets, both ways. A finding at the same line, column and code with another message is
    'differing', not a missing plus an unexpected one."""
    spare_expected = Counter(expected) - Counter(actual)
    spare_actual = Counter(actual) - Counter(expected)
    comparison = Comparison()
    left = sorted(spare_expected.elements())
    right = sorted(spare_actual.elements())
    for shown in left:
        twin = next(
            (a for a in right if (a.line, a.col, a.code) == (shown.line, shown.col, shown.code)), None
        )
        if twin is None:
            comparison.missing.append(shown)
        else:
            right.remove(twin)
            comparison.differing.append((shown, twin))
    comparison.unexpected = right
    return comparison


def marker_problems(path: Path, markers: Markers, golden: Sequence[Shown]) -> list[str]:
    """Where the markers and the golden file disagree, by line."""
    where = display(path)
    found = Counter((shown.line, shown.code) for shown in golden)
    problems = []
    for line in sorted({line for line, _ in markers.flagged + found}):
        says, has = _codes_on(markers.flagged, line), _codes_on(found, line)
        if says != has:
            problems.append(
                f"{where}:{line}: the marker says {says or 'nothing'}, the golden file has {has or 'nothing'}"
            )
    for line, code in sorted(markers.ok):
        if found[(line, code)]:
            problems.append(f"{where}:{line}: 'ok: {code}' is contradicted: the golden file has {code} here")
    return problems


def _codes_on(counts: Counter[tuple[int, str]], line: int) -> str:
    return " ".join(sorted(code for (at, code), n in counts.items() if at == line for _ in range(n)))


def check_fixture(
    path: Path, *, update: bool = False, source_roots: Sequence[str | Path] | None = None
) -> str:
    """Everything wrong with one fixture, as a report; empty when nothing is.

    ``update``: first rewrite the golden file from the actual findings (the markers are still
    checked against it). ``source_roots``: another project than the fixture's family.
    """
    path = Path(path)
    markers = read_markers(path)
    actual = actual_findings(path, source_roots)
    if update:
        write_golden(path, actual)
    golden, problems = read_golden(path)
    comparison = compare(golden, actual)
    problems += markers.problems + marker_problems(path, markers, golden)
    if not comparison and not problems:
        return ""
    lines = [f"{display(path)} against {golden_path(path).name}:", *comparison.lines()]
    if problems:
        lines += ["  markers and golden file:", *(f"    {problem}" for problem in problems)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.support [FAMILY...]``: check the fixtures, print what is wrong."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("families", nargs="*", metavar="FAMILY", help=", ".join(FAMILIES))
    parser.add_argument("--update", action="store_true", help="rewrite the golden files first")
    options = parser.parse_args(argv)
    if unknown := set(options.families) - set(FAMILIES):
        parser.error(f"not a fixture family: {', '.join(sorted(unknown))}")
    reports = [check_fixture(path, update=options.update) for path in fixture_paths(*options.families)]
    failed = [report for report in reports if report]
    print("\n\n".join(failed) if failed else f"{len(reports)} fixtures as expected")
    return 1 if failed else 0


# -- running fixtures with the real libraries ---------------------------------------------------
RUNTIME_PROBE = Path(__file__).parent / "runtime_probe.py"


def run_probe(path: Path, probe: Path = RUNTIME_PROBE, env: dict[str, str] | None = None) -> list[dict]:
    """Execute a fixture with the real libraries in a fresh interpreter, under ``probe``
    (tests/runtime_probe.py: what became of each receiver; tests/library_probe.py: its calls);
    ``env`` is added to the environment. One record per connect() call."""
    completed = subprocess.run(
        [sys.executable, str(probe), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,
        env={**os.environ, **(env or {})},
    )
    if completed.returncode != 0:
        raise AssertionError(f"{probe.name} failed for {display(path)}:\n{completed.stderr}")
    return json.loads(completed.stdout)


# Set by .ci/run: a test that needs an external tool (Chromium, the oldest supported Python)
# fails where it would otherwise skip for want of it.
REQUIRE_TOOLS = "FLAKE8_SIGNALS_REQUIRE_TOOLS"


def tool_missing(reason: str) -> NoReturn:
    """Skip for a missing tool, or fail when CI demands every tool (REQUIRE_TOOLS set)."""
    if os.environ.get(REQUIRE_TOOLS):
        pytest.fail(f"{reason} ({REQUIRE_TOOLS} is set)")
    pytest.skip(reason)


if __name__ == "__main__":
    sys.exit(main())
