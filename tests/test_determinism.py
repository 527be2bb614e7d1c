"""The same findings under any load: the plugin's budgets count work, never time."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time

import pytest

from flake8_signals.analysis import inference, project_index
from flake8_signals.api import check_file
from tests.support import FIXTURES

SHOP = FIXTURES / "projects" / "shop" / "handlers.py"


def _findings() -> list[tuple[int, int, str, str]]:
    project_index.clear_cache()
    found = check_file(SHOP, select=["SIG"], source_roots=[str(SHOP.parent.parent)])
    return [(f.line, f.col, f.code, f.message) for f in found]


def test_a_racing_clock_changes_nothing(monkeypatch: pytest.MonkeyPatch):
    """Each reading of the clocks jumps an hour ahead, as under extreme CPU starvation."""
    expected = _findings()
    assert len(expected) == 6  # the shop fixture needs astroid for its cross-module signals
    ticks = itertools.count(step=3600.0)
    for name in ("perf_counter", "process_time", "monotonic", "time"):
        monkeypatch.setattr(time, name, lambda: next(ticks))
    assert inference.time is time
    assert _findings() == expected


def test_the_question_budget_is_counted_not_timed(monkeypatch: pytest.MonkeyPatch):
    """With a budget of one question, what is decided is the same on every run."""
    monkeypatch.setattr(inference, "MAX_QUESTIONS_PER_FILE", 1)
    first = _findings()
    assert len(first) < 6
    assert all(_findings() == first for _ in range(3))


def _hogs(count: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


@pytest.mark.slow
def test_flake8_under_a_cpu_hog_gives_the_same_findings(tmp_path):
    project = tmp_path / "projects"
    shutil.copytree(FIXTURES / "projects", project)
    command = [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", "-j", "2", "shop/"]
    quiet = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
    hogs = _hogs(2 * (os.cpu_count() or 2))
    try:
        loaded = [
            subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
            for _ in range(3)
        ]
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert quiet.stdout.count("SIG") == 6
    assert all(run.stdout == quiet.stdout for run in loaded)
