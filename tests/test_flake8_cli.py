"""The real flake8 command, in a subprocess, exactly as users run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import FIXTURES, ROOT, read_golden

SEED = (
    "SIG101 local function 'log_response' is connected to 'request_finished' with weak=True and is "
    "garbage-collected when 'register_signal_handlers' returns, so it is never called; define it at "
    "module level or pass weak=False"
)


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_version_lists_the_plugin():
    result = flake8("--version", cwd=ROOT)
    assert result.returncode == 0
    assert "flake8-signals: 0.1.0" in result.stdout


def test_examples_give_exactly_the_seed_finding():
    result = flake8("--select", "SIG", "examples/", cwd=ROOT)
    assert result.stdout.splitlines() == [f"examples/myapp/signals.py:9:5: {SEED}"]
    assert result.returncode == 1
    assert result.stderr == ""


def test_fixed_twin_is_clean():
    result = flake8("--select", "SIG", "examples/myapp_fixed/", cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, "")


def test_noqa_on_the_reported_line(tmp_path):
    source = (ROOT / "examples" / "myapp" / "signals.py").read_text(encoding="utf-8")
    target = tmp_path / "signals.py"
    target.write_text(source.replace("app)\n", "app)  # noqa: SIG101\n"), encoding="utf-8")
    assert flake8("--select", "SIG", "signals.py", cwd=tmp_path).stdout == ""
    target.write_text(source.replace("app)\n", "app)  # noqa: SIG102\n"), encoding="utf-8")
    assert "SIG101" in flake8("--select", "SIG", "signals.py", cwd=tmp_path).stdout


def test_not_selected_means_not_reported():
    result = flake8("--select", "F", "examples/", cwd=ROOT)
    assert "SIG" not in result.stdout
    ignored = flake8("--select", "SIG", "--extend-ignore", "SIG101", "examples/", cwd=ROOT)
    assert ignored.stdout == ""


def test_bandit_style_ignore_of_S_silences_SIG_too():
    """Documented caveat: flake8 matches by prefix, so ignoring `S` hides SIG findings when SIG
    is on by default; naming SIG explicitly wins, being the longer prefix."""
    default = flake8("examples/myapp/", cwd=ROOT)
    assert "SIG101" in default.stdout  # on by default...
    hidden = flake8("--extend-ignore", "S", "examples/myapp/", cwd=ROOT)
    assert "SIG101" not in hidden.stdout  # ...and gone with the bandit-style ignore
    named = flake8("--extend-select", "SIG", "--extend-ignore", "S", "examples/myapp/", cwd=ROOT)
    assert "SIG101" in named.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_multi_module_project(tmp_path, jobs):
    """Signals defined in one module and connected in another, from the project root and -j."""
    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "projects", project)
    result = flake8("-j", jobs, "--select", "SIG", "shop/", cwd=project)
    golden, _ = read_golden(FIXTURES / "projects" / "shop" / "handlers.py")
    assert result.stdout.splitlines() == [f"shop/handlers.py:{shown}" for shown in golden]
    assert result.stderr == ""


def test_source_roots_option_from_config(tmp_path):
    """A src/ layout: the package root is found without configuration; a config file can name it."""
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "projects" / "shop", src / "shop")
    (tmp_path / "setup.cfg").write_text("[flake8]\nsignals-source-roots = src\n", encoding="utf-8")
    result = flake8("--select", "SIG", "src/shop/handlers.py", cwd=tmp_path)
    assert result.stdout.count("SIG101") == 3
    assert result.stderr == ""
