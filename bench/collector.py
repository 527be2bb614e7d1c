"""One flake8 run in this process, with the cyclic collector's time measured by generation.

    cd bench/.cache/src && export FLAKE8_SIGNALS_NO_CACHE=1
    ../venv-base/bin/python ../../collector.py --isolated -j1 --select F Django-5.2.19
    ../venv-plugin/bin/python ../../collector.py --isolated -j1 --select F,SIG Django-5.2.19

Prints one JSON line on stderr: the run's CPU seconds, seconds and number of collections per
generation (``gc.callbacks``, process CPU time), the plugin's own counters when it is installed,
the tracked and frozen objects left at the end, and peak RSS. Alternate the two commands (and
old code through ``PYTHONPATH=<worktree>``) a few times: one run of Django swings by ±10% here.
Only the main process is measured, so use ``-j1``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import resource
import sys
import time

seconds = [0.0, 0.0, 0.0]
counts = [0, 0, 0]
_started = [0.0]


def _timed(phase: str, info: dict) -> None:
    if phase == "start":
        _started[0] = time.process_time()
    else:
        seconds[info["generation"]] += time.process_time() - _started[0]
        counts[info["generation"]] += 1


def main() -> None:
    gc.callbacks.append(_timed)
    from flake8.main.cli import main as flake8

    started = time.process_time()
    with contextlib.suppress(SystemExit):  # flake8 exits with its status
        flake8(sys.argv[1:])
    cpu = time.process_time() - started
    try:
        from flake8_signals.stats import STATS

        own: float | None = STATS.check_seconds
    except ImportError:
        own = None
    record = {
        "cpu": round(cpu, 2),
        "collector_seconds": [round(s, 2) for s in seconds],
        "collections": counts,
        "plugin_seconds": own,
        "tracked": len(gc.get_objects()),
        "frozen": gc.get_freeze_count(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    print(json.dumps(record), file=sys.stderr)


if __name__ == "__main__":
    main()
