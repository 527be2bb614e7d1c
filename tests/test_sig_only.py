"""``flake8-signals check`` against ``flake8 --select SIG``: both real commands, same output.

Each comparison runs both commands in subprocesses with the same arguments in the same
directory and compares exit status, standard output line for line, and standard error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_signals import sig_only
from tests.support import FIXTURES, ROOT

EXAMPLES = ROOT / "examples"
# Each family directory is its own project: both commands run from inside it.
PROJECTS = [*sorted(p for p in FIXTURES.iterdir() if p.is_dir()), EXAMPLES]
SEED = EXAMPLES / "myapp" / "signals.py"


def run(command: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *command], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300
    )


def flake8(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run(["-m", "flake8", "--select", "SIG", *args], cwd, stdin)


def check(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run(["-m", "flake8_signals.cli", "check", *args], cwd, stdin)


def same(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Both commands; assert they agree, return check's result."""
    expected = flake8(*args, cwd=cwd, stdin=stdin)
    got = check(*args, cwd=cwd, stdin=stdin)
    assert got.stderr == expected.stderr
    assert got.stdout.splitlines() == expected.stdout.splitlines()
    assert got.returncode == expected.returncode
    return got


def sig_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": SIG" in line]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "options",
    [[], pytest.param(["-j", "2", "--extend-select", "SIG291"], marks=pytest.mark.slow)],
    ids=["j1", "j2+SIG291"],
)
def test_same_findings_as_flake8(project: Path, options: list[str]) -> None:
    result = same(*options, ".", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and lines == sig_lines(result)


def test_clean_code_exits_zero() -> None:
    result = same("myapp_fixed/", cwd=EXAMPLES)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "start_method", ["fork", "forkserver", pytest.param("spawn", marks=pytest.mark.slow)]
)
def test_workers_run_only_this_plugin_under_every_start_method(tmp_path: Path, start_method: str) -> None:
    """With E, F and W selected too, flake8 reports them; check must not, in its workers too:
    under forkserver and spawn each worker parses the arguments again."""
    project = tmp_path / "lifetime"
    shutil.copytree(FIXTURES / "lifetime", project)
    # pyflakes is a tree plugin, as this one: F401 in a file the SIG prefilter lets through
    (project / "unused_import.py").write_text("import os\n" + SEED.read_text(encoding="utf-8"))
    everything = flake8("-j", "2", "--extend-select", "E,F,W", ".", cwd=project)
    shown = everything.stdout.splitlines()
    assert any(": E" in line for line in shown) and any(": F401" in line for line in shown)
    driver = (
        "import multiprocessing, sys; multiprocessing.set_start_method(sys.argv[1]); "
        "from flake8_signals.cli import main; sys.exit(main(sys.argv[2:]))"
    )
    result = run(["-c", driver, start_method, "check", "-j", "2", "--extend-select", "E,F,W", "."], project)
    assert result.stderr == ""
    assert result.stdout.splitlines() == sig_lines(everything)
    assert result.returncode == 1


def project_with_config(root: Path) -> Path:
    """Findings that a config file, per-file-ignores, exclude and # noqa each take away."""
    source = SEED.read_text(encoding="utf-8")
    for directory in ("app", "legacy", "build"):
        (root / directory).mkdir()
        (root / directory / "__init__.py").write_text("")
        (root / directory / "signals.py").write_text(source)
    quiet = source.replace("app)\n", "app)  # noqa: SIG101\n")
    assert quiet != source
    (root / "app" / "quiet.py").write_text(quiet)
    (root / "app" / "other_noqa.py").write_text(source.replace("app)\n", "app)  # noqa: SIG102\n"))
    (root / "setup.cfg").write_text(
        "[flake8]\nexclude = build\nper-file-ignores =\n    legacy/*: SIG101\nformat = pylint\n"
    )
    return root


