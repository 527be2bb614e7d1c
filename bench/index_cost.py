"""What the project index (SIG2xx) costs one flake8 process: build it over a real tree and time it.

    pip download --no-deps --no-binary :all: "django==5.2.*" -d /tmp/dj && tar xzf /tmp/dj/*.tar.gz -C /tmp/dj
    python bench/index_cost.py /tmp/dj/django-5.2.19 [--repeat 5]

Prints the files walked and parsed, the median wall and CPU time of a build from a warm OS file
cache (what every flake8 worker pays once, and only when a linted file looks a signal up by name),
the same for the walk alone (reading every file and the text prefilter), and the peak memory the
build adds. Each build runs in a fresh interpreter so that no cache of this process helps.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = r"""
import json, os, re, sys, time, tracemalloc
from flake8_signals.analysis import project_files, project_index
root = sys.argv[1]
started, cpu = time.perf_counter(), time.process_time()
files = bytes_read = sources = candidates = 0
for found in project_files.python_files(root):
    data = project_files.read_source(found.path)
    if not isinstance(data, bytes):
        continue
    files += 1
    bytes_read += len(data)
    if project_index._is_source(data):
        sources += 1
    elif project_index._CANDIDATE.search(data):
        candidates += 1
walk = (time.perf_counter() - started, time.process_time() - cpu)
started, cpu = time.perf_counter(), time.process_time()
index = project_index.build_index([root])
build = (time.perf_counter() - started, time.process_time() - cpu)
del index
tracemalloc.start()  # a second build, traced: tracemalloc slows what it watches
index = project_index.build_index([root])
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
lookups = sum(len(f.lookups) for f in index.facts.values())
print(json.dumps({
    "files": index.files_seen, "walk_files": files, "bytes": bytes_read,
    "sources": sources, "candidates": candidates,
    "parsed": index.files_parsed, "lookups": lookups, "complete": index.complete,
    "walk_wall": walk[0], "walk_cpu": walk[1], "build_wall": build[0], "build_cpu": build[1],
    "peak_bytes": peak,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("root", help="a source tree, e.g. Django's unpacked sdist")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = str(Path(args.root).resolve())
    runs = []
    for _ in range(args.repeat + 1):  # the first run warms the OS file cache and is dropped
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD, root],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        runs.append(json.loads(completed.stdout))
    runs = runs[1:]
    first = runs[0]

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    print(f"tree: {root}")
    print(
        f"files walked: {first['files']:,} ({first['bytes'] / 1e6:.1f} MB); text prefilter: "
        f"{first['sources']:,} may make or look up a blinker signal, {first['candidates']:,} more "
        f"mention signal/.send/.connect; parsed: {first['parsed']:,}; lookups by name found: "
        f"{first['lookups']:,}; complete: {first['complete']}"
    )
    print(f"walk + read + prefilter only: {median('walk_wall'):.2f} s wall, {median('walk_cpu'):.2f} s CPU")
    fastest = min(r["build_wall"] for r in runs)
    print(
        f"index build (walk, parse, extract): {median('build_wall'):.2f} s wall, "
        f"{median('build_cpu'):.2f} s CPU (median of {len(runs)}, min {fastest:.2f} s)"
    )
    print(f"peak memory traced during a build: {median('peak_bytes') / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
