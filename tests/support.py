"""Shared by the tests: fixture markers, running the checks, comparing exactly."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from flake8_signals.api import check_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# An expected finding: a trailing comment naming codes, e.g. `sig.connect(h)  # SIG101`.
_EXPECT = re.compile(r"#\s*((?:SIG\d{3}\b[\s,]*)+)\s*(?:\(.*\))?\s*$")
# A weak connection the linter rightly leaves alone although it ends with its function.
_SCOPED = re.compile(r"#\s*scoped\s*$")


def expected_findings(path: Path) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            expected.update((number, code) for code in re.findall(r"SIG\d{3}", match.group(1)))
    return expected


def scoped_lines(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, start=1) if _SCOPED.search(line)}


def actual_findings(path: Path, **options) -> set[tuple[int, str]]:
    return {(f.line, f.code) for f in check_file(path, **options)}


def compare(expected: set[tuple[int, str]], actual: set[tuple[int, str]], path: Path) -> str:
    """Empty when equal; otherwise a report listing missing and unexpected findings apart."""
    missing = sorted(expected - actual)
    unexpected = sorted(actual - expected)
    if not missing and not unexpected:
        return ""
    lines = [f"{path.name}:"]
    lines += [f"  missing    line {line}: {code}" for line, code in missing]
    lines += [f"  unexpected line {line}: {code}" for line, code in unexpected]
    return "\n".join(lines)


def run_probe(path: Path) -> list[dict]:
    """Execute a fixture with real blinker in a fresh interpreter; one record per connect() call."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "runtime_probe.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,
    )
    if completed.returncode != 0:
        raise AssertionError(f"probe failed for {path.name}:\n{completed.stderr}")
    return json.loads(completed.stdout)
