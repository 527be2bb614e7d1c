"""The SIG1xx fixtures cannot drift from reality: each is executed with real blinker (and Flask),
garbage is collected, and every weakly connected receiver is checked.

- a receiver connected on a line the fixture marks with a SIG1xx code must be dead;
- any other weakly connected receiver must be alive, unless it was disconnected on purpose or
  the line is marked ``# scoped`` (a connection meant to last only while its function runs,
  which the rule deliberately leaves alone);
- every marked line must actually have run.
"""

from __future__ import annotations

import pytest

from tests.support import FIXTURES, read_markers, run_probe

LIFETIME_FIXTURES = sorted((FIXTURES / "lifetime").glob("sig*.py"))


@pytest.mark.parametrize("path", LIFETIME_FIXTURES, ids=lambda p: p.name)
def test_flagged_receivers_die_and_others_live(path):
    markers = read_markers(path)
    flagged, scoped = markers.flagged_lines("SIG1"), markers.scoped
    records = run_probe(path)
    weak = [r for r in records if r["weak"] and r["weakrefable"] and not r["disconnected"]]

    # A connect inside a wrapper of the fixture counts for the wrapper's call too.
    survived_though_flagged = [r for r in weak if flagged & set(r["lines"]) and r["alive"]]
    died_though_unflagged = [r for r in weak if not (flagged | scoped) & set(r["lines"]) and not r["alive"]]
    never_ran = flagged - {line for r in records for line in r["lines"]}
    assert not survived_though_flagged, f"flagged but alive: {survived_though_flagged}"
    assert not died_though_unflagged, f"lost but not flagged: {died_though_unflagged}"
    assert not never_ran, f"flagged lines the fixture never executed: {sorted(never_ran)}"


@pytest.mark.parametrize("path", LIFETIME_FIXTURES, ids=lambda p: p.name)
def test_scoped_connections_really_end_with_their_function(path):
    """`# scoped` is a claim too: the receiver works while its function runs and is gone after."""
    scoped = read_markers(path).scoped
    records = [r for r in run_probe(path) if r["line"] in scoped and r["weak"]]
    assert {r["line"] for r in records} == scoped
    assert all(r["disconnected"] or not r["alive"] for r in records)


def test_probe_detects_a_dead_receiver(tmp_path):
    """The probe itself can tell dead from alive (a test that cannot fail is a defect)."""
    module = tmp_path / "probe_case.py"
    module.write_text(
        "from blinker import signal\n"
        "s = signal('probe')\n"
        "def keep(sender): pass\n"
        "s.connect(keep)\n"
        "s.connect(lambda sender: None)\n",
        encoding="utf-8",
    )
    records = {r["line"]: r["alive"] for r in run_probe(module)}
    assert records == {4: True, 5: False}
