"""Run one fixture module with the real signal libraries and report what happened to every receiver.

Usage: python runtime_probe.py FIXTURE.py  ->  JSON list on stdout, one record per connect call
made from the fixture file: {"line", "lines" (every fixture line on the stack, innermost first),
"library", "weak", "alive", "disconnected", "receiver", "weakrefable"}.

Every library model's runtime hooks (``flake8_signals.libraries``) whose module is installed are
wrapped, so blinker, Django (with ``DEBUG=False``, as in production; ``PROBE_DJANGO_DEBUG=1`` for
``DEBUG=True``), celery, PyDispatcher (and Scrapy through it) and psygnal connections are all seen.
The fixture is imported under a name other than __main__, then its ``exercise()`` (if any) is
called; afterwards garbage is collected and each connected receiver is checked.
"""

from __future__ import annotations

import ast
import functools
import gc
import importlib
import importlib.util
import json
import os
import sys
import weakref

from flake8_signals.libraries import LIBRARIES

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


def _site_lines() -> list[int]:
    """The fixture's lines on the stack that (perhaps through the library's own code) made this
    call, innermost first: a connect inside a wrapper of the fixture, then the wrapper's call."""
    lines = []
    frame = sys._getframe(2)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == target:
            lines.append(_DECORATED.get(frame.f_lineno, frame.f_lineno))
        frame = frame.f_back
    return lines


def _reference(receiver):
    try:
        if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
            return weakref.WeakMethod(receiver)
        return weakref.ref(receiver)
    except TypeError:
        return None


def _resolve(module, attribute):
    owner_name, _, name = attribute.rpartition(".")
    owner = getattr(module, owner_name) if owner_name else module
    return owner, name


def _wrap(library, hook) -> None:
    try:
        module = importlib.import_module(hook.module)
    except ImportError:
        return  # not installed: its fixtures are not probed
    owner, name = _resolve(module, hook.attribute)
    original = getattr(owner, name)
    is_method = owner is not module

    @functools.wraps(original)
    def connect(*args, **kwargs):
        call_args = args[1:] if is_method else args
        lines = _site_lines()
        receiver = hook.receiver_of(call_args, kwargs)
        if lines and receiver is not None:
            records.append(
                {
                    "line": lines[0],
                    "lines": lines,
                    "library": library.key,
                    "weak": hook.weak_at_run_time(call_args, kwargs),
                    "ref": _reference(receiver),
                    "disconnected": False,
                    "receiver": getattr(receiver, "__qualname__", type(receiver).__name__),
                }
            )
        return original(*args, **kwargs)

    setattr(owner, name, connect)
    if hook.disconnect:
        dis_owner, dis_name = _resolve(module, hook.disconnect)
        dis_original = getattr(dis_owner, dis_name)

        @functools.wraps(dis_original)
        def disconnect(*args, **kwargs):
            call_args = args[1:] if is_method else args
            receiver = call_args[0] if call_args else kwargs.get(hook.receiver.name)
            for record in records:
                if record["ref"] is not None and record["ref"]() is receiver:
                    record["disconnected"] = True
            return dis_original(*args, **kwargs)

        setattr(dis_owner, dis_name, disconnect)


def _configure_django() -> None:
    try:
        from django.conf import settings
    except ImportError:
        return
    if not settings.configured:
        settings.configure(DEBUG=os.environ.get("PROBE_DJANGO_DEBUG") == "1")


_configure_django()
for _library in LIBRARIES:
    for _hook in _library.runtime_hooks:
        _wrap(_library, _hook)

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
    record["alive"] = ref is not None and ref() is not None
    record["weakrefable"] = ref is not None
    out.append(record)
json.dump(out, sys.stdout)
