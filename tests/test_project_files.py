"""Which files the project index reads, and that no file of the project can hang or silence it.

Each test drives the real flake8 command where the bug was seen through it: the index reads files
the user did not ask to lint, so a FIFO, a link to ``/dev/zero`` or the filesystem root as the
working directory reached users through plain ``flake8 --select SIG app/use.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from flake8_signals.analysis import project_files, project_index

TYPO = "SIG201 signal name 'order-payed'"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_app(root: Path) -> Path:
    """A project whose ``app/use.py`` connects to a misspelt name declared in ``app/events.py``."""
    write(root, "setup.cfg", "[metadata]\nname = app\n")
    write(root, "app/__init__.py", "")
    write(
        root,
        "app/events.py",
        """\
        from blinker import Namespace

        bus = Namespace()
        order_paid = bus.signal("order-paid")
        """,
    )
    return write(
        root,
        "app/use.py",
        """\
        from app.events import bus


        def on_paid(sender, **extra):
            pass


        bus.signal("order-payed").connect(on_paid)
        """,
    )


def _limit_memory() -> None:  # a regression must fail the test, not the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def flake8(*args: str, cwd: Path | str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory if sys.platform == "linux" else None,
        **kwargs,
    )


def typo_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if TYPO in line]


# -- hostile files (issue 15) --------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_the_project_is_skipped(tmp_path):
    make_app(tmp_path)
    os.mkfifo(tmp_path / "app" / "fifo.py")
    result = flake8("app/use.py", cwd=tmp_path, timeout=60)  # before: never returned
    assert len(typo_lines(result.stdout)) == 1, result
    assert result.returncode == 1


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_skipped(tmp_path):
    make_app(tmp_path)
    (tmp_path / "app" / "zero.py").symlink_to("/dev/zero")
    result = flake8("app/use.py", cwd=tmp_path, timeout=60)  # before: 3.7 GB read, rc 0, no finding
    assert len(typo_lines(result.stdout)) == 1, result
    assert result.returncode == 1


@pytest.mark.skipif(not os.path.exists("/proc/self/fd/0"), reason="needs /proc")
def test_a_link_to_standard_input_is_skipped_while_stdin_is_an_open_pipe(tmp_path):
    make_app(tmp_path)
    (tmp_path / "app" / "stdin.py").symlink_to("/proc/self/fd/0")
    process = subprocess.Popen(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SIG", "app/use.py"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,  # kept open: a read would wait for ever
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        returncode = process.wait(timeout=60)  # before: hung
        stdout = process.stdout.read()
    finally:
        process.kill()
        process.stdin.close()
        process.stdout.close()
        process.stderr.close()
    assert len(typo_lines(stdout)) == 1, stdout
    assert returncode == 1


def test_a_large_file_is_not_read_whole_and_makes_the_index_incomplete_if_it_may_matter(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(project_files, "MAX_FILE_BYTES", 1000)
    make_app(tmp_path)
    write(tmp_path, "app/table.py", "DATA = [\n" + "    1,\n" * 400 + "]\n")  # 2.8 kB, no signals
    index = project_index.build_index([str(tmp_path)])
    assert index.complete
    assert index.declared_names("app.events.bus") == {"order-paid"}
    write(tmp_path, "app/more.py", "from app.events import bus\nx = bus.signal('x')\n" + "#\n" * 600)
    # its beginning mentions signals: what it declares is unknown, so SIG201 must stay silent
    assert not project_index.build_index([str(tmp_path)]).complete


def test_read_source_reads_only_regular_files(tmp_path):
    regular = write(tmp_path, "a.py", "x = 1\n")
    assert project_files.read_source(str(regular)) == b"x = 1\n"
    assert project_files.read_source(str(tmp_path)) is None  # a directory
    assert project_files.read_source(str(tmp_path / "missing.py")) is None
    if os.path.exists("/dev/zero"):
        assert project_files.read_source("/dev/zero") is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.py")
        assert project_files.read_source(str(tmp_path / "fifo.py")) is None
        assert [Path(f.path).name for f in project_files.python_files(str(tmp_path))] == ["a.py"]


def test_unrelated_files_warnings_are_not_printed(tmp_path):
    make_app(tmp_path)
    write(tmp_path, "app/legacy.py", 'from app.events import bus\nPATTERN = "\\d+"\nbus.signal("x")\n')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        index = project_index.build_index([str(tmp_path)])
    assert str(tmp_path / "app" / "legacy.py") in index.facts  # parsed, and silently
    assert [str(w.message) for w in caught] == []


# -- which directories are read (issue 13) -------------------------------------------------------
def test_working_directory_at_the_filesystem_root_reads_only_the_project(tmp_path):
    use = make_app(tmp_path)
    result = flake8(str(use), cwd="/", timeout=120)  # before: 126 s and no SIG201
    assert len(typo_lines(result.stdout)) == 1, result


def test_two_projects_with_the_same_package_name_under_the_working_directory(tmp_path):
    make_app(tmp_path / "one")
    make_app(tmp_path / "two")
    result = flake8("one/app/use.py", "two/app/use.py", cwd=tmp_path)  # before: no SIG201 at all
    assert sorted(line.split(":")[0] for line in typo_lines(result.stdout)) == [
        os.path.join("one", "app", "use.py"),
        os.path.join("two", "app", "use.py"),
    ], result


def test_roots_for_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    use = make_app(tmp_path / "work" / "shop")
    (tmp_path / "work" / "shop" / "app" / "sub").mkdir()
    inner = tmp_path / "work" / "shop" / "app" / "sub" / "deep.py"
    project = str(tmp_path / "work" / "shop")
    assert project_files.roots_for(str(use), project) == (project,)
    assert project_files.roots_for(str(inner), str(inner.parent)) == (project,)
    # no marker: the package root alone; the home directory and "/" never, even when configured
    (tmp_path / "work" / "shop" / "setup.cfg").unlink()
    assert project_files.roots_for(str(use), project) == (project,)
    (tmp_path / ".git").mkdir()  # a dotfiles repository in the home directory is not a project
    script = write(tmp_path, "script.py", "")
    assert project_files.project_root_for(str(script)) is None
    assert project_files.roots_for(str(script), str(tmp_path)) == ()
    assert project_files.roots_for(str(use), project, ["/", str(tmp_path)]) == (project,)
    other = str(tmp_path / "work" / "lib")
    assert project_files.roots_for(str(use), project, [other]) == (other, project)


def test_excluded_directories_are_not_read(tmp_path):
    make_app(tmp_path)
    # A vendored copy that sends the misspelt name: read, it would make the name look in use.
    write(tmp_path, "vendored/copy.py", 'from app.events import bus\nbus.signal("order-payed").send(None)\n')
    assert typo_lines(flake8("app/use.py", cwd=tmp_path).stdout) == []
    for option in ("--extend-exclude=vendored", "--exclude=.git,vendored", f"--exclude={tmp_path}/vendored"):
        result = flake8(option, "app/use.py", cwd=tmp_path)
        assert len(typo_lines(result.stdout)) == 1, (option, result)
    seen = project_index.build_index([str(tmp_path)], exclude=["vendored"]).files_seen
    assert seen == project_index.build_index([str(tmp_path)]).files_seen - 1 == 3
