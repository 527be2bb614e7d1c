"""The child process of ``flake8-signals confirm``: install the recorder, run the target, report.

Forked by :mod:`flake8_signals.runtime.supervisor`, which the parent
(:mod:`flake8_signals.runtime.runner`) starts as ``python -c <bootstrap> SPEC_FILE``. ``SPEC_FILE``
is JSON: ``kind`` (``module``, ``factory`` or ``script``), ``module``, ``attr``, ``path``, ``args``,
``timeout`` (seconds) and ``results`` (where to write the result JSON).

The result is written once, atomically, by whichever comes first: the target finishing (or
raising), or the time limit. The time limit does not unwind the target: a timer thread takes the
snapshot while the target's frames are still alive (a receiver held by a running frame is alive),
writes the result and ends the process with ``os._exit``. The supervisor then ends whatever the
target started; the parent stops the supervisor a little later if even that did not happen.
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import importlib
import io
import json
import os
import sys
import threading
import time
import traceback
import types
from typing import Any

from .recorder import Recorder

# Statuses written to the result file (see confirm.schema.json: outcome.status).
FINISHED = "finished"
RAISED = "raised"
TIMEOUT = "timeout"
LOAD_ERROR = "load-error"


class ChildRun:
    """One run of one target inside this process."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.recorder = Recorder()
        self.stage = "starting"
        self.started = time.monotonic()
        self.target_files: list[str] = []
        self.source_root = os.getcwd()
        # Keeps whatever the target produced alive until the snapshot: the imported module, the
        # factory's return value, the script's module namespace.
        self.keep: list[Any] = []
        self._finish_lock = threading.Lock()
        self.pid = os.getpid()

    # -- running ----------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self.recorder.install()
        except ImportError as error:
            self.finish(LOAD_ERROR, message=f"no signal library to watch in the target environment: {error}")
            return
        timer = threading.Timer(float(self.spec["timeout"]), self._on_timeout)
        timer.daemon = True
        timer.start()
        status, message, tb = self._run_target()
        self.finish(status, message=message, tb=tb)

    def _run_target(self) -> tuple[str, str | None, str | None]:
        kind = self.spec["kind"]
        sys.argv = [self.spec.get("path") or self.spec.get("module") or "", *self.spec.get("args", [])]
        if kind == "script":
            return self._run_script(self.spec["path"])
        self._set_path0(os.getcwd())
        self.stage = "import"
        module_name = self.spec["module"]
        try:
            module = importlib.import_module(module_name)
        except BaseException as error:
            return LOAD_ERROR, f"importing {module_name!r} failed: {_exc_line(error)}", _format_exc(error)
        self.keep.append(module)
        module_file = getattr(module, "__file__", None)
        if module_file:
            self.target_files.append(os.path.abspath(module_file))
        if kind == "module":
            return FINISHED, None, None
        attr = self.spec["attr"]
        try:
            factory: Any = module
            for part in attr.split("."):
                factory = getattr(factory, part)
        except AttributeError:
            return LOAD_ERROR, f"module {module_name!r} has no attribute {attr!r}", None
        if not callable(factory):
            return (
                LOAD_ERROR,
                f"{module_name}:{attr} is not callable (a factory is called without arguments)",
                None,
            )
        code = getattr(factory, "__code__", None)
        if code is not None and not code.co_filename.startswith("<"):
            self.target_files.append(os.path.abspath(code.co_filename))
        self.stage = "call"
        try:
            self.keep.append(factory())
        except SystemExit as error:
            if error.code in (None, 0):
                return FINISHED, None, None
            return RAISED, f"{module_name}:{attr}() raised {_exc_line(error)}", _format_exc(error)
        except BaseException as error:
            return RAISED, f"{module_name}:{attr}() raised {_exc_line(error)}", _format_exc(error)
        return FINISHED, None, None

    def _run_script(self, path: str) -> tuple[str, str | None, str | None]:
        path = os.path.abspath(path)
        self.stage = "load"
        try:
            with io.open_code(path) as handle:
                source = handle.read()
            code = compile(source, path, "exec")
        except (OSError, SyntaxError, ValueError) as error:
            return LOAD_ERROR, f"cannot run {path}: {_exc_line(error)}", _format_exc(error)
        self.target_files.append(path)
        self._set_path0(os.path.dirname(path))
        module = types.ModuleType("__main__")
        module.__dict__.update(
            __file__=path, __builtins__=builtins, __cached__=None, __spec__=None, __package__=None
        )
        sys.modules["__main__"] = module
        self.keep.append(module)
        self.stage = "run"
        try:
            exec(code, module.__dict__)
        except SystemExit as error:
            if error.code in (None, 0):
                return FINISHED, None, None
            return RAISED, f"the script raised {_exc_line(error)}", _format_exc(error)
        except BaseException as error:
            return RAISED, f"the script raised {_exc_line(error)}", _format_exc(error)
        return FINISHED, None, None

    def _set_path0(self, directory: str) -> None:
        """Make ``directory`` importable first, as ``python -m`` / ``python script.py`` do."""
        directory = os.path.abspath(directory)
        self.source_root = directory
        if sys.path and sys.path[0] in ("", "."):
            sys.path[0] = directory
        elif directory not in sys.path[:1]:
            sys.path.insert(0, directory)

    def _on_timeout(self) -> None:
        self.finish(
            TIMEOUT,
            message=f"the time limit ({self.spec['timeout']:g} s) ended the target during its {self.stage}",
        )

    # -- reporting --------------------------------------------------------------------------

    def finish(self, status: str, *, message: str | None = None, tb: str | None = None) -> None:
        """Collect, write the result file and end the process. Runs at most once."""
        if os.getpid() != self.pid:
            os._exit(0)  # a process the target forked: only the original child reports
        if not self._finish_lock.acquire(blocking=False):
            # The other thread is already writing the result; it ends the process.
            threading.Event().wait()
            return
        try:
            duration = time.monotonic() - self.started
            if status != LOAD_ERROR:
                self.recorder.collect(phase="final")
            connections = [] if status == LOAD_ERROR else self.recorder.connections()
            result = {
                "status": status,
                "message": message,
                "traceback": tb,
                "stage": self.stage,
                "duration": round(duration, 3),
                "source_root": self.source_root,
                "target_files": self.target_files,
                "connections": [connection.to_dict() for connection in connections],
            }
            _write_atomically(self.spec["results"], json.dumps(result))
        except BaseException:
            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            # End now, skipping interpreter shutdown (the target may have left threads running);
            # the supervisor ends the processes it left behind.
            os._exit(0)


