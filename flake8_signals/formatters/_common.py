"""What the CI formatters share: collecting violations, paths, regions, fingerprints, levels.

flake8 drives a formatter like this (flake8 7, ``Application.report``): ``start()`` once, then
for every file ``beginning(filename)``, ``handle(violation)`` for each reported violation
(sorted by file, line, column; ``noqa`` and ``--extend-ignore`` already applied) and
``finished(filename)``; then ``show_statistics()`` (with ``--statistics``),
``show_benchmarks()`` (with ``--benchmark``) and ``stop()``. Violations carry a 1-based column.

The JSON formatters collect everything and write one document in ``stop()``, so the output
is valid JSON for zero findings and for any number of files; statistics and benchmarks are
left out of it (they would break the document).
"""

from __future__ import annotations

import ast
import linecache
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flake8.formatting.base import BaseFormatter
from flake8.statistics import Statistics
from flake8.violation import Violation

from ..rules import RULES, Rule

# Codes that mean the code is broken rather than untidy, reported as errors: syntax errors
# (E9) and the pyflakes checks GitHub's starter workflow stops the build for (F63, F7, F82).
# flake8-signals' own rules are errors unless they are opt-in (opinionated) ones.
_ERROR_PREFIXES = ("E9", "F63", "F7", "F82")


def rule_for(code: str) -> Rule | None:
    return RULES.get(code)


def level(code: str) -> str:
    """``"error"`` or ``"warning"`` (SARIF ``level`` names; the other formats map them)."""
    rule = rule_for(code)
    if rule is not None:
        return "error" if rule.default_enabled else "warning"
    return "error" if code.startswith(_ERROR_PREFIXES) else "warning"


def report_path(filename: str, cwd: str | None = None) -> tuple[str, bool]:
    """The path to report, with ``/`` separators, and whether it is relative to ``cwd``.

    flake8 passes paths as it found them (``./pkg/mod.py``, ``pkg/mod.py`` or absolute);
    all are made relative to the working directory. A file outside it keeps its absolute path.
    """
    cwd = cwd or os.getcwd()
    absolute = os.path.abspath(filename)
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix(), False
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return Path(absolute).as_posix(), False
    return Path(relative).as_posix(), True


def normalize_line(text: str) -> str:
    """Source line text with indentation and runs of whitespace made irrelevant."""
    return " ".join(text.split())


def fingerprint(code: str, path: str, line_text: str, occurrence: int) -> str:
    """A finding's identity that survives edits elsewhere in the file.

    Hash of the code, the reported path, the normalized text of the reported line and the
    occurrence index of that (code, path, text) triple in the file: moving code up or down or
    re-indenting it keeps the fingerprint, editing the offending line changes it, and two
    identical lines with the same finding stay distinct.
    """
    data = "\0".join((code, path, normalize_line(line_text), str(occurrence)))
    import hashlib  # loads OpenSSL: not at flake8's start-up, which imports every formatter

    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


