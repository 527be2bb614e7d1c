"""FLAKE8_SIGNALS_STATS: one line of counters per process that checked files, -j workers included."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SOURCE = "from blinker import signal\n\n\ndef setup():\n    signal('x').connect(lambda sender: None)\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_process_that_checks_files_writes_its_counters(tmp_path, jobs):
    for number in range(8):
        (tmp_path / f"m{number}.py").write_text(SOURCE)
    stats = tmp_path / "stats.jsonl"
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", f"-j{jobs}", "."],
        cwd=tmp_path,
        env={**os.environ, "FLAKE8_SIGNALS_STATS": str(stats)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert len({line.split(":")[0] for line in completed.stdout.splitlines()}) == 8, completed
    records = [json.loads(line) for line in stats.read_text().splitlines()]  # before, at -j2: no file
    assert sum(r["files"] for r in records) == 8
    assert len({r["pid"] for r in records}) == len(records) == (1 if jobs == "1" else 2)
    assert all(r["check_seconds"] > 0 for r in records)
