"""Run one contracts fixture with real blinker (and Flask) and report which receivers fail.

Usage: python contracts_probe.py FIXTURE.py  ->  JSON on stdout:
    {"connections": [{"line", "receiver", "calls", "errors": [[type, message], ...]}],
     "sends": [{"line", "method", "malformed", "error": [type, message] | null}]}

Every ``connect()`` made from the fixture file is recorded (call form, decorators, connect_via,
connected_to). ``Signal.send`` and ``send_async`` are replaced by versions that keep blinker's own
behaviour but run it once per receiver: for each receiver the real ``send`` is called on a
throwaway signal holding just that receiver, with the original sender, keywords and wrapper, and
an exception is recorded against the line that connected it instead of stopping the others. A send
that blinker's own signature rejects, or that passes ``sender=`` as a keyword, is run as it is,
once, and its outcome recorded against the send's line.

After the fixture is imported, its ``exercise()`` is called (awaited if it is a coroutine
function), and then, when the fixture imported Flask, a Flask app serves requests that make Flask
send every one of its signals. The app is the fixture's module-level ``app`` when there is one.
Flask runs ``async def`` receivers through ``app.ensure_sync``, which needs asgiref; it is replaced
here by ``asyncio.run`` (what Flask's docs suggest overriding ``async_to_sync`` with).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import functools
import importlib.util
import inspect
import json
import os
import sys

import blinker.base

target = os.path.abspath(sys.argv[1])
_PASS_THROUGH = {
    os.path.abspath(blinker.base.__file__),
    os.path.abspath(__file__),
    os.path.abspath(contextlib.__file__),
    os.path.abspath(functools.__file__),
}
# Python 3.10 attributes a decorator's call to the `def` line (3.11+ to the decorator's line);
# the fixtures mark the outermost decorator, so map the one to the other.
with open(target, encoding="utf-8") as _handle:
    _DECORATED = {
        node.lineno: node.decorator_list[0].lineno
        for node in ast.walk(ast.parse(_handle.read()))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list
    }
original_connect = blinker.base.Signal.connect
original_send = blinker.base.Signal.send
original_send_async = blinker.base.Signal.send_async
_send_signature = inspect.signature(original_send)
connections: list[dict] = []
sends: list[dict] = []
_keep: list[object] = []  # receivers stay alive: lifetime is the SIG1xx rules' business


def _fixture_line() -> int | None:
    frame = sys._getframe(2)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if filename == target:
            return _DECORATED.get(frame.f_lineno, frame.f_lineno)
        if filename not in _PASS_THROUGH:
            return None  # connected or sent by a library (Flask) on its own behalf
        frame = frame.f_back
    return None


def _name(receiver: object) -> str:
    return getattr(receiver, "__qualname__", None) or type(receiver).__name__


def connect(self, receiver, sender=blinker.base.ANY, weak=True):
    line = _fixture_line()
    if line is not None:
        _keep.append(receiver)
        connections.append(
            {
                "line": line,
                "receiver": _name(receiver),
                "signal": self,
                "object": receiver,
                "calls": 0,
                "errors": [],
            }
        )
    return original_connect(self, receiver, sender, weak)


def _records_for(signal: blinker.base.Signal, receiver: object) -> list[dict]:
    return [c for c in connections if c["signal"] is signal and c["object"] == receiver]


def _error(exc: BaseException) -> list[str]:
    return [type(exc).__name__, str(exc)]


def _malformed(args: tuple, kwargs: dict) -> list[str] | None:
    """Why blinker would not deliver this send as meant; None when it would."""
    try:
        _send_signature.bind(None, *args, **kwargs)
    except TypeError as exc:
        return _error(exc)
    if "sender" in kwargs and not args:
        return ["sender-keyword", "the sender was passed by keyword"]
    return None


def send(self, *args, **kwargs):
    line = _fixture_line()
    malformed = _malformed(args, kwargs)
    if malformed is not None:
        record = {"line": line, "method": "send", "malformed": True, "error": None}
        sends.append(record)
        try:
            return original_send(self, *args, **kwargs)
        except Exception as exc:
            record["error"] = _error(exc)
            return []
    sends.append({"line": line, "method": "send", "malformed": False, "error": None})
    sender = args[0] if args else None
    results = []
    for receiver in list(self.receivers_for(sender)):
        single = blinker.base.Signal()
        original_connect(single, receiver, blinker.base.ANY, False)
        records = _records_for(self, receiver)
        for record in records:
            record["calls"] += 1
        try:
            results += original_send(single, sender, **kwargs)
        except Exception as exc:
            for record in records:
                record["errors"].append(_error(exc))
    return results


def send_async(self, *args, **kwargs):
    # Not itself a coroutine function, so that the calling line is still on the stack.
    return _send_async(self, _fixture_line(), args, kwargs)


async def _send_async(self, line, args, kwargs):
    malformed = _malformed(args, {k: v for k, v in kwargs.items() if k != "_sync_wrapper"})
    sends.append({"line": line, "method": "send_async", "malformed": malformed is not None, "error": None})
    if malformed is not None:
        try:
            return await original_send_async(self, *args, **kwargs)
        except Exception as exc:
            sends[-1]["error"] = _error(exc)
            return []
    sender = args[0] if args else None
    results = []
    for receiver in list(self.receivers_for(sender)):
        single = blinker.base.Signal()
        original_connect(single, receiver, blinker.base.ANY, False)
        records = _records_for(self, receiver)
        for record in records:
            record["calls"] += 1
        try:
            results += await original_send_async(single, sender, **kwargs)
        except Exception as exc:
            for record in records:
                record["errors"].append(_error(exc))
    return results


blinker.base.Signal.connect = connect
blinker.base.Signal.send = send
blinker.base.Signal.send_async = send_async


def flask_roundtrip(module) -> None:
    """Make Flask send each of its ten signals at least once."""
    import flask

    def async_to_sync(self, func):
        return lambda *args, **kwargs: asyncio.run(func(*args, **kwargs))

    flask.Flask.async_to_sync = async_to_sync
    app = getattr(module, "app", None)
    if not isinstance(app, flask.Flask):
        app = flask.Flask("contracts_probe")
    app.secret_key = "probe"
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True  # the /_probe/boom traceback is expected

    def page():
        flask.flash("hello", "info")
        return flask.render_template_string("{{ 1 + 1 }}")

    def boom():
        raise ValueError("probe")

    app.add_url_rule("/_probe/page", "_probe_page", page)
    app.add_url_rule("/_probe/boom", "_probe_boom", boom)
    client = app.test_client()
    client.get("/_probe/page")
    client.get("/_probe/boom")


sys.path.insert(0, os.path.dirname(target))
spec = importlib.util.spec_from_file_location("fixture_under_probe", target)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
exercise = getattr(module, "exercise", None)
if exercise is not None:
    if inspect.iscoroutinefunction(exercise):
        asyncio.run(exercise())
    else:
        exercise()
if "flask" in sys.modules:
    flask_roundtrip(module)

for record in connections:
    del record["signal"], record["object"]
json.dump({"connections": connections, "sends": sends}, sys.stdout)
