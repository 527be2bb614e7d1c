"""What importing the plugin costs flake8's start-up, and which of the plugin's modules a file
makes it import.

    python bench/startup.py               # 15 fresh interpreters of bench/.cache/venv-plugin
    python bench/startup.py --reps 31

flake8 imports every installed plugin (checkers and formatters) before it reads a file, so one
file linted alone (an editor's save, a pre-commit batch of one) pays the whole import. Each
repetition is a fresh interpreter that first imports what flake8 itself has loaded by then, and
then times (``time.process_time``) importing ``flake8_signals.plugin`` and its formatters, then
checking one module of each kind: no family wants it, only the names family wants it, a connect
(the lifetime and contracts families). Printed: median (lowest-highest) milliseconds and the
number of the plugin's modules loaded after each step.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

_PROBE = r"""
import json, sys, time
import flake8.checker, flake8.formatting.default, flake8.main.application, flake8.plugins.finder
import multiprocessing, pycodestyle, pyflakes.checker, tempfile

def ours():
    return sum(1 for name in sys.modules if name.startswith("flake8_signals"))

out = {}
started = time.process_time()
import flake8_signals.formatters, flake8_signals.plugin
out["import"] = (time.process_time() - started, ours())
from flake8_signals.api import check_source
for step, source in (
    ("plain module", "import os\nos.sep\n"),
    ("a lookup by name", "import blinker\nns = blinker.Namespace()\nsent = ns.signal('sent')\n"),
    ("a connect", "def setup(sig):\n    def on(sender):\n        pass\n    sig.connect(on)\n"),
):
    started = time.process_time()
    check_source(source, "/nonexistent/probe.py")
    out[step] = (time.process_time() - started, ours())
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    from _corpus import ensure_venvs

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--python", help="interpreter to measure (default: bench/.cache/venv-plugin)")
    args = parser.parse_args(argv)
    python = args.python or str(ensure_venvs()["plugin"])
    samples: dict[str, list[float]] = {}
    modules: dict[str, int] = {}
    for _ in range(args.reps):
        completed = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, check=True)
        for step, (seconds, count) in json.loads(completed.stdout).items():
            samples.setdefault(step, []).append(seconds * 1000)
            modules[step] = count
    print(f"{args.reps} fresh interpreters ({python})")
    print("| step | CPU ms, median (lowest-highest) | the plugin's modules loaded after it |")
    print("|---|---:|---:|")
    for step, values in samples.items():
        figure = f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"
        print(f"| {step} | {figure} | {modules[step]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
