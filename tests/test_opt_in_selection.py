"""Which selections switch an opt-in rule on (issue 14, item 1), with the real commands.

An opt-in rule (``default_enabled=False``; SIG291 today) runs only when its own code, or a prefix
longer than ``SIG``, is named in ``select`` or ``extend-select``; ``--select SIG`` means the
rules that are on by default. ``flake8-signals check`` behaves as ``flake8 --select SIG``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake8_signals.plugin import Plugin
from flake8_signals.rules import RULES

# SIG291 on line 8 (nothing sends 'audit-requested'), SIG101 (on by default) on line 16.
MODULE = """\
from blinker import signal


def on_audit(sender, **extra):
    pass


signal("audit-requested").connect(on_audit)


def install():
    def on_restock(sender, **extra):
        pass

    signal("restock-due").send(None)
    signal("restock-due").connect(on_restock)
"""
BOTH = {(8, "SIG291"), (16, "SIG101")}
DEFAULT = {(16, "SIG101")}
OPT_IN = {(8, "SIG291")}
NONE: set[tuple[int, str]] = set()

# (command-line arguments, [flake8] section of setup.cfg, what `flake8 ARGS` reports,
#  what `flake8 --select SIG ARGS` and `flake8-signals check ARGS` report)
SPELLINGS = [
    ([], "", DEFAULT, DEFAULT),
    (["--select", "SIG"], "", DEFAULT, DEFAULT),
    (["--extend-select", "SIG"], "", DEFAULT, DEFAULT),
    (["--extend-select", "SIG291"], "", BOTH, BOTH),
    (["--select", "SIG291"], "", OPT_IN, OPT_IN),
    (["--select", "SIG29"], "", OPT_IN, OPT_IN),
    (["--select", "SIG,SIG291"], "", BOTH, BOTH),
    (["--extend-select", "SIG2"], "", BOTH, BOTH),
    (["--extend-ignore", "SIG291", "--extend-select", "SIG291"], "", DEFAULT, DEFAULT),
    # flake8-bandit users' setting: S covers every SIG code, a longer selected prefix wins.
    (["--extend-ignore", "S"], "", NONE, DEFAULT),
    (["--extend-ignore", "S", "--extend-select", "SIG"], "", DEFAULT, DEFAULT),
    (["--extend-ignore", "S", "--extend-select", "SIG291"], "", OPT_IN, BOTH),
    (["--extend-ignore", "S", "--extend-select", "SIG,SIG291"], "", BOTH, BOTH),
    # the same in a configuration file
    ([], "extend-select = SIG291", BOTH, BOTH),
    ([], "extend-select = SIG29", BOTH, BOTH),
    # --select on the command line (which check passes) replaces the file's select
    ([], "select = SIG,SIG291", BOTH, DEFAULT),
    ([], "select = SIG", DEFAULT, DEFAULT),
    ([], "extend-ignore = S", NONE, DEFAULT),
    ([], "extend-ignore = S\nextend-select = SIG", DEFAULT, DEFAULT),
    ([], "extend-ignore = S\nextend-select = SIG291", OPT_IN, BOTH),
    ([], "extend-ignore = S\nextend-select = SIG291\nselect = SIG291", OPT_IN, BOTH),
]


def codes(*command: str, cwd: Path) -> set[tuple[int, str]]:
    result = subprocess.run([sys.executable, *command], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.stderr == "", result.stderr
    assert result.returncode == (1 if result.stdout else 0), result.stdout
    found = set()
    for line in result.stdout.splitlines():
        _path, number, _col, text = line.split(":", 3)
        found.add((int(number), text.split()[0]))
    return found


# The fast loop runs these; the others are marked slow (they still run in CI).
FAST = {"--select SIG", "--extend-ignore S --extend-select SIG291", "extend-select = SIG291"}


def _id(args: list[str], config: str) -> str:
    return " ".join(args) + (" " if args and config else "") + config.replace("\n", "; ")


@pytest.mark.parametrize(
    ("args", "config", "by_flake8", "by_select_sig"),
    [
        pytest.param(
            *spelling, id=_id(*spelling[:2]), marks=() if _id(*spelling[:2]) in FAST else pytest.mark.slow
        )
        for spelling in SPELLINGS
    ],
)
def test_spelling(tmp_path, args, config, by_flake8, by_select_sig):
    (tmp_path / "app.py").write_text(MODULE)
    (tmp_path / "setup.cfg").write_text(f"[flake8]\n{config}\n")
    assert codes("-m", "flake8", *args, "app.py", cwd=tmp_path) == by_flake8
    assert codes("-m", "flake8", "--select", "SIG", *args, "app.py", cwd=tmp_path) == by_select_sig
    assert codes("-m", "flake8_signals.cli", "check", *args, "app.py", cwd=tmp_path) == by_select_sig


OPT_IN_CODES = sorted(code for code, rule in RULES.items() if not rule.default_enabled)


def enabled(*args: str) -> frozenset[str]:
    """The codes the plugin enables for these flake8 arguments (flake8's own option parsing)."""
    from flake8.options.parse_args import parse_args

    parse_args(["--isolated", *args])  # calls Plugin.parse_options
    config = Plugin._config
    assert config is not None
    return config.enabled


@pytest.mark.parametrize("code", OPT_IN_CODES)
def test_every_opt_in_rule_needs_its_own_name(code, monkeypatch):
    """Derived from the declarations, so a new opt-in rule is covered too."""
    monkeypatch.setattr(Plugin, "_config", None)  # parse_options sets it: restore it afterwards
    default_on = {c for c, rule in RULES.items() if rule.default_enabled}
    for args in ([], ["--select", "SIG"], ["--extend-select", "SIG"], ["--select", "S"]):
        assert enabled(*args) == default_on, args
    for prefix in {code, code[:5], code[:4]}:
        assert code in enabled("--extend-select", prefix), prefix
        assert code in enabled("--select", prefix), prefix
        assert code in enabled("--extend-ignore", "S", "--extend-select", prefix), prefix
    assert code not in enabled("--extend-select", code, "--extend-ignore", code)
