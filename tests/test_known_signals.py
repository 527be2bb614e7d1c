"""The built-in table of Flask's signals (used where Flask is not installed) matches Flask."""

from __future__ import annotations

import importlib

import blinker
import pytest

from flake8_signals.libraries import KNOWN_SIGNALS
from flake8_signals.libraries.blinker import FLASK_SIGNALS

flask_signals = pytest.importorskip("flask.signals")


def test_table_lists_every_signal_of_flasks_namespace():
    assert {s.name for s in FLASK_SIGNALS} == set(flask_signals._signals)


@pytest.mark.parametrize("known", FLASK_SIGNALS, ids=lambda s: s.attribute)
def test_each_entry_is_the_real_signal(known):
    for module_name in known.modules:
        module = importlib.import_module(module_name)
        value = getattr(module, known.attribute)
        assert isinstance(value, blinker.NamedSignal)
        assert value.name == known.name
        assert value is flask_signals._signals[known.name]
        assert KNOWN_SIGNALS[f"{module_name}.{known.attribute}"].signal is known


def test_flask_signals_are_not_in_blinkers_default_namespace():
    """Why the table records the namespace: a lookup by name in blinker's default namespace
    gives a different signal."""
    assert blinker.signal("request-started") is not flask_signals.request_started
