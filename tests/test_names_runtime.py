"""Runtime truth for SIG201/SIG202/SIG291: run the fixtures with real blinker (and Flask, and
Flask-Login) and check that every signal looked up on a flagged line is a different object from
the one that is sent: nothing connected to it ever runs, nothing sent to it reaches a receiver,
and a flagged ``ns["name"]`` raises KeyError; while every connection the linter left alone runs.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import blinker
import pytest

from flake8_signals.api import check_file
from tests.support import FIXTURES

pytest.importorskip("flask")
pytest.importorskip("flask_login")

PROBE = Path(__file__).parent / "names_probe.py"
NAMES = FIXTURES / "names"
PROJECTS = FIXTURES / "projects"
LOST = {"SIG201", "SIG202", "SIG291"}


def run_probe(directory: Path, *modules: str) -> dict:
    completed = subprocess.run(
        [sys.executable, str(PROBE), str(directory), *modules],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=directory,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def flagged_lookups(directory: Path, files: list[str]) -> set[tuple[str, str, bool]]:
    """(file, name, in the default namespace) of every lookup a lost-signal rule flags."""
    flagged = set()
    for relative in files:
        path = directory / relative
        literals = {
            (node.lineno, node.col_offset): node.value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        for finding in check_file(path, select=sorted(LOST), source_roots=[str(directory)]):
            default = finding.code != "SIG201" or "default namespace" in finding.message
            flagged.add((relative, literals[(finding.line, finding.col)], default))
    return flagged


def assert_runtime_truth(directory: Path, files: list[str], modules: list[str]) -> None:
    flagged = flagged_lookups(directory, files)
    assert flagged, "the fixture flags nothing"
    record = run_probe(directory, *modules)
    lost_signals = set()
    for file, name, default in flagged:
        seen = [r for r in record["lookups"] if (r["file"], r["name"], r["default"]) == (file, name, default)]
        missing = [r for r in record["missing"] if (r["file"], r["name"]) == (file, name)]
        assert seen or missing, f"{file}: the lookup of {name!r} never ran in exercise()"
        for lookup in seen:
            assert lookup["delivered"] == 0, f"{file}:{lookup['line']}: {name!r} reached a receiver"
            lost_signals.add(lookup["signal"])
    for connect in record["connects"]:
        where = f"{connect['file']}:{connect['line']}"
        if connect["signal"] in lost_signals:
            assert connect["fired"] == 0, f"{where}: a receiver on a flagged lookup ran"
        else:
            assert connect["fired"] > 0, f"{where}: left alone, yet its receiver never ran"


@pytest.mark.parametrize(
    "fixture",
    [
        "sig201_namespace_flagged",
        "sig201_default_flagged",
        "sig202_flagged",
        "sig291_flagged",
    ],
)
def test_flagged_fixture_lookups_are_lost_at_run_time(fixture):
    assert_runtime_truth(NAMES, [f"{fixture}.py"], [fixture])


def test_flagged_subscript_raises_key_error():
    record = run_probe(NAMES, "sig201_namespace_flagged")
    assert [m["name"] for m in record["missing"]] == ["invoice-pad"]


def test_project_lookups_across_modules_are_lost_at_run_time():
    files = ["accounts_app/handlers.py", "accounts_app/services.py", "accounts_app/extra_signals.py"]
    assert_runtime_truth(
        PROJECTS, files, ["accounts_app.handlers", "accounts_app.services", "accounts_app.extra_signals"]
    )


def test_flask_request_does_not_reach_default_namespace_receivers():
    """The SIG202 fixture's claim, spelled out: a test-client request runs the receivers of
    flask.request_started and never those of blinker.signal("request-started")."""
    record = run_probe(NAMES, "sig202_flagged")
    by_line = {c["line"]: c["fired"] for c in record["connects"]}
    source = (NAMES / "sig202_flagged.py").read_text(encoding="utf-8").splitlines()
    default_line = next(i for i, t in enumerate(source, 1) if 'blinker.signal("request-started")' in t)
    real_line = next(i for i, t in enumerate(source, 1) if "flask.request_started.connect" in t)
    assert by_line[default_line] == 0
    assert by_line[real_line] == 1


def test_named_lookups_are_per_namespace_objects():
    """What the rules rely on: a name gives one object per namespace, created on first lookup."""
    from flask import signals as flask_signals

    spare = blinker.Namespace()
    assert spare.signal("invoice-paid") is spare.signal("invoice-paid")
    assert spare.signal("invoice-paid") is not blinker.Namespace().signal("invoice-paid")
    assert "request-started" in flask_signals._signals
    with pytest.raises(KeyError):
        spare["invoice-pad"]