def _exc_line(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(error), error)).strip()


def _format_exc(error: BaseException) -> str:
    summary = traceback.TracebackException.from_exception(error)
    pending: list[traceback.TracebackException | None] = [summary]
    while pending:
        current_summary = pending.pop()
        if current_summary is None:
            continue
        current_summary.stack = traceback.StackSummary.from_list(
            [frame for frame in current_summary.stack if not _is_runner_frame(frame.filename)]
        )
        pending.extend((current_summary.__cause__, current_summary.__context__))
    text = "".join(summary.format())
    # Let the frames go: a traceback keeps every frame of the failed call (and the receivers its
    # locals hold) alive, which the program would not do once the exception is handled.
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return text


_HERE = os.path.dirname(os.path.abspath(__file__))
_IMPORTLIB = os.path.dirname(os.path.abspath(importlib.__file__))


def _is_runner_frame(filename: str) -> bool:
    """Frames of this runner and of importlib, which say nothing about the target's error."""
    if filename.startswith("<frozen importlib"):
        return True
    directory = os.path.dirname(os.path.abspath(filename))
    return directory in (_HERE, _IMPORTLIB)


def _write_atomically(path: str, text: str) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def run_spec(spec: dict[str, Any]) -> None:
    """Run the target the spec describes, write the result and end the process."""
    gc.enable()
    ChildRun(spec).run()
