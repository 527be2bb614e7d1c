"""Join the static SIG1xx findings with what the child process saw, site by site.

A static finding and a runtime connection meet when they are in the same file and the
connection's line falls within the finding's call: the ``connect(...)`` call expression (all its
lines), or for a decorator finding the lines from the decorator to its ``def`` (Python 3.10
reports decorator calls at the ``def`` line, 3.11+ at the decorator line).

* **confirmed** - a finding whose site ran and at least one receiver connected there was lost;
* **not reproduced** - the site ran, every receiver connected there is alive (or was
  disconnected, or died only after its signal or sender did);
* **not reached** - the site never ran;
* **missed by the linter** - a receiver was lost at a site with no finding.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding
from . import child
from .recorder import ALIVE, DISCONNECTED, LOST, ORPHANED
from .runner import CRASHED, INTERNAL_ERROR, KILLED, RunResult, Target

CONFIRMED = "confirmed"
MISSED = "missed-by-linter"
NOT_REPRODUCED = "not-reproduced"
NOT_REACHED = "not-reached"
RESULT_STATUSES = (CONFIRMED, MISSED, NOT_REPRODUCED, NOT_REACHED)

#: Run statuses after which nothing can be said about the receivers (exit status 2).
FAILED_RUNS = (child.LOAD_ERROR, KILLED, CRASHED)

#: Exit statuses of ``confirm`` (docs/runtime.md, confirm.schema.json: exit_code).
EXIT_CLEAN = 0
EXIT_LOST = 1
EXIT_NOT_RUN = 2  # also argparse's usage errors
EXIT_INTERNAL_ERROR = 3

StaticCheck = Callable[[str, Sequence[str]], list[Finding]]


@dataclass
class RuntimeSite:
    """Connections made at one place with one receiver/signal/sender, counted by state."""

    path: str
    line: int
    function: str
    library: str
    receiver: str
    signal: str
    sender: str
    states: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((LOST, ALIVE, DISCONNECTED, ORPHANED), 0)
    )

    @property
    def lost(self) -> int:
        return self.states[LOST]

    @property
    def connections(self) -> int:
        return sum(self.states.values())


@dataclass
class SiteResult:
    """One line of the report: a static finding with its verdict, or a loss the linter missed."""

    status: str
    path: str
    line: int
    col: int | None = None
    code: str | None = None
    message: str | None = None
    runtime: list[RuntimeSite] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return sum(site.lost for site in self.runtime)


@dataclass
class Report:
    target: Target
    run: RunResult
    timeout: float
    results: list[SiteResult] = field(default_factory=list)
    checked_files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runtime_sites: list[RuntimeSite] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def lost_receivers(self) -> int:
        return sum(site.lost for site in self.runtime_sites)

    @property
    def weak_connections(self) -> int:
        return sum(site.connections for site in self.runtime_sites)

    @property
    def exit_code(self) -> int:
        """3: confirm itself failed; 2: the target could not be run or reported; 1: a receiver
        was lost; else 0."""
        if self.run.status == INTERNAL_ERROR:
            return EXIT_INTERNAL_ERROR
        if self.run.status in FAILED_RUNS:
            return EXIT_NOT_RUN
        return EXIT_LOST if self.lost_receivers else EXIT_CLEAN


def _key(path: str) -> str:
    if path.startswith("<"):
        return path
    return os.path.normcase(os.path.realpath(path))


def group_connections(connections: Iterable[dict[str, Any]]) -> list[RuntimeSite]:
    """Aggregate the child's per-connection records by site, library, receiver, signal and sender."""
    grouped: dict[tuple[str, int, str, str, str, str], RuntimeSite] = {}
    for record in connections:
        key = (
            record["path"],
            record["line"],
            record["library"],
            record["receiver"],
            record["signal"],
            record["sender"],
        )
        site = grouped.get(key)
        if site is None:
            site = grouped[key] = RuntimeSite(
                path=record["path"],
                line=record["line"],
                function=record["function"],
                library=record["library"],
                receiver=record["receiver"],
                signal=record["signal"],
                sender=record["sender"],
            )
        state = record["state"] if record["state"] in site.states else LOST
        site.states[state] += 1
    return sorted(grouped.values(), key=lambda site: (site.path, site.line, site.receiver, site.signal))


