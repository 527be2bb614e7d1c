"""analysis/heap.py: the collector is paused for one file's analysis and restored after it."""

from __future__ import annotations

import gc

import pytest

from flake8_signals.analysis import heap
from flake8_signals.api import check_source
from flake8_signals.checks import lifetime


def test_paused_collector_restores_the_state_it_found() -> None:
    assert gc.isenabled()
    with heap.paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled(), "a collector that was off must stay off"
    finally:
        gc.enable()


def test_paused_collector_restores_it_when_the_analysis_raises() -> None:
    with pytest.raises(ValueError), heap.paused_collector():
        raise ValueError
    assert gc.isenabled()


def test_a_files_analysis_runs_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = lifetime.check

    def check(context):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        yield from original(context)

    monkeypatch.setattr(lifetime, "check", check)
    source = "from blinker import signal\n\ndef f():\n    def g(sender):\n        pass\n\n"
    source += "    signal('x').connect(g)\n"
    assert [f.code for f in check_source(source, "m.py")] == ["SIG101"]
    assert seen == [False]
    assert gc.isenabled()
