"""Process-wide counters of what the plugin did, for the benchmark (``bench/``).

Set ``FLAKE8_SIGNALS_STATS`` to a file path and each flake8 process appends one JSON line with
these counters when it exits. Counting costs a few attribute increments per file. Seconds are the
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


def _dump() -> None:
    path = os.environ.get("FLAKE8_SIGNALS_STATS")
    if not path or not STATS.files:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"pid": os.getpid(), **asdict(STATS)}) + "\n")
    except OSError:
        pass


if os.environ.get("FLAKE8_SIGNALS_STATS"):
    atexit.register(_dump)
