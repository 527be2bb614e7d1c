"""Does the plugin's own time grow linearly with the number of connects in one function or module?

    python bench/scaling.py                   # 1k, 2k, 4k, 8k, 16k connects, 3 reps each
    python bench/scaling.py --sizes 1000,2000 --reps 1
    python bench/scaling.py --big       # also a 50 MB module with 100,000 connects, against flake8 alone

Each shape is a generated module; the time is CPU time (``time.process_time``) of
``flake8_signals.api.check_source`` in a fresh interpreter (so caches start cold), the median
of the repetitions. "x per doubling" is the time of 2n over the time of n: 2.0 is linear (the
budget is 2.0 +-20%). ``--big`` compares ``flake8 --select SIG`` on the 50 MB module with
``flake8 --select E999`` (flake8 alone, the plugin installed but not selected does no work).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = "from blinker import Namespace, signal\n\nns = Namespace()\nchanged = signal('changed')\n\n"


def one_handler_many_times(n: int) -> str:
    lines = ["def setup():", "    def on_change(sender, **extra):", "        pass"]
    lines += ["    changed.connect(on_change)" for _ in range(n)]
    return HEADER + "\n".join(lines) + "\n"


def many_handlers_one_function(n: int) -> str:
    lines = ["def setup():"]
    for i in range(n):
        lines += [
            f"    def on_change_{i}(sender, **extra):",
            "        pass",
            f"    changed.connect(on_change_{i})",
        ]
    return HEADER + "\n".join(lines) + "\n"


def many_module_signals(n: int) -> str:
    lines = []
    for i in range(n):
        lines += [
            f"signal_{i} = ns.signal('signal-{i}')",
            f"def on_signal_{i}(sender, **extra):",
            "    pass",
            f"signal_{i}.connect(on_signal_{i})",
        ]
    return HEADER + "\n".join(lines) + "\n"


SHAPES = {
    "one handler connected n times in a function": one_handler_many_times,
    "n handlers defined and connected in a function": many_handlers_one_function,
    "n module-level named signals, each connected": many_module_signals,
}

_TIMER = """
import sys, time
from flake8_signals.api import check_source
source = open(sys.argv[1], encoding="utf-8").read()
started = time.process_time()
findings = check_source(source, sys.argv[1], select=["SIG"])
print(time.process_time() - started, len(findings))
"""


def plugin_seconds(source: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "generated.py"
        path.write_text(source, encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", _TIMER, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=directory,
        ).stdout.split()
    return float(out[0]), int(out[1])


def big_module(connects: int) -> str:
    """About 50 MB: many small functions, each connecting a local handler (a finding each)."""
    parts = [HEADER]
    filler = "    x = 1  # " + "padding " * 48 + "\n"  # about 500 bytes a function
    for i in range(connects):
        parts.append(
            f"def setup_{i}():\n    def on_change(sender, **extra):\n        pass\n"
            f"    changed.connect(on_change)\n" + filler
        )
    return "".join(parts)


def flake8_cpu(path: Path, select: str) -> tuple[float, int]:
    """CPU seconds of one ``flake8`` process (user + system, from wait4), and its output lines."""
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "flake8", "--isolated", f"--select={select}", str(path)],
            stdout=output,
            stderr=subprocess.DEVNULL,
        )
        _, _, usage = os.wait4(process.pid, 0)
        output.seek(0)
        lines = sum(1 for _ in output)
    return usage.ru_utime + usage.ru_stime, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,2000,4000,8000,16000")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--big", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| shape | " + " | ".join(f"{n:,}" for n in sizes) + " | x per doubling (min-max) |")
    print("|---|" + "---:|" * len(sizes) + "---|")
    for label, make in SHAPES.items():
        times = []
        for n in sizes:
            samples = [plugin_seconds(make(n))[0] for _ in range(args.reps)]
            times.append(statistics.median(samples))
        ratios = [b / a for a, b in itertools.pairwise(times) if a > 0]
        spread = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-"
        print(f"| {label} | " + " | ".join(f"{t:.2f} s" for t in times) + f" | {spread} |", flush=True)
    if args.big:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "big.py"
            path.write_text(big_module(100_000), encoding="utf-8")
            size = path.stat().st_size / 1e6
            alone, _ = flake8_cpu(path, "E999")
            with_sig, findings = flake8_cpu(path, "SIG")
            print(
                f"\n{size:.0f} MB module, 100,000 connects: flake8 --select E999 {alone:.0f} s CPU, "
                f"--select SIG {with_sig:.0f} s CPU ({findings:,} findings): {with_sig / alone:.2f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