def test_config_file_per_file_ignores_exclude_and_noqa(tmp_path: Path) -> None:
    project = project_with_config(tmp_path)
    result = same(".", cwd=project)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "./app/other_noqa.py",
        "./app/signals.py",
    ]
    assert all("[SIG101]" in line for line in result.stdout.splitlines())  # format = pylint
    assert result.returncode == 1
    # and on the command line instead of the file
    (project / "setup.cfg").unlink()
    result = same(
        "--exclude", "build,legacy", "--per-file-ignores", "app/other_noqa.py:SIG1", ".", cwd=project
    )
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["./app/signals.py"]


@pytest.mark.parametrize("output_format", ["sig-sarif", "sig-codeclimate", "sig-github", "default"])
def test_formats_and_output_file(tmp_path: Path, output_format: str) -> None:
    outputs = {}
    for name, command in (("flake8", flake8), ("check", check)):
        out = tmp_path / f"{name}.out"
        result = command(f"--format={output_format}", f"--output-file={out}", "myapp/", cwd=EXAMPLES)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
        outputs[name] = out.read_text(encoding="utf-8")
    assert outputs["check"] == outputs["flake8"]
    assert "SIG101" in outputs["check"]
    if output_format == "sig-sarif":
        results = json.loads(outputs["check"])["runs"][0]["results"]
        assert [
            (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
        ] == [("SIG101", 9)]


def test_unreadable_file_is_reported_as_flake8_does() -> None:
    result = same("--extend-select", "E902", "no_such_module.py", cwd=EXAMPLES)
    assert result.stdout.startswith("no_such_module.py:0:1: E902 FileNotFoundError")
    assert result.returncode == 1


def test_standard_input_as_editors_use_it() -> None:
    result = same("--stdin-display-name=myapp/signals.py", "-", cwd=EXAMPLES, stdin=SEED.read_text())
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == ["myapp/signals.py:9:5"]


def test_source_roots_option(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "projects", tmp_path / "projects")
    project = tmp_path / "projects"
    result = same("--signals-source-roots=.", "-j", "1", "shop/", cwd=project)
    assert sig_lines(result)


def test_help_is_flake8s_with_the_plugins_options() -> None:
    result = check("--help", cwd=ROOT)
    assert result.returncode == 0
    assert "--extend-select" in result.stdout and "--signals-source-roots" in result.stdout


def test_without_the_plugin_loaded_it_refuses_to_run() -> None:
    from flake8.plugins import finder

    empty = finder.Plugins(finder.Checkers([], [], []), reporters={}, disabled=[])
    with pytest.raises(Exception, match="did not load the flake8-signals plugin"):
        sig_only.sig_only(empty)


def test_files_without_a_candidate_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_signals.plugin import Plugin

    monkeypatch.setattr(Plugin, "_config", None)  # the default selection
    assert Plugin.wants(["import os\n", "os.sep\n"]) is False
    assert Plugin.wants(["def f(): pass\n", "sig.connect(f)\n"]) is True
    assert Plugin.wants(["sig.send(None)\n"]) is True
    assert Plugin.wants(["ns.signal('x')\n"]) is True


@pytest.mark.parametrize(
    "text",
    [
        "sig.connect(f)",
        "@sig.connect\ndef f(): pass",
        "sig.connect_via(app)",
        "sig.connected_to(f)",
        "with sig.temporarily_connected_to(f): pass",
        "@receiver (post_save)",
        "connect(f)",
        "db.connection.cursor()",
        "reconnect(f)",
        "self.receivers",
        "",
    ],
)
def test_connect_prefilter_agrees_with_its_expression(text: str) -> None:
    from flake8_signals.libraries import CONNECT_TEXT, has_connect_text

    assert has_connect_text(text) is (CONNECT_TEXT.search(text) is not None)


def test_connect_prefilter_agrees_on_the_repositorys_own_files() -> None:
    from flake8_signals.libraries import CONNECT_TEXT, has_connect_text

    paths = [path for top in ("flake8_signals", "tests", "examples") for path in (ROOT / top).rglob("*.py")]
    sources = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    assert sum(has_connect_text(s) for s in sources) > 50
    assert [has_connect_text(s) for s in sources] == [CONNECT_TEXT.search(s) is not None for s in sources]
