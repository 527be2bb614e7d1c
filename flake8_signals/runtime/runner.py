"""Parent side of ``flake8-signals confirm``: describe the target, run it in a child process.

The target never runs in the calling process. The child (:mod:`flake8_signals.runtime.child`)
gets its own session (process group) so that a hanging target and anything it started can be
killed as a whole; the child stops itself at the time limit and writes what it saw, and the
parent kills the group ``grace`` seconds later if that did not happen.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

import flake8_signals

#: Statuses a run can end with: the child's own plus two seen only by the parent.
KILLED = "killed"  # the child did not stop at the time limit and was killed: nothing reported
CRASHED = "crashed"  # the child ended without writing a result (os._exit in the target, a crash)
DEFAULT_TIMEOUT = 30.0
DEFAULT_GRACE = 5.0

_BOOTSTRAP = """\
import sys
sys.path.insert(0, {root!r})
from flake8_signals.runtime.child import main
del sys.path[0]
main(sys.argv[1:])
"""


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


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        with contextlib.suppress(OSError):
            process.kill()


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
    report on standard output stays clean.
    """
    output = output if output is not None else sys.stderr
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(flake8_signals.__file__)))
    with tempfile.TemporaryDirectory(prefix="flake8-signals-") as workdir:
        results_path = os.path.join(workdir, "result.json")
        spec_path = os.path.join(workdir, "spec.json")
        spec = {
            "kind": target.kind,
            "module": target.module,
            "attr": target.attr,
            "path": target.path,
            "args": list(target.args),
            "timeout": timeout,
            "results": results_path,
            "own_group": os.name == "posix",
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
        # The group is only ever killed while the child is not yet reaped, so its id cannot have
        # been reused. After a normal end the child itself kills what the target left behind.
        try:
            captured, _ = process.communicate(timeout=timeout + grace)
        except subprocess.TimeoutExpired:
            killed = True
            _kill_group(process)
            captured, _ = process.communicate()
        except BaseException:
            _kill_group(process)
            process.wait()
            raise
        if captured:
            output.write(captured.decode("utf-8", "replace"))
            output.flush()
        return _read_result(results_path, process.returncode, killed, timeout)


def _read_result(path: str, returncode: int | None, killed: bool, timeout: float) -> RunResult:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        if killed:
            return RunResult(
                KILLED,
                message=f"the target did not stop at the time limit ({timeout:g} s) and was killed; "
                "nothing could be reported",
                returncode=returncode,
            )
        return RunResult(
            CRASHED,
            message=f"the target process ended (exit status {returncode}) without reporting "
            "(did it call os._exit() or crash?)",
            returncode=returncode,
        )
    return RunResult(
        status=data["status"],
        message=data.get("message"),
        traceback=data.get("traceback"),
        stage=data.get("stage"),
        duration=data.get("duration"),
        source_root=data.get("source_root"),
        target_files=list(data.get("target_files", [])),
        connections=list(data.get("connections", [])),
        returncode=returncode,
    )
