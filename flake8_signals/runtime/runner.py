"""Parent side of ``flake8-signals confirm``: describe the target, run it in a child process.

The target never runs in the calling process. The parent starts a supervisor
(:mod:`flake8_signals.runtime.supervisor`) in a new session; the supervisor forks the process that
runs the target (:mod:`flake8_signals.runtime.child`) and, once that has ended, ends every process
the target started. The child stops itself at the time limit and writes what it saw; ``grace``
seconds later the parent asks the supervisor to stop the target, and kills the supervisor's
process group if even that does not happen.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

import flake8_signals

from . import child
from .recorder import ALIVE, DISCONNECTED, LOST, ORPHANED

#: Statuses a run can end with: the child's own plus those seen only by the parent.
KILLED = "killed"  # the child did not stop at the time limit and was killed: nothing reported
CRASHED = "crashed"  # the child ended without writing a result (os._exit in the target, a crash)
INTERNAL_ERROR = "internal-error"  # confirm itself failed (a bug, or a result it cannot read)

DEFAULT_TIMEOUT = 30.0
#: The largest time limit accepted (one day): well inside what threads and timers can wait for.
MAX_TIMEOUT = 86400.0
DEFAULT_GRACE = 5.0
#: How long the supervisor gets to end the process tree once asked, before its group is killed.
STOP_WAIT = 3.0

_BOOTSTRAP = """\
import sys
sys.path.insert(0, {root!r})
from flake8_signals.runtime.supervisor import main
del sys.path[0]
main(sys.argv[1:])
"""


class ResultError(ValueError):
    """The child's result file is not a result (the target may have overwritten it)."""


def check_timeout(value: float) -> float:
    """``value`` if it is a usable time limit, else ValueError (with a message for the user)."""
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT):
        raise ValueError(f"the time limit must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    return value


class TargetError(ValueError):
    """The target text names nothing runnable (a usage error)."""


@dataclass(frozen=True)
class Target:
    """What to run: ``module`` (import it), ``factory`` (import, call ``attr``) or ``script``."""

    kind: str
    text: str
    module: str | None = None
    attr: str | None = None
    path: str | None = None
    args: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str, args: tuple[str, ...] | list[str] = ()) -> Target:
        """``pkg.mod``, ``pkg.mod:factory`` or ``path/to/script.py``; raises :class:`TargetError`."""
        args = tuple(args)
        if not text:
            raise TargetError("the target is empty")
        if (
            text.endswith(".py")
            or os.sep in text
            or (os.altsep and os.altsep in text)
            or os.path.isfile(text)
        ):
            if not os.path.isfile(text):
                raise TargetError(f"no such script: {text}")
            return cls("script", text, path=os.path.abspath(text), args=args)
        module, _, attr = text.partition(":")
        if not all(part.isidentifier() for part in module.split(".")):
            raise TargetError(f"not a module name: {module!r} (expected pkg.module[:factory] or a .py file)")
        if ":" in text:
            if not attr or not all(part.isidentifier() for part in attr.split(".")):
                raise TargetError(f"not a factory name: {attr!r} (expected pkg.module:factory)")
            return cls("factory", text, module=module, attr=attr, args=args)
        return cls("module", text, module=module, args=args)


@dataclass
class RunResult:
    """What the child reported (or why it could not)."""

    status: str
    message: str | None = None
    traceback: str | None = None
    stage: str | None = None
    duration: float | None = None
    source_root: str | None = None
    target_files: list[str] = field(default_factory=list)
    connections: list[dict[str, Any]] = field(default_factory=list)
    returncode: int | None = None


