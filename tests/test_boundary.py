"""One failure boundary: a bug costs one site's or one family's findings, is counted, and is raised
under FLAKE8_SIGNALS_DEBUG=1. Bad input gives no findings instead of an exception."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from flake8_signals import boundary, stats
from flake8_signals.analysis import lifetime
from flake8_signals.api import check_file, check_source
from tests.support import ROOT

_TWO_SITES = textwrap.dedent("""
    from blinker import signal

    changed = signal("changed")


    def first():
        def on_change(sender):
            pass
        changed.connect(on_change)


    def second():
        def on_change(sender):
            pass
        changed.connect(on_change)
""")


@pytest.fixture
def one_broken_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lifetime analysis fails on the first site it judges and works on the others."""
    original = lifetime.LifetimeAnalysis.loss
    calls: list[int] = []

    def loss(self, site):
        calls.append(site.line)
        if len(calls) == 1:
            raise RuntimeError("planted bug")
        return original(self, site)

    monkeypatch.setattr(lifetime.LifetimeAnalysis, "loss", loss)


def test_a_failing_site_costs_only_that_site(one_broken_site, monkeypatch):
    monkeypatch.delenv(boundary.DEBUG_VARIABLE, raising=False)
    before = stats.STATS.swallowed.get(boundary.SITE, 0)
    findings = check_source(_TWO_SITES, "app.py", select=["SIG101"])
    assert [(f.line, f.code) for f in findings] == [(16, "SIG101")]
    assert stats.STATS.swallowed[boundary.SITE] == before + 1


def test_debug_switch_raises_instead(one_broken_site, monkeypatch):
    monkeypatch.setenv(boundary.DEBUG_VARIABLE, "1")
    with pytest.raises(RuntimeError, match="planted bug"):
        check_source(_TWO_SITES, "app.py", select=["SIG101"])


def test_a_failing_family_costs_only_that_family(monkeypatch):
    from flake8_signals.checks import contracts

    def broken(context):
        raise RuntimeError("planted family bug")
        yield  # pragma: no cover

    monkeypatch.delenv(boundary.DEBUG_VARIABLE, raising=False)
    monkeypatch.setattr(contracts, "check", broken)
    before = stats.STATS.swallowed.get(boundary.FAMILY, 0)
    findings = check_source(_TWO_SITES, "app.py")
    assert [f.code for f in findings] == ["SIG101", "SIG101"]
    assert stats.STATS.swallowed[boundary.FAMILY] == before + 1
    monkeypatch.setenv(boundary.DEBUG_VARIABLE, "1")
    with pytest.raises(RuntimeError, match="planted family bug"):
        check_source(_TWO_SITES, "app.py")


def test_flake8_reports_the_debug_exception(tmp_path):
    """Under the switch a bug reaches flake8 (a non-zero exit with the traceback), so a test
    watching flake8 can see it; without it the run goes on."""
    (tmp_path / "app.py").write_text(_TWO_SITES, encoding="utf-8")
    plant = (
        "import runpy, sys\n"
        "from flake8_signals.analysis import lifetime\n"
        "def loss(self, site):\n"
        "    raise RuntimeError('planted bug')\n"
        "lifetime.LifetimeAnalysis.loss = loss\n"
        "sys.argv = ['flake8', '--isolated', '--select', 'SIG', '-j', '1', 'app.py']\n"
        "runpy.run_module('flake8', run_name='__main__')\n"
    )
    quiet = subprocess.run(
        [sys.executable, "-c", plant],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    debug = {"PATH": "", "PYTHONPATH": str(ROOT), boundary.DEBUG_VARIABLE: "1"}
    loud = subprocess.run(
        [sys.executable, "-c", plant], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=debug
    )
    assert loud.returncode != 0
    assert "RuntimeError: planted bug" in loud.stdout + loud.stderr


def test_source_too_deep_for_the_parser_gives_no_findings():
    assert check_source("x = " + " + ".join(["a"] * 20000)) == []


@pytest.mark.parametrize(
    "data",
    [
        b"# coding: utf-16\nx = 1\n",  # even length, no BOM: "UTF-16 stream does not start with BOM"
        b"# coding: utf-16\nx = 1\n\n",  # odd length: truncated data
        b"# coding: no-such-codec\nx = 1\n",
    ],
    ids=["utf16-no-bom", "utf16-truncated", "unknown-codec"],
)
def test_undecodable_file_gives_no_findings(tmp_path, data):
    path = tmp_path / "odd.py"
    path.write_bytes(data)
    assert check_file(path) == []
