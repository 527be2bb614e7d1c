"""Run one fixture module with the real signal libraries and report what happened to every receiver.

Usage: python runtime_probe.py FIXTURE.py  ->  JSON list on stdout, one record per connect call
made from the fixture file: {"line", "lines" (every fixture line on the stack, innermost first),
"library", "weak", "alive", "disconnected", "receiver", "weakrefable"}.

Every library model's runtime hooks whose module is installed are wrapped (tests/probe_hooks.py),
so blinker, Django (with ``DEBUG=False``, as in production; ``PROBE_DJANGO_DEBUG=1`` for
``DEBUG=True``), celery, PyDispatcher (and Scrapy through it) and psygnal connections are all seen.
The fixture is imported under a name other than __main__, then its ``exercise()`` (if any) is
called; afterwards garbage is collected and each connected receiver is checked.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys

from probe_hooks import configure_django, import_fixture, reference, resolve, wrap_connects

records: list[dict] = []


def _connected(library, hook, lines, call_args, kwargs, call):
    receiver = hook.receiver_of(call_args, kwargs)
    if lines and receiver is not None:
        records.append(
            {
                "line": lines[0],
                "lines": lines,
                "library": library.key,
                "weak": hook.weak_at_run_time(call_args, kwargs),
                "ref": reference(receiver),
                "disconnected": False,
                "receiver": getattr(receiver, "__qualname__", type(receiver).__name__),
            }
        )
    return call()


def _watch_disconnect(hook, module, is_method) -> None:
    owner, name = resolve(module, hook.disconnect)
    original = getattr(owner, name)

    @functools.wraps(original)
    def disconnect(*args, **kwargs):
        call_args = args[1:] if is_method else args
        receiver = call_args[0] if call_args else kwargs.get(hook.receiver.name)
        for record in records:
            if record["ref"] is not None and record["ref"]() is receiver:
                record["disconnected"] = True
        return original(*args, **kwargs)

    setattr(owner, name, disconnect)


configure_django(debug=os.environ.get("PROBE_DJANGO_DEBUG") == "1")
for _library, _hook, _module, _is_method in wrap_connects(_connected):
    if _hook.disconnect:
        _watch_disconnect(_hook, _module, _is_method)

module = import_fixture()
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
