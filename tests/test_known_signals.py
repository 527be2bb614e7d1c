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


def test_pelicans_table_is_every_signal_of_pelican_plugins_signals():
    """pelican's signals are named signals of blinker's default namespace; the table lists them
    all, each under its attribute and its name, exported where it says."""
    signals = pytest.importorskip("pelican.plugins.signals")
    from flake8_signals.libraries.blinker import PELICAN_SIGNALS

    module_level = {
        name: value.name for name, value in vars(signals).items() if isinstance(value, blinker.NamedSignal)
    }
    assert {s.attribute: s.name for s in PELICAN_SIGNALS} == module_level
    for known in PELICAN_SIGNALS:
        assert known.namespace == "blinker.default_namespace"
        for module_name in known.modules:
            # `pelican.signals` is the package's attribute (the module of that name only raises)
            parent, _, child = module_name.rpartition(".")
            module = getattr(importlib.import_module(parent), child)
            value = getattr(module, known.attribute)
            assert value is blinker.signal(known.name)
            assert KNOWN_SIGNALS[f"{module_name}.{known.attribute}"].signal is known
