"""Run fixture modules with real blinker and report what every signal looked up by name did.

Usage: python names_probe.py DIRECTORY MODULE [MODULE ...]  ->  JSON on stdout

DIRECTORY goes on sys.path; each MODULE is imported, then the ``exercise()`` of each (if any) is
called. Recorded, for calls made from files under DIRECTORY:

* ``lookups``: every ``Namespace.signal(name)`` / ``blinker.signal(name)`` / ``ns[name]``:
  {"file", "line", "name", "default": looked up in blinker's default namespace, "signal": an id,
  "delivered": how many receiver calls that signal made in all}
* ``connects``: every ``connect()``: {"file", "line", "signal", "fired": times the receiver ran}
* ``missing``: every ``ns[name]`` of a name the namespace lacked (the KeyError): {"file", "line", "name"}

Receivers are held strongly here (this probe is about names, not lifetimes).
"""

from __future__ import annotations

import importlib
import json
import os
import sys

import blinker
import blinker.base

directory = os.path.abspath(sys.argv[1])
signal_ids: dict[int, int] = {}  # id(signal) -> small number
signals: list[object] = []  # keeps every recorded signal alive, so ids stay unique
delivered: dict[int, int] = {}
lookups: list[dict] = []
connects: list[dict] = []
missing: list[dict] = []


def _site() -> tuple[str, int] | None:
    """The fixture line that made the call, or None when a library made it on its own behalf
    (Flask declaring its signals while it is imported)."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if filename.startswith(directory + os.sep):
            return os.path.relpath(filename, directory), frame.f_lineno
        if filename not in (os.path.abspath(blinker.base.__file__), os.path.abspath(__file__)):
            return None
        frame = frame.f_back
    return None


def _number(sig: object) -> int:
    if id(sig) not in signal_ids:
        signal_ids[id(sig)] = len(signals)
        signals.append(sig)
    return signal_ids[id(sig)]


original_signal = blinker.base.Namespace.signal
original_connect = blinker.base.Signal.connect
original_send = blinker.base.Signal.send


def signal(self, name, doc=None):
    result = original_signal(self, name, doc)
    site = _site()
    if site is not None:
        lookups.append(
            {
                "file": site[0],
                "line": site[1],
                "name": name,
                "default": self is blinker.base.default_namespace,
                "signal": _number(result),
            }
        )
    return result


def __missing__(self, name):
    site = _site()
    if site is not None:
        missing.append({"file": site[0], "line": site[1], "name": name})
    raise KeyError(name)


def __getitem__(self, name):
    result = dict.__getitem__(self, name)
    if sys._getframe(1).f_code is original_signal.__code__:
        return result  # ns.signal(name) reads self[name]: recorded as that lookup
    site = _site()
    if site is not None:
        lookups.append(
            {
                "file": site[0],
                "line": site[1],
                "name": name,
                "default": self is blinker.base.default_namespace,
                "signal": _number(result),
            }
        )
    return result


def connect(self, receiver, sender=blinker.ANY, weak=True):
    site = _site()
    if site is None:
        return original_connect(self, receiver, sender, weak)
    record = {"file": site[0], "line": site[1], "signal": _number(self), "fired": 0}
    connects.append(record)

    def counted(*args, **kwargs):
        record["fired"] += 1
        return receiver(*args, **kwargs)

    original_connect(self, counted, sender, weak=False)
    return receiver


def send(self, *args, **kwargs):
    sender = args[0] if args else None
    count = sum(1 for _ in self.receivers_for(sender))
    if count:
        key = _number(self)
        delivered[key] = delivered.get(key, 0) + count
    return original_send(self, *args, **kwargs)


blinker.base.Namespace.signal = signal
blinker.base.Namespace.__missing__ = __missing__
blinker.base.Namespace.__getitem__ = __getitem__
blinker.base.Signal.connect = connect
blinker.base.Signal.send = send
blinker.signal = blinker.base.signal = blinker.base.default_namespace.signal  # re-bound to the patch

sys.path.insert(0, directory)
modules = [importlib.import_module(name) for name in sys.argv[2:]]
for module in modules:
    if hasattr(module, "exercise"):
        module.exercise()

for record in lookups:
    record["delivered"] = delivered.get(record["signal"], 0)
for record in connects:
    record["delivered"] = delivered.get(record["signal"], 0)
json.dump({"lookups": lookups, "connects": connects, "missing": missing}, sys.stdout)
