"""Signals of libraries, known by import path so they are recognised where the library is not installed
(a pre-commit venv has flake8 and this plugin, rarely Flask). ``tests/test_known_signals.py`` checks
this table against the installed libraries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownSignal:
    attribute: str  # the module attribute, e.g. "request_finished"
    name: str  # the name it has in its namespace, e.g. "request-finished"
    modules: tuple[str, ...]  # every module that exposes it
    namespace: str  # whose namespace it lives in, e.g. "flask"


_FLASK_MODULES = ("flask", "flask.signals")
FLASK_SIGNALS = tuple(
    KnownSignal(attribute, attribute.replace("_", "-"), _FLASK_MODULES, "flask")
    for attribute in (
        "appcontext_popped",
        "appcontext_pushed",
        "appcontext_tearing_down",
        "before_render_template",
        "got_request_exception",
        "message_flashed",
        "request_finished",
        "request_started",
        "request_tearing_down",
        "template_rendered",
    )
)

KNOWN_SIGNALS: dict[str, KnownSignal] = {
    f"{module}.{known.attribute}": known for known in FLASK_SIGNALS for module in known.modules
}

# Callables whose result is a blinker signal, by the full name they are imported under.
SIGNAL_FACTORIES = frozenset({
    "blinker.Signal", "blinker.base.Signal", "blinker.NamedSignal", "blinker.base.NamedSignal",
    "blinker.signal", "blinker.base.signal",
    "blinker.default_namespace.signal", "blinker.base.default_namespace.signal",
})
# Classes whose instances' ``.signal(name)`` returns a blinker signal.
NAMESPACE_CLASSES = frozenset({
    "blinker.Namespace", "blinker.base.Namespace", "blinker.WeakNamespace", "blinker.base.WeakNamespace",
    "flask.signals.Namespace",
})
# Fully qualified names of the classes astroid reports for blinker signals.
SIGNAL_CLASS_QNAMES = frozenset({"blinker.base.Signal", "blinker.base.NamedSignal"})
NAMESPACE_CLASS_QNAMES = frozenset({"blinker.base.Namespace", "blinker.base.WeakNamespace"})
