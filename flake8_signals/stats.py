"""Process-wide counters of what the plugin did, for the benchmark (``bench/``).

Set ``FLAKE8_SIGNALS_STATS`` to a file path and each flake8 process that checked files (each
``-j`` worker, in flake8's default parallel mode) appends one JSON line with these counters when
it exits. Counting costs a few attribute increments per file. Seconds are the
process's CPU time (``time.process_time``), which other load on the machine does not inflate.
"""

from __future__ import annotations

import atexit
import json
import os
from dataclasses import asdict, dataclass, field


@dataclass
class Stats:
    files: int = 0
    files_prefiltered: int = 0  # skipped by the text prefilter: no candidate at all
    files_analyzed: int = 0
    connect_sites: int = 0
    suspect_sites: int = 0  # receivers that would be lost, pending the "is it a signal?" check
    astroid_builds: int = 0
    astroid_build_seconds: float = 0.0
    inferences: int = 0
    inference_seconds: float = 0.0
    check_seconds: float = 0.0  # all of the plugin's time, astroid included
    max_file_seconds: float = 0.0
    max_file: str = ""
    # exceptions stopped by flake8_signals.boundary, by layer: each cost some findings
    swallowed: dict[str, int] = field(default_factory=dict)


STATS = Stats()
VARIABLE = "FLAKE8_SIGNALS_STATS"


_REGISTERED: list[int] = [0]  # the process the dump is registered in
_DUMPED: list[int] = [0]


def track_process() -> None:
    """Make sure this process writes its counters when it exits (called once per checked file).

    flake8's ``-j`` workers are ``multiprocessing`` children: they leave through ``os._exit``,
    which skips ``atexit``, after running ``multiprocessing``'s own finalizers; so both are
    registered, in the process that does the work. A forked worker starts from zero."""
    pid = os.getpid()
    if _REGISTERED[0] == pid or not os.environ.get(VARIABLE):
        return
    if _REGISTERED[0]:
        STATS.__init__()  # type: ignore[misc]  # forked: the parent's counts are the parent's
    _REGISTERED[0] = pid
    atexit.register(_dump)
    import multiprocessing.util

    multiprocessing.util.Finalize(None, _dump, exitpriority=10)


def _dump() -> None:
    path = os.environ.get(VARIABLE)
    if not path or not STATS.files or _DUMPED[0] == os.getpid():
        return
    _DUMPED[0] = os.getpid()
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"pid": os.getpid(), **asdict(STATS)}) + "\n")
    except OSError:
        pass
