"""The limits the docs warn about are real, run through the flake8 command.

- docs/pre-commit.md: a hook run on a changed declaring module alone does not re-check the
  unchanged files whose lookups the change broke; a run over the project does.
- docs/configuration.md: ``extend-ignore = S`` silences the default rules, not an opt-in rule
  named by its code; with bandit's codes listed instead both work.
- docs/ci.md: ``--count`` makes a JSON report on standard output invalid; ``--output-file``
  keeps the file valid.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DECLARATIONS = """\
from blinker import Namespace

shop = Namespace()
order_settled = shop.signal("order-settled")
"""
HANDLERS = """\
from shop.signals import shop


def on_paid(sender, **extra):
    pass


shop.signal("order-paid").connect(on_paid)
"""
LEGACY = """\
import blinker


def on_tick(sender, **extra):
    pass


blinker.signal("tick").connect(on_tick)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "signals.py").write_text(DECLARATIONS)
    (package / "handlers.py").write_text(HANDLERS)
    (package / "legacy.py").write_text(LEGACY)
    return tmp_path


def flake8(project: Path, *args: str, config: str = "") -> subprocess.CompletedProcess[str]:
    (project / ".flake8").write_text(f"[flake8]\n{config}\n")
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args], cwd=project, capture_output=True, text=True, timeout=120
    )


def codes(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    assert not proc.stderr, proc.stderr
    return [(line.split(":")[0], line.split()[1]) for line in proc.stdout.splitlines()]


def test_a_changed_declaration_alone_does_not_recheck_its_users(project: Path) -> None:
    assert codes(flake8(project, "--select", "SIG", "shop/signals.py")) == []
    assert ("./shop/handlers.py", "SIG201") in codes(flake8(project, "--select", "SIG", "."))


@pytest.mark.parametrize(
    ("config", "args", "default_rules_on", "opt_in_on"),
    [
        ("extend-ignore = S\nextend-select = SIG291", (), False, True),  # S silences SIG, not SIG291
        ("extend-ignore = S\nextend-select = SIG", (), True, False),
        ("extend-ignore = S", ("--select", "SIG291"), False, True),
        ("extend-ignore = S", ("--select", "SIG"), True, False),  # --select SIG: the default rules
    ],
)
def test_ignoring_s_and_the_opt_in_rules(
    project: Path, config: str, args: tuple[str, ...], default_rules_on: bool, opt_in_on: bool
) -> None:
    found = codes(flake8(project, *args, ".", config=config))
    assert (("./shop/legacy.py", "SIG291") in found) is opt_in_on
    assert (("./shop/handlers.py", "SIG201") in found) is default_rules_on


def test_opt_in_rules_work_beside_bandit_codes(project: Path) -> None:
    found = codes(flake8(project, ".", config="extend-ignore = S101,S311\nextend-select = SIG291"))
    assert ("./shop/legacy.py", "SIG291") in found
    assert ("./shop/handlers.py", "SIG201") in found
    # and --select SIG alone, the hook's selection, leaves them off
    assert ("./shop/legacy.py", "SIG291") not in codes(flake8(project, "--select", "SIG", "."))


@pytest.mark.parametrize("report", ["sig-sarif", "sig-codeclimate"])
def test_count_breaks_json_on_stdout_but_not_in_an_output_file(project: Path, report: str) -> None:
    piped = flake8(project, f"--format={report}", "--count", ".")
    with pytest.raises(json.JSONDecodeError, match="Extra data"):
        json.loads(piped.stdout)
    assert piped.stdout.rstrip().endswith("\n1")
    written = flake8(project, f"--format={report}", "--count", "--output-file=report.json", ".")
    assert written.stdout == "1\n"
    json.loads((project / "report.json").read_text())