def _stream_fileno(stream: IO[str] | None) -> int | None:
    if stream is None:
        return None
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Have the supervisor end the target and all it started; kill its group if it does not.

    Only called while the supervisor is not yet reaped, so its process (group) id is still its own.
    """
    if os.name != "posix":  # pragma: no cover - Windows
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_target(
    target: Target,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    grace: float = DEFAULT_GRACE,
    output: IO[str] | None = None,
    python: str | None = None,
) -> RunResult:
    """Run ``target`` in a child process with the recorder installed; return what it reported.

    The target's standard output and error go to ``output`` (default ``sys.stderr``), so that the
    report on standard output stays clean. Raises :class:`ResultError` when the child's result
    cannot be read as one; whatever happens, no process of the run is left behind and the
    temporary folder is removed.
    """
    check_timeout(timeout)
    output = output if output is not None else sys.stderr
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(flake8_signals.__file__)))
    with tempfile.TemporaryDirectory(prefix="flake8-signals-") as workdir:
        results_path = os.path.join(workdir, "result.json")
        status_path = os.path.join(workdir, "runner-status.json")
        spec_path = os.path.join(workdir, "spec.json")
        spec = {
            "kind": target.kind,
            "module": target.module,
            "attr": target.attr,
            "path": target.path,
            "args": list(target.args),
            "timeout": timeout,
            "results": results_path,
            "runner_status": status_path,
            "parent_pid": os.getpid(),
        }
        with open(spec_path, "w", encoding="utf-8") as handle:
            json.dump(spec, handle)
        command = [python or sys.executable, "-c", _BOOTSTRAP.format(root=package_root), spec_path]
        fileno = _stream_fileno(output)
        popen_kwargs: dict[str, Any] = {"stdin": subprocess.DEVNULL}
        if fileno is not None:
            popen_kwargs.update(stdout=fileno, stderr=fileno)
        else:
            popen_kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if os.name == "posix":
            popen_kwargs["start_new_session"] = True
        else:  # pragma: no cover - Windows
            popen_kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        if fileno is not None:
            output.flush()
        process = subprocess.Popen(command, **popen_kwargs)
        killed = False
        captured = b""
        try:
            try:
                captured, _ = process.communicate(timeout=timeout + grace)
            except subprocess.TimeoutExpired:
                killed = True
                _stop(process)
                captured, _ = process.communicate()
        except BaseException:
            _stop(process)
            raise
        if captured:
            output.write(captured.decode("utf-8", "replace"))
            output.flush()
        returncode = _runner_returncode(status_path, process.returncode)
        return _read_result(results_path, returncode, killed, timeout)


def _runner_returncode(path: str, supervisor_returncode: int | None) -> int | None:
    """How the target's own process ended, as the supervisor saw it."""
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle).get("returncode")
    except (OSError, ValueError, AttributeError):
        return supervisor_returncode
    return value if isinstance(value, int) and not isinstance(value, bool) else supervisor_returncode


def _ended(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"was killed by {name}"
    return f"ended (exit status {returncode})"


def _read_result(path: str, returncode: int | None, killed: bool, timeout: float) -> RunResult:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        if killed:
            return RunResult(
                KILLED,
                message=f"the target did not stop at the time limit ({timeout:g} s) and was killed; "
                "nothing could be reported",
                returncode=returncode,
            )
        return RunResult(
            CRASHED,
            message=f"the target process {_ended(returncode)} without reporting "
            "(did it call os._exit() or crash?)",
            returncode=returncode,
        )
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ResultError(
            f"the child's result file is not JSON ({error}); did the target overwrite it?"
        ) from None
    return _result_from(data, returncode)


_OPTIONAL_TEXT = ("message", "traceback", "stage", "source_root")
_CONNECTION_TEXT = ("path", "function", "library", "receiver", "signal", "sender")


def _result_from(data: Any, returncode: int | None) -> RunResult:
    """Check the child's result field by field: the target runs in that process and may have
    written anything there."""

    def bad(what: str) -> ResultError:
        return ResultError(f"the child's result file has {what}; did the target overwrite it?")

    if not isinstance(data, dict):
        raise bad("no JSON object")
    if data.get("status") not in (child.FINISHED, child.RAISED, child.TIMEOUT, child.LOAD_ERROR):
        raise bad(f"an unknown status {data.get('status')!r}")
    for name in _OPTIONAL_TEXT:
        if not isinstance(data.get(name), (str, type(None))):
            raise bad(f"a {name!r} that is not text")
    duration = data.get("duration")
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, (int, float)) or not duration >= 0
    ):
        raise bad("a duration that is not a number of seconds")
    target_files = data.get("target_files", [])
    if not isinstance(target_files, list) or not all(isinstance(item, str) for item in target_files):
        raise bad("target_files that are not a list of paths")
    connections = data.get("connections", [])
    if not isinstance(connections, list):
        raise bad("connections that are not a list")
    for record in connections:
        if not (
            isinstance(record, dict)
            and all(isinstance(record.get(name), str) for name in _CONNECTION_TEXT)
            and isinstance(record.get("line"), int)
            and not isinstance(record.get("line"), bool)
            and record["line"] >= 0
            and record.get("state") in (LOST, ALIVE, DISCONNECTED, ORPHANED)
        ):
            raise bad(f"a connection record that is not one ({str(record)[:80]})")
    return RunResult(
        status=data["status"],
        message=data.get("message"),
        traceback=data.get("traceback"),
        stage=data.get("stage"),
        duration=duration,
        source_root=data.get("source_root"),
        target_files=list(target_files),
        connections=list(connections),
        returncode=returncode,
    )
