"""Run one fixture module with real blinker and report what happened to every weak receiver.

Usage: python runtime_probe.py FIXTURE.py  ->  JSON list on stdout, one record per connect() call
made from the fixture file: {"line", "weak", "alive", "disconnected", "receiver"}.

The fixture is imported under a name other than __main__, then its ``exercise()`` (if any) is
called; afterwards garbage is collected and each weakly connected receiver is checked.
"""

from __future__ import annotations

import ast
import gc
import importlib.util
import json
import os
import sys
import weakref

import blinker.base

target = os.path.abspath(sys.argv[1])
records: list[dict] = []
# Python 3.10 attributes a decorator's call to the `def` line (3.11+ to the decorator's line);
# findings are reported at the outermost decorator, so map the one to the other.
with open(target, encoding="utf-8") as _handle:
    _DECORATED = {
        node.lineno: node.decorator_list[0].lineno
        for node in ast.walk(ast.parse(_handle.read()))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list
    }
original_connect = blinker.base.Signal.connect
original_disconnect = blinker.base.Signal.disconnect


def _site_line() -> int | None:
    frame = sys._getframe(2)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == target:
            return _DECORATED.get(frame.f_lineno, frame.f_lineno)
        if frame.f_code.co_filename not in (blinker.base.__file__, __file__):
            return None  # connected by some library on its own behalf
        frame = frame.f_back
    return None


def _reference(receiver):
    try:
        if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
            return weakref.WeakMethod(receiver)
        return weakref.ref(receiver)
    except TypeError:
        return None


def connect(self, receiver, sender=blinker.base.ANY, weak=True):
    line = _site_line()
    if line is not None:
        records.append(
            {
                "line": line,
                "weak": bool(weak),
                "ref": _reference(receiver),
                "disconnected": False,
                "receiver": getattr(receiver, "__qualname__", type(receiver).__name__),
                "id": id(receiver),
            }
        )
    return original_connect(self, receiver, sender, weak)


def disconnect(self, receiver, sender=blinker.base.ANY):
    for record in records:
        if record["ref"] is not None and record["ref"]() is receiver:
            record["disconnected"] = True
    return original_disconnect(self, receiver, sender)


blinker.base.Signal.connect = connect
blinker.base.Signal.disconnect = disconnect

sys.path.insert(0, os.path.dirname(target))
spec = importlib.util.spec_from_file_location("fixture_under_probe", target)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
if hasattr(module, "exercise"):
    module.exercise()
gc.collect()
gc.collect()

out = []
for record in records:
    ref = record.pop("ref")
    record.pop("id")
    record["alive"] = ref is not None and ref() is not None
    record["weakrefable"] = ref is not None
    out.append(record)
json.dump(out, sys.stdout)