def finding_spans(source: str, findings: Iterable[Finding]) -> dict[Finding, tuple[int, int]]:
    """The lines each finding's site covers at runtime (see the module docstring)."""
    wanted = {(finding.line, finding.col): finding for finding in findings}
    spans = {finding: (finding.line, finding.line) for finding in wanted.values()}
    if not wanted:
        return spans
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return spans
    decorated: set[Finding] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                finding = wanted.get((decorator.lineno, decorator.col_offset))
                if finding is not None:
                    # node.lineno is the line of the ``def``/``class`` keyword itself.
                    spans[finding] = (decorator.lineno, max(node.lineno, decorator.end_lineno or 0))
                    decorated.add(finding)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            finding = wanted.get((node.lineno, node.col_offset))
            if finding is not None and finding not in decorated:
                spans[finding] = (node.lineno, node.end_lineno or node.lineno)
    return spans


def _default_static_check(path: str, source_roots: Sequence[str]) -> list[Finding]:
    from ..api import check_file

    return check_file(path, select=["SIG1"], source_roots=list(source_roots) or None)


def build_report(
    target: Target,
    run: RunResult,
    *,
    timeout: float,
    static_check: StaticCheck | None = None,
) -> Report:
    """Run the static check over the files involved and join it with the runtime result."""
    report = Report(target=target, run=run, timeout=timeout)
    if run.status in (*FAILED_RUNS, INTERNAL_ERROR):
        return report
    static_check = static_check or _default_static_check
    runtime_sites = group_connections(run.connections)
    report.runtime_sites = runtime_sites

    files: dict[str, str] = {}
    for path in [*run.target_files, *(site.path for site in runtime_sites)]:
        if path.startswith("<") or not path.endswith((".py", ".pyw")) or not os.path.isfile(path):
            continue
        files.setdefault(_key(path), path)
    roots = [run.source_root] if run.source_root else []

    by_file: dict[str, list[RuntimeSite]] = {}
    for site in runtime_sites:
        by_file.setdefault(_key(site.path), []).append(site)
    matched: set[int] = set()

    for key, path in sorted(files.items(), key=lambda item: item[1]):
        try:
            findings = static_check(path, roots)
        except Exception as error:  # a linter bug must not hide the runtime result
            report.errors.append(f"static analysis of {path} failed: {type(error).__name__}: {error}")
            continue
        report.checked_files.append(path)
        if not findings:
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                source = handle.read()
        except OSError:
            source = ""
        spans = finding_spans(source, findings)
        sites_here = by_file.get(key, [])
        # Which findings each runtime site falls into; an exact line match wins over a span match.
        claims: dict[int, list[Finding]] = {}
        for site in sites_here:
            inside = [f for f in findings if spans[f][0] <= site.line <= spans[f][1]]
            exact = [f for f in inside if f.line == site.line]
            claims[id(site)] = exact or inside
        for finding in sorted(findings):
            runtime = [site for site in sites_here if finding in claims[id(site)]]
            matched.update(id(site) for site in runtime)
            if not runtime:
                status = NOT_REACHED
            elif any(site.lost for site in runtime):
                status = CONFIRMED
            else:
                status = NOT_REPRODUCED
            report.results.append(
                SiteResult(
                    status=status,
                    path=path,
                    line=finding.line,
                    col=finding.col,
                    code=finding.code,
                    message=finding.message,
                    runtime=runtime,
                )
            )

    missed: dict[tuple[str, int], SiteResult] = {}
    for site in runtime_sites:
        if id(site) in matched or not site.lost:
            continue
        result = missed.get((site.path, site.line))
        if result is None:
            result = missed[(site.path, site.line)] = SiteResult(
                status=MISSED, path=site.path, line=site.line
            )
        result.runtime.append(site)
    report.results.extend(missed.values())
    order = {status: position for position, status in enumerate(RESULT_STATUSES)}
    report.results.sort(key=lambda result: (order[result.status], result.path, result.line, result.col or 0))
    return report
