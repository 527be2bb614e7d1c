"""The pre-commit integration, run for real: pre-commit builds the hook's virtualenv from PyPI.

``repo:`` at a ``rev:`` only sees committed content, so the working tree (with whatever is not
committed yet) is copied into a temporary git repository, committed there, and the consumer
project points at that commit. ``PRE_COMMIT_HOME`` is a temporary directory: nothing depends on
(or is left in) the machine's pre-commit cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "myapp" / "signals.py"
SEED_FIXED = ROOT / "examples" / "myapp_fixed" / "signals.py"
SEED_LINE = 9

pytestmark = pytest.mark.slow

# What a hook repository needs to be installed by pre-commit (`pip install .`).
HOOK_REPO_ITEMS = ("pyproject.toml", "README.md", "LICENSE", "flake8_signals", ".pre-commit-hooks.yaml")
CLEAN = '''\
"""Nothing to report."""

from flask.signals import request_finished


def log_response(sender, response, **extra):
    print(response.status)


request_finished.connect(log_response)
'''


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    proc = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree, committed in a throw-away repository: (path, rev)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in HOOK_REPO_ITEMS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        elif source.exists():
            shutil.copy(source, repo / name)
    git(repo, "init", "-q")
    return repo, commit_all(repo, "working tree of flake8-signals")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def make_project(root: Path, config: str) -> Path:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    shutil.copy(SEED, root / "app" / "signals.py")
    (root / "app" / "clean.py").write_text(CLEAN)
    (root / ".pre-commit-config.yaml").write_text(config)
    (root / ".flake8").write_text("[flake8]\nmax-line-length = 110\n")  # the seed's docstrings are long
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def pre_commit(project: Path, home: Path, *, all_files: bool = True) -> subprocess.CompletedProcess[str]:
    """``pre-commit run --all-files``, or (``all_files=False``) on the staged files only."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color=never", *(["--all-files"] if all_files else [])],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def assert_fails_then_passes(project: Path, home: Path, hook_name: str) -> None:
    first = pre_commit(project, home)
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert re.search(rf"^{re.escape(hook_name)}\.+Failed$", output, re.MULTILINE), output
    findings = re.findall(r"^(\S+?):(\d+):(\d+): (\w+) ", output, re.MULTILINE)
    assert [(path, int(line), code) for path, line, _, code in findings] == [
        ("app/signals.py", SEED_LINE, "SIG101")
    ], output
    assert "app/clean.py" not in output

    shutil.copy(SEED_FIXED, project / "app" / "signals.py")
    git(project, "add", "-A")
    second = pre_commit(project, home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(rf"^{re.escape(hook_name)}\.+Passed$", second.stdout, re.MULTILINE), second.stdout


def test_shipped_hook(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    repo, rev = hook_repo
    config = f"""\
repos:
  - repo: {repo.as_posix()}
    rev: {rev}
    hooks:
      - id: flake8-signals
"""
    assert_fails_then_passes(make_project(tmp_path, config), pre_commit_home, "flake8-signals")


def test_staged_file_is_checked_against_an_unchanged_declaration(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    # Only app/handlers.py is staged; the signal it uses is declared in a committed, unchanged
    # module that pre-commit does not pass to the hook. The plugin must still resolve it.
    repo, rev = hook_repo
    config = f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: flake8-signals\n"
    project = make_project(tmp_path, config)
    (project / "app" / "events.py").write_text(
        'from blinker import Namespace\n\norder_paid = Namespace().signal("order-paid")\n'
    )
    commit_all(project, "declarations")
    (project / "app" / "handlers.py").write_text(
        "from app.events import order_paid\n\n\ndef setup():\n"
        "    order_paid.connect(lambda sender: print(sender))\n"
    )
    git(project, "add", "app/handlers.py")
    proc = pre_commit(project, pre_commit_home, all_files=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    findings = re.findall(r"^(\S+?):(\d+):\d+: (\w+) ", output, re.MULTILINE)
    assert findings == [("app/handlers.py", "5", "SIG102")], output


def test_staged_typo_is_checked_against_the_names_declared_on_disk(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    # The names index (SIG201) must read the committed, unchanged declarations from disk, not
    # from the files pre-commit passes; and pre-commit's stash of unstaged edits must hold.
    repo, rev = hook_repo
    config = f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: flake8-signals\n"
    project = make_project(tmp_path, config)
    declarations = (
        'from blinker import Namespace\n\nshop = Namespace()\norder_paid = shop.signal("order-paid")\n'
    )
    (project / "app" / "events.py").write_text(declarations)
    commit_all(project, "declarations")
    (project / "app" / "handlers.py").write_text(
        "from app.events import shop\n\n\ndef on_paid(sender, **extra):\n    pass\n\n\n"
        'shop.signal("order-payed").connect(on_paid)\n'
    )
    git(project, "add", "app/handlers.py")
    # Unstaged: declaring the misspelt name would silence the finding if it were read.
    (project / "app" / "events.py").write_text(declarations + 'order_payed = shop.signal("order-payed")\n')
    proc = pre_commit(project, pre_commit_home, all_files=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    findings = re.findall(r"^(\S+?):(\d+):\d+: (\w+) (.*)$", output, re.MULTILINE)
    located = [(path, line, code) for path, line, code, _ in findings]
    assert located == [("app/handlers.py", "8", "SIG201")], output
    assert "did you mean 'order-paid'" in findings[0][3]


def test_flake8_hook_with_additional_dependency(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    # The usual setup is PyCQA/flake8's own hook with `additional_dependencies:
    # [flake8-signals]`; that repository is not reachable here, so the same hook definition is
    # declared locally and the plugin comes from this checkout instead of PyPI.
    repo, _ = hook_repo
    config = f"""\
repos:
  - repo: local
    hooks:
      - id: flake8
        name: flake8
        entry: flake8
        language: python
        types: [python]
        require_serial: true
        additional_dependencies: [flake8, "{repo.as_posix()}"]
"""
    assert_fails_then_passes(make_project(tmp_path, config), pre_commit_home, "flake8")