class Sources:
    """Source lines and expression extents of the reported files, read once per file."""

    def __init__(self) -> None:
        self._spans: dict[str, dict[tuple[int, int], int]] = {}

    @staticmethod
    def line(filename: str, line: int, physical_line: str | None) -> str:
        # linecache reads with the file's declared encoding, like flake8 does. A file that
        # cannot be read again (stdin) falls back to the line flake8 passed along.
        text = linecache.getline(filename, line)
        if not text and physical_line:
            text = physical_line.splitlines()[0] if physical_line.strip("\r\n") else ""
        return text.rstrip("\r\n")

    def _single_line_spans(self, filename: str) -> dict[tuple[int, int], int]:
        """(line, start byte column) -> the largest end byte column of a one-line node there."""
        spans = self._spans.get(filename)
        if spans is not None:
            return spans
        spans = {}
        source = "".join(linecache.getlines(filename))
        try:
            tree = ast.parse(source) if source else None
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None  # regions fall back to "the rest of the line"
        for node in ast.walk(tree) if tree is not None else ():
            end_line = getattr(node, "end_lineno", None)
            if end_line is None or end_line != getattr(node, "lineno", None):
                continue
            if not isinstance(node, (ast.expr, ast.stmt)):
                continue
            key = (node.lineno, node.col_offset)
            spans[key] = max(spans.get(key, 0), node.end_col_offset or 0)
        self._spans[filename] = spans
        return spans

    def region(self, filename: str, line: int, column: int, text: str) -> tuple[int, int, int]:
        """Start column, end line and end column (1-based, end exclusive) in characters.

        The region is the largest expression or statement that starts at the reported column
        and ends on the same line (``request_finished.connect(log_response, app)``), else the
        rest of the line. Plugins built on ``ast`` (pyflakes, this one) report UTF-8 byte
        offsets, pycodestyle reports characters: a column that only matches a node as a byte
        offset is converted to characters (they differ only after non-ASCII text).
        """
        encoded = text.encode("utf-8")
        spans = self._single_line_spans(filename)

        def chars(byte_offset: int) -> int:
            return len(encoded[:byte_offset].decode("utf-8", errors="replace"))

        as_chars = len(text[: column - 1].encode("utf-8"))  # the column read as characters
        as_bytes = column - 1  # the column read as bytes
        for start in (as_chars, as_bytes):
            end = spans.get((line, start))
            if end:
                start_column = chars(start) + 1
                return start_column, line, max(chars(end) + 1, start_column)
        return column, line, max(len(text) + 1, column)


@dataclass(frozen=True)
class Result:
    """One violation with everything a CI format needs."""

    code: str
    message: str
    path: str
    path_is_relative: bool
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int  # 1-based, exclusive
    line_text: str
    fingerprint: str
    level: str

    @property
    def rule(self) -> Rule | None:
        return rule_for(self.code)


class CollectingFormatter(BaseFormatter):
    """Collects the run's violations and writes one document when flake8 stops."""

    output_fd: IO[str] | None

    def after_init(self) -> None:
        self.violations: list[Violation] = []

    def start(self) -> None:
        # BaseFormatter appends to --output-file; a JSON document must replace it.
        if self.filename:
            directory = os.path.dirname(os.path.abspath(self.filename))
            os.makedirs(directory, exist_ok=True)
            self.output_fd = open(self.filename, "w", encoding="utf-8")  # noqa: SIM115

    def handle(self, error: Violation) -> None:
        self.violations.append(error)

    def format(self, error: Violation) -> str | None:  # pragma: no cover - handle() is used
        return None

    def show_statistics(self, statistics: Statistics) -> None:
        """Left out: text after the document would make it invalid JSON."""

    def show_benchmarks(self, benchmarks: list[tuple[str, float]]) -> None:
        """Left out: text after the document would make it invalid JSON."""

    def stop(self) -> None:
        self._write(self.render(self.results()))
        super().stop()

    def render(self, results: list[Result]) -> str:
        raise NotImplementedError

    def results(self) -> list[Result]:
        sources = Sources()
        seen: Counter[tuple[str, str, str]] = Counter()
        results = []
        for error in self.violations:
            path, is_relative = report_path(error.filename)
            line = max(error.line_number, 1)  # E902 (file not readable) reports line 0
            text = sources.line(error.filename, line, error.physical_line)
            key = (error.code, path, normalize_line(text))
            occurrence = seen[key]
            seen[key] += 1
            column, end_line, end_column = sources.region(
                error.filename, line, max(error.column_number, 1), text
            )
            results.append(
                Result(
                    code=error.code,
                    message=error.text,
                    path=path,
                    path_is_relative=is_relative,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    line_text=text,
                    fingerprint=fingerprint(error.code, path, text, occurrence),
                    level=level(error.code),
                )
            )
        return results
