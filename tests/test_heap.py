"""analysis/heap.py: the collector is paused for one file's analysis and restored after it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_signals.analysis import heap
from flake8_signals.api import check_source
from flake8_signals.checks import lifetime
from tests.support import ROOT


def test_paused_collector_restores_the_state_it_found() -> None:
    assert gc.isenabled()
    with heap.paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled(), "a collector that was off must stay off"
    finally:
        gc.enable()


def test_paused_collector_restores_it_when_the_analysis_raises() -> None:
    with pytest.raises(ValueError), heap.paused_collector():
        raise ValueError
    assert gc.isenabled()


def test_a_files_analysis_runs_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = lifetime.check

    def check(context):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        yield from original(context)

    monkeypatch.setattr(lifetime, "check", check)
    source = "from blinker import signal\n\ndef f():\n    def g(sender):\n        pass\n\n"
    source += "    signal('x').connect(g)\n"
    assert [f.code for f in check_source(source, "m.py")] == ["SIG101"]
    assert seen == [False]
    assert gc.isenabled()


_CHECK = """
import ast, gc, sys
from flake8_signals.checker import CheckConfig, check_module

def check(path):
    source = open(path, encoding="utf-8").read()
    return check_module(ast.parse(source), source, path, CheckConfig.create())
"""


def _probe(body: str, *paths: Path) -> str:
    """What ``body`` prints, run after :data:`_CHECK` in a fresh interpreter (the freeze is once
    per process) with ``paths`` as its arguments."""
    result = subprocess.run(
        [sys.executable, "-c", _CHECK + body, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "FLAKE8_SIGNALS_NO_CACHE": "1"},
    )
    return result.stdout


_FREEZE_PROBE = """
check(sys.argv[1])
frozen = gc.get_freeze_count()
gc.unfreeze()  # what the freeze kept is now visible to a full collection
print(frozen, gc.collect())
"""


def test_the_first_analysis_freezes_the_modules_and_not_its_own_data() -> None:
    """After the first file a family analysed, what lives for the process is frozen (full
    collections no longer walk it), and none of that file's analysis data is kept with it."""
    output = _probe(_FREEZE_PROBE, ROOT / "examples" / "myapp" / "signals.py")
    frozen, leaked = (int(n) for n in output.split())
    assert frozen > 1000
    assert leaked == 0


_WRAPPER_PROBE = """
from flake8_signals.analysis import project_index, wrappers

def unfrozen(objects):
    visible = {id(o) for o in gc.get_objects()}
    return sum(id(o) in visible for o in objects)

check(sys.argv[1])  # the first file: the modules are frozen after it
check(sys.argv[2])  # builds the project index
scans = list(project_index._ROOT_SCANS.values())
seen = unfrozen(scans)
codes = sorted(f.code for f in check(sys.argv[3]))  # reads wiring/helpers.py for its wrappers
kept = [s for s in wrappers._MODULES.values() if s is not None]
seen += unfrozen(kept + [s.module.tree for s in kept])
gc.collect()  # what is garbage but not frozen
gc.unfreeze()
print(" ".join(codes), len(scans), len(kept), seen, gc.collect())
"""


def test_what_a_file_adds_to_the_caches_is_frozen_after_it_and_its_own_data_is_not() -> None:
    """helpers.py's analysis builds the project index, jobs.py's reads helpers.py for its
    connect wrappers (its tree and scopes are kept for the process): each is frozen once its
    file is done, so full collections stop walking it, and nothing of either file's analysis
    is kept (a freeze in the middle of the index's build kept about 200 objects for good)."""
    project = ROOT / "tests" / "fixtures" / "projects" / "wiring"
    first = ROOT / "examples" / "myapp" / "signals.py"
    output = _probe(_WRAPPER_PROBE, first, project / "helpers.py", project / "jobs.py")
    codes, scans, kept, seen, leaked = output.rsplit(maxsplit=4)
    assert codes == "SIG101 SIG103", "the wrapper was not read: the test would prove nothing"
    assert (scans, kept) == ("1", "1")
    assert (seen, leaked) == ("0", "0")
