"""The project index between runs: in a long-lived process (an editor's) and on disk.

Neither may change a finding: a warm cache gives exactly what a cold one and no cache give, an
edit on disk is seen by the next run in the same process, a corrupt cache file is ignored, and
processes writing the same cache at once leave it whole.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flake8 import utils as flake8_utils
from flake8.main import cli

from flake8_signals.analysis import index_cache, index_settings, project_index
from flake8_signals.api import check_file
from tests.support import FIXTURES

TYPO = "SIG201 signal name 'order-payed'"
EVENTS = """\
from blinker import Namespace

bus = Namespace()
order_paid = bus.signal("order-paid")
"""
USE = """\
from app.events import bus


def on_paid(sender, **extra):
    pass


bus.signal("order-payed").connect(on_paid)
"""


def make_app(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "setup.cfg").write_text("[metadata]\nname = app\n")
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "events.py").write_text(EVENTS)
    (root / "app" / "use.py").write_text(USE)
    return root / "app" / "use.py"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv(index_settings.DIRECTORY_VARIABLE, str(directory))
    monkeypatch.delenv(index_settings.OFF_VARIABLE, raising=False)
    project_index.clear_cache()
    yield directory
    project_index.clear_cache()


def flake8_in_process(capsys, *args: str) -> list[str]:
    """flake8 as a language server runs it: again and again in one process."""
    cli.main(["--isolated", "--select", "SIG", *args])
    return [line for line in capsys.readouterr().out.splitlines() if "SIG" in line]


def test_an_edit_on_disk_is_seen_by_the_next_run_in_the_same_process(
    tmp_path, monkeypatch, capsys, cache_dir
):
    make_app(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    assert [TYPO in line for line in flake8_in_process(capsys, "app/use.py")] == [True]
    # Declaring the name in the namespace's module makes the lookup right.
    (tmp_path / "project" / "app" / "events.py").write_text(
        EVENTS + 'order_payed = bus.signal("order-payed")\n'
    )
    assert flake8_in_process(capsys, "app/use.py") == []  # before: the old SIG201 until restart
    (tmp_path / "project" / "app" / "events.py").write_text(EVENTS)
    assert [TYPO in line for line in flake8_in_process(capsys, "app/use.py")] == [True]


def test_the_linted_buffer_is_read_not_its_file(tmp_path, monkeypatch, capsys, cache_dir):
    """An editor lints the unsaved buffer on standard input; the next run must not keep it."""
    make_app(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    fixed = USE.replace("order-payed", "order-paid")
    for text, expected in ((fixed, []), (USE, [True]), (fixed, [])):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        flake8_utils.stdin_get_value.cache_clear()  # flake8 keeps the first stdin of a process
        found = flake8_in_process(capsys, "--stdin-display-name", "app/use.py", "-")
        assert [TYPO in line for line in found] == expected, text
    # the buffer named app/events.py declares the name: the disk's version is replaced by it
    declared = EVENTS + 'order_payed = bus.signal("order-payed")\n'
    assert flake8_in_process(capsys, "app/use.py") != []
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(declared.encode())))
    flake8_utils.stdin_get_value.cache_clear()
    assert flake8_in_process(capsys, "--stdin-display-name", "app/events.py", "-") == []


def _findings(paths: list[Path], roots: list[str] | None = None) -> list[tuple[str, int, int, str, str]]:
    found = []
    for path in paths:
        for f in check_file(path, select=["SIG"], source_roots=roots):
            found.append((path.name, f.line, f.col, f.code, f.message))
    return found


def _project_fixtures() -> list[Path]:
    return sorted((FIXTURES / "projects").rglob("*.py")) + sorted((FIXTURES / "names").rglob("*.py"))


def test_cold_warm_and_no_cache_give_the_same_findings(cache_dir, monkeypatch):
    paths = _project_fixtures()
    cold = _findings(paths)
    assert any(code == "SIG201" for _, _, _, code, _ in cold)
    assert list(cache_dir.glob("*.json"))  # written
    project_index.clear_cache()  # a new process: only the disk cache is left
    parsed: list[str] = []
    original = project_index._parse_into
    monkeypatch.setattr(
        project_index,
        "_parse_into",
        lambda facts, path, data: parsed.append(path) or original(facts, path, data),
    )
    warm = _findings(paths)
    assert parsed == []  # every fact came from the cache
    monkeypatch.setenv(index_settings.OFF_VARIABLE, "1")
    project_index.clear_cache()
    uncached = _findings(paths)
    assert cold == warm == uncached
    assert parsed  # without the cache the project is parsed again


def test_a_corrupt_or_foreign_cache_file_is_ignored(cache_dir):
    paths = _project_fixtures()
    expected = _findings(paths)
    files = sorted(cache_dir.glob("*.json"))
    assert files
    damages = [b"", b"{", b"\x00\xff garbage", b"[]", b'{"format": 1}', None]
    for number, path in enumerate(files):
        damage = damages[number % len(damages)]
        if damage is None:  # valid JSON with the right key, wrong contents
            record = json.loads(path.read_text())
            record["files"] = [["x.py", "big", 0, 0, "", "source", [], True]]
            damage = json.dumps(record).encode()
        path.write_bytes(damage)
    project_index.clear_cache()
    assert _findings(paths) == expected
    for path in files:  # rewritten whole
        assert json.loads(path.read_text())["format"] == index_cache.FORMAT


def test_a_file_changed_within_the_clock_granularity_is_read_again(tmp_path, cache_dir):
    use = make_app(tmp_path)
    events = tmp_path / "app" / "events.py"
    assert [f.code for f in check_file(use, select=["SIG201"])] == ["SIG201"]
    stat = events.stat()
    # The same size and modification time, another content: only a digest can tell.
    events.write_text(EVENTS.replace("order-paid", "order-payd").replace("order_paid", "order_payd"))
    os.utime(events, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert events.stat().st_size == stat.st_size
    index_settings.new_run()
    message = check_file(use, select=["SIG201"])[0].message
    assert "did you mean 'order-payd'" in message


def test_the_off_switch_and_the_directory_option(tmp_path, cache_dir):
    make_app(tmp_path / "project")
    env = {**os.environ, index_settings.DIRECTORY_VARIABLE: str(cache_dir)}

    def run(*args: str, **extra: str) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", *args, "app/use.py"],
            cwd=tmp_path / "project",
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        return completed.stdout

    assert TYPO in run(**{index_settings.OFF_VARIABLE: "1"})
    assert TYPO in run("--signals-no-cache")
    assert not cache_dir.exists()
    elsewhere = tmp_path / "elsewhere"
    assert TYPO in run(f"--signals-cache-dir={elsewhere}")
    assert not cache_dir.exists() and len(list(elsewhere.glob("*.json"))) == 1
    assert TYPO in run()
    assert len(list(cache_dir.glob("*.json"))) == 1


def test_concurrent_processes_share_one_cache(tmp_path, cache_dir):
    make_app(tmp_path / "project")
    for number in range(12):  # enough files for -j2 to start both workers
        (tmp_path / "project" / "app" / f"use_{number}.py").write_text(USE)
    env = {**os.environ, index_settings.DIRECTORY_VARIABLE: str(cache_dir)}
    command = [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", "-j2", "app"]
    processes = [
        subprocess.Popen(command, cwd=tmp_path / "project", env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [sorted(process.communicate(timeout=300)[0].splitlines()) for process in processes]
    assert len(outputs[0]) == 13 and all(TYPO in line for line in outputs[0])
    assert all(output == outputs[0] for output in outputs)
    (record,) = [json.loads(p.read_text()) for p in cache_dir.glob("*.json")]
    assert len(record["files"]) == 15
    warm = subprocess.run(command, cwd=tmp_path / "project", env=env, stdout=subprocess.PIPE, text=True)
    assert sorted(warm.stdout.splitlines()) == outputs[0]


def test_default_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(index_settings.DIRECTORY_VARIABLE, raising=False)
    monkeypatch.delenv(index_settings.OFF_VARIABLE, raising=False)
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG applies on Linux and other Unix systems")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert index_settings.default_directory() == str(tmp_path / "xdg" / "flake8-signals")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert index_settings.default_directory() == str(tmp_path / "home" / ".cache" / "flake8-signals")
    monkeypatch.setenv(index_settings.OFF_VARIABLE, "1")
    assert index_settings.default_directory() is None
