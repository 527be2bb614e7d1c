"""Render a :class:`~flake8_signals.runtime.join.Report` as text or as JSON.

The JSON document is described by ``confirm.schema.json`` beside this module
(:func:`schema` loads it); ``schema_version`` changes when a field changes meaning or goes away.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import flake8_signals

from . import child
from .join import CONFIRMED, MISSED, NOT_REACHED, NOT_REPRODUCED, Report, RuntimeSite, SiteResult
from .recorder import ALIVE, DISCONNECTED, LOST, ORPHANED
from .runner import CRASHED, INTERNAL_ERROR, KILLED

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("confirm.schema.json")

_LABELS = {
    CONFIRMED: "CONFIRMED",
    MISSED: "MISSED BY THE LINTER",
    NOT_REPRODUCED: "NOT REPRODUCED",
    NOT_REACHED: "NOT REACHED",
}


@cache
def schema() -> dict[str, Any]:
    """The JSON schema of ``flake8-signals confirm --format json``."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def display_path(path: str, cwd: str | None = None) -> str:
    """``path`` relative to the current directory when it is inside it, else unchanged."""
    if path.startswith("<"):
        return path
    cwd = cwd or os.getcwd()
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:  # another drive (Windows)
        return path
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path
    return relative


def _docs_url(code: str | None) -> str | None:
    if not code:
        return None
    try:
        from ..rules import RULES
    except Exception:
        return None
    rule = RULES.get(code)
    return rule.docs_url if rule is not None else None


# -- JSON -------------------------------------------------------------------------------------


def _site_json(site: RuntimeSite) -> dict[str, Any]:
    return {
        "path": display_path(site.path),
        "line": site.line,
        "function": site.function,
        "library": site.library,
        "receiver": site.receiver,
        "signal": site.signal,
        "sender": site.sender,
        "connections": site.connections,
        "states": dict(site.states),
    }


def _result_json(result: SiteResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "path": display_path(result.path),
        "line": result.line,
        "col": result.col,
        "code": result.code,
        "message": result.message,
        "docs_url": _docs_url(result.code),
        "lost": result.lost,
        "runtime": [_site_json(site) for site in result.runtime],
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict (valid against :func:`schema`)."""
    target = report.target
    run = report.run
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "flake8-signals", "version": flake8_signals.__version__},
        "target": {
            "text": target.text,
            "kind": target.kind,
            "module": target.module,
            "attr": target.attr,
            "path": display_path(target.path) if target.path else None,
            "args": list(target.args),
        },
        "outcome": {
            "status": run.status,
            "message": run.message,
            "traceback": run.traceback,
            "stage": run.stage,
            "duration": run.duration,
            "timeout": report.timeout,
        },
        "summary": {
            "confirmed": report.count(CONFIRMED),
            "missed_by_linter": report.count(MISSED),
            "not_reproduced": report.count(NOT_REPRODUCED),
            "not_reached": report.count(NOT_REACHED),
            "weak_connections": report.weak_connections,
            "lost_receivers": report.lost_receivers,
        },
        "results": [_result_json(result) for result in report.results],
        "connections": [_site_json(site) for site in report.runtime_sites],
        "checked_files": [display_path(path) for path in report.checked_files],
        "errors": list(report.errors),
        "exit_code": report.exit_code,
    }


def render_json(report: Report) -> str:
    return json.dumps(to_json(report), indent=2) + "\n"


# -- text -------------------------------------------------------------------------------------


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _state_text(site: RuntimeSite) -> str:
    parts = []
    names = {
        LOST: "lost",
        ALIVE: "alive",
        DISCONNECTED: "disconnected",
        ORPHANED: "freed after its signal/sender",
    }
    for state in (LOST, ALIVE, DISCONNECTED, ORPHANED):
        count = site.states.get(state, 0)
        if count:
            parts.append(f"{count} {names[state]}")
    return ", ".join(parts)


def _runtime_line(site: RuntimeSite) -> str:
    sender = "" if site.sender == "ANY" else f" (sender {site.sender})"
    return (
        f"      runtime: '{site.receiver}' connected to {site.library} signal '{site.signal}'{sender} "
        f"in {site.function}(): {_state_text(site)}"
    )


def _outcome_line(report: Report) -> str:
    run = report.run
    duration = f" after {run.duration:.2f} s" if run.duration is not None else ""
    if run.status == child.FINISHED:
        return f"the target finished{duration}"
    if run.status == child.RAISED:
        return f"{run.message}{duration}; the receivers lost up to then are reported"
    if run.status == child.TIMEOUT:
        return f"{run.message}; the receivers lost up to then are reported"
    return run.message or run.status


def render_text(report: Report) -> str:
    """The human-readable report: one block per site, then a summary line."""
    run = report.run
    lines = [f"flake8-signals confirm {report.target.text}: {_outcome_line(report)}"]
    if run.status == INTERNAL_ERROR:
        return "\n".join(lines) + "\n"  # its traceback goes to standard error
    if run.status in (child.LOAD_ERROR, KILLED, CRASHED):
        if run.traceback:
            lines.append("")
            lines.append(run.traceback.rstrip())
        return "\n".join(lines) + "\n"
    lines.append(
        f"{_plural(report.weak_connections, 'weak connection')} recorded, "
        f"{_plural(report.lost_receivers, 'receiver')} garbage-collected while still connected"
    )
    for result in report.results:
        lines.append("")
        where = f"{display_path(result.path)}:{result.line}"
        if result.col is not None:
            where += f":{result.col + 1}"
        label = _LABELS[result.status]
        if result.code:
            lines.append(f"{where}: {label}: {result.code} {result.message}")
        else:
            lines.append(
                f"{where}: {label}: a receiver was garbage-collected while still connected "
                "(no static finding here)"
            )
        if result.status == NOT_REACHED:
            lines.append("      runtime: this line never ran")
        for site in result.runtime:
            lines.append(_runtime_line(site))
    for error in report.errors:
        lines.append("")
        lines.append(f"error: {error}")
    lines.append("")
    lines.append(
        f"{report.count(CONFIRMED)} confirmed, {report.count(MISSED)} missed by the linter, "
        f"{report.count(NOT_REPRODUCED)} not reproduced, {report.count(NOT_REACHED)} not reached"
    )
    if run.status == child.RAISED and run.traceback:
        lines.append("")
        lines.append("The target raised:")
        lines.append(run.traceback.rstrip())
    return "\n".join(lines) + "\n"
