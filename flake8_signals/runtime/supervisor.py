"""The first process of a ``confirm`` run: it starts the target's process and ends all it started.

:mod:`flake8_signals.runtime.runner` starts this process in a new session; it forks the process
that runs the target (:mod:`flake8_signals.runtime.child`), waits for it, and then ends every
process the target left behind, however the target ended (finished, raised, the time limit,
``os._exit()``, a crash).

On Linux the supervisor makes itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``,
unprivileged since Linux 3.4): a process whose parent ends is re-parented to the supervisor rather
than to init, so everything the target starts stays the supervisor's descendant, also in a new
session (``start_new_session=True``, ``setsid``, a double-forking daemon). When the target's
process has ended, the supervisor kills its remaining children with ``SIGKILL`` and reaps them,
again and again until none is left (the children of a killed process come back to it). It only
ever kills its own unreaped children, whose process ids therefore cannot have been reused. It
also asks the kernel for ``SIGTERM`` when its parent dies (``PR_SET_PDEATHSIG``), so even a
``kill -9`` of ``confirm`` ends the tree (and removes the temporary folder).

Elsewhere (macOS, the BSDs) there is no subreaper: the supervisor kills its process group, which
misses processes that left it (a new session). Nothing here can reach processes that are not
descendants at all (started by a service manager, ``at``, a container runtime, on another host).

The supervisor stops the target early on ``SIGTERM``, ``SIGHUP`` or ``SIGINT`` (what the parent
sends when it is stopped itself or the target overran the time limit).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import time
from types import FrameType
from typing import Any

#: Signals that make the supervisor stop the target and clean up.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)

#: How long the final sweep may take before the supervisor gives up on processes that do not die
#: (a process stuck in the kernel); the parent kills the supervisor's group after that.
SWEEP_LIMIT = 5.0

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Make orphaned descendants come back to this process (Linux); False where impossible."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def child_pids() -> list[int] | None:
    """This process's children (zombies included); None when the system cannot tell (no /proc)."""
    pid = os.getpid()
    children: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    try:
        for task in tasks:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                children.extend(int(word) for word in handle.read().split())
        return children
    except FileNotFoundError:
        pass  # a kernel without CONFIG_PROC_CHILDREN: read every process's parent instead
    except OSError:
        return None
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()  # the command name may hold spaces and parens
        if len(fields) > 1 and fields[1] == str(pid):
            children.append(int(entry))
    return children


def _reap_available() -> int:
    """Reap every child that has ended; the number reaped (-1: no children at all)."""
    reaped = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return -1 if reaped == 0 else reaped
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for safety
            continue
        if pid == 0:
            return reaped
        reaped += 1


def end_descendants(subreaper: bool, limit: float = SWEEP_LIMIT) -> None:
    """Kill and reap every remaining descendant (see the module docstring)."""
    deadline = time.monotonic() + limit
    if not subreaper:
        # No way to find re-parented processes: end the group (this process included, last).
        _reap_available()
        if hasattr(os, "killpg") and os.getpgrp() == os.getpid():
            with contextlib.suppress(OSError):
                os.killpg(os.getpid(), signal.SIGKILL)
        return
    while time.monotonic() < deadline:
        children = child_pids()
        if children is None:
            return
        if not children:
            _reap_available()
            return
        for pid in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if _reap_available() <= 0:
            time.sleep(0.005)


class _Supervisor:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.runner: int | None = None
        self.stopping = False

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self.pid:
            os._exit(128 + signum)  # the runner, before it restored the default handlers
        self.stopping = True
        if self.runner is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.runner, signal.SIGKILL)

    def wait_runner(self) -> int:
        """The runner's exit status as :attr:`subprocess.Popen.returncode` gives it."""
        assert self.runner is not None
        while True:
            try:
                _, status = os.waitpid(self.runner, 0)
            except InterruptedError:  # pragma: no cover - PEP 475 retries
                continue
            return os.waitstatus_to_exitcode(status)


def _write_json(path: str, data: dict[str, Any]) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(temporary, path)


def main(argv: list[str]) -> None:
    """Entry point used by the bootstrap code the parent passes to ``python -c``."""
    from . import child

    spec_path = argv[0]
    with open(spec_path, encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: run here; the parent kills the tree
        child.run_spec(spec)
        return
    subreaper = become_subreaper()
    parent = spec.get("parent_pid")
    _prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
    supervisor = _Supervisor()
    for signum in STOP_SIGNALS:
        signal.signal(signum, supervisor.on_signal)
    if parent is not None and os.getppid() != parent:
        supervisor.stopping = True  # the parent died before the death signal was armed
    pid = os.fork()
    if pid == 0:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        try:
            if not supervisor.stopping:
                child.run_spec(spec)
        finally:
            os._exit(0)
    supervisor.runner = pid
    if supervisor.stopping:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    returncode = supervisor.wait_runner()
    status_path = spec.get("runner_status")
    if status_path:
        with contextlib.suppress(OSError):
            _write_json(status_path, {"returncode": returncode})
    end_descendants(subreaper)
    if parent is not None and os.getppid() != parent:
        # Nobody will read the results any more (the parent was killed): leave no folder behind.
        shutil.rmtree(os.path.dirname(os.path.abspath(spec_path)), ignore_errors=True)
    os._exit(0)
