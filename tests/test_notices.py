"""A connection left unjudged because its library is neither installed nor known is said once
per run on stderr (never as a finding), also when flake8 checks files in several processes."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SOURCE = """\
from flask_nowhere.signals import thing_done


def setup():
    def on_done(sender):
        pass

    thing_done.connect(on_done)
"""
NOTICE = "flake8-signals: 'flask_nowhere' is not installed where flake8 runs"


def _flake8(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", *args, "."],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_said_once_per_run(tmp_path: Path, jobs: str):
    for i in range(24):
        (tmp_path / f"module_{i}.py").write_text(SOURCE, encoding="utf-8")
    result = _flake8(tmp_path, "-j", jobs)
    assert result.stdout == ""  # not a finding
    assert result.stderr.count(NOTICE) == 1, result.stderr
    assert not list(Path(tempfile.gettempdir()).glob("flake8-signals-notice-*-flask_nowhere"))


def test_not_said_for_a_known_or_installed_or_own_package(tmp_path: Path):
    (tmp_path / "known.py").write_text(
        SOURCE.replace("flask_nowhere.signals", "django.core.signals").replace(
            "thing_done", "request_finished"
        ),
        encoding="utf-8",
    )
    (tmp_path / "installed.py").write_text(SOURCE.replace("flask_nowhere", "pytest"), encoding="utf-8")
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "own.py").write_text(SOURCE.replace("flask_nowhere", "ours"), encoding="utf-8")
    result = _flake8(tmp_path)
    assert "flake8-signals:" not in result.stderr
