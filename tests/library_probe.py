"""Run one library fixture with the real signal libraries and report, per connect call made from
the fixture, whether the library called the receiver and what the call raised.

Usage: python library_probe.py FIXTURE.py  ->  JSON list on stdout, one record per connect call:
{"line", "library", "receiver", "codes", "own", "connect_error", "calls", "errors"}; ``own`` says
whether the receiver's code is the fixture's (importing a library from the fixture can connect
the library's own receivers, which are attributed to the import line).

- ``calls``: {"exercise": n, "send_all": n}, how often the receiver's code ran while the fixture's
  ``exercise()`` ran, and while its ``send_all()`` (if it has one) ran after garbage was collected.
  Calls are counted per code object (``sys.setprofile``), so the receiver is never referenced:
  ``codes`` lists the code objects' ids, and a code object shared by connections on several lines
  counts for each of them (the test only relies on counts of unshared code).
- ``connect_error``: [type, message] when the library's connect() refused the receiver (celery's
  "must accept keyword arguments"); the probe records it and lets the fixture go on, as if
  connect() had returned None.
- ``errors``: [[type, message], ...] that calling the receiver raised during a send. Sends are run
  so that one failing receiver does not stop the others, through the library's own robust send
  (:data:`ROBUST_SENDS`), and each exception is recorded against the receiver that raised it.

The connect calls are found through every library model's ``runtime_hooks`` whose module is
installed (tests/probe_hooks.py); Django runs with ``DEBUG=False``.
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import os
import sys

from probe_hooks import configure_django, import_fixture, reference, target, wrap_connects

# (module, class, send method, robust send of the same class, its failure logger or None): the
# robust send calls every receiver the way the send does and returns (receiver, result or
# exception) pairs; celery's send() is robust already. The logger is silenced: Django's reads
# receiver.__qualname__, which a functools.partial or a callable instance does not have, and
# raises AttributeError instead of logging (Django 5.2).
ROBUST_SENDS = (
    ("django.dispatch.dispatcher", "Signal", "send", "send_robust", "_log_robust_failure"),
    ("celery.utils.dispatch.signal", "Signal", "send", "send", None),
)

records: list[dict] = []
_phase = ["import"]
_calls: dict[int, dict[str, int]] = {}  # id(code) -> phase -> calls


def _codes(receiver: object, depth: int = 0) -> list:
    """The code objects that run when ``receiver`` is called."""
    if depth > 4:
        return []
    if isinstance(receiver, functools.partial):
        return _codes(receiver.func, depth + 1)
    function = getattr(receiver, "__func__", receiver)
    code = getattr(function, "__code__", None)
    if code is not None:
        return [code]
    call = type(receiver).__call__ if callable(receiver) else None
    code = getattr(call, "__code__", None)
    return [code] if code is not None else []


def _profile(frame, event, arg) -> None:
    if event == "call":
        counts = _calls.get(id(frame.f_code))
        if counts is not None:
            counts[_phase[0]] = counts.get(_phase[0], 0) + 1


def _connected(library, hook, lines, call_args, kwargs, call):
    receiver = hook.receiver_of(call_args, kwargs)
    record = None
    if lines and receiver is not None:
        codes = _codes(receiver)
        for code in codes:
            _calls.setdefault(id(code), {})
        record = {
            "line": lines[0],
            "library": library.key,
            "receiver": getattr(receiver, "__qualname__", type(receiver).__name__),
            "codes": [id(code) for code in codes],
            "own": any(os.path.abspath(code.co_filename) == target for code in codes),
            "ref": reference(receiver),
            "connect_error": None,
            "errors": [],
        }
        records.append(record)
    try:
        return call()
    except (TypeError, ValueError) as error:
        if record is None:
            raise
        record["connect_error"] = [type(error).__name__, str(error)]
        return None


def _record_error(receiver: object, error: BaseException) -> None:
    codes = {id(code) for code in _codes(receiver)}
    for record in records:
        ref = record["ref"]
        same = ref is not None and ref() is not None and (ref() is receiver or ref() == receiver)
        if same or (ref is None and codes & set(record["codes"])):
            record["errors"].append([type(error).__name__, str(error)])


def _wrap_send(module_name: str, class_name: str, send: str, robust: str, logger: str | None) -> None:
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except ImportError:
        return
    run = getattr(cls, robust)
    if logger is not None:
        setattr(cls, logger, lambda self, receiver, error: None)

    @functools.wraps(getattr(cls, send))
    def send_each(self, *args, **kwargs):
        responses = run(self, *args, **kwargs)
        for receiver, response in responses:
            if isinstance(response, BaseException):
                _record_error(receiver, response)
        return responses

    setattr(cls, send, send_each)


configure_django(debug=False)
wrap_connects(_connected)
for _send in ROBUST_SENDS:
    _wrap_send(*_send)

sys.setprofile(_profile)
module = import_fixture()
_phase[0] = "exercise"
if hasattr(module, "exercise"):
    module.exercise()
gc.collect()
gc.collect()
_phase[0] = "send_all"
if hasattr(module, "send_all"):
    module.send_all()
sys.setprofile(None)

out = []
for record in records:
    record.pop("ref")
    record["calls"] = {
        phase: sum(_calls.get(code, {}).get(phase, 0) for code in record["codes"])
        for phase in ("import", "exercise", "send_all")
    }
    out.append(record)
json.dump(out, sys.stdout)
