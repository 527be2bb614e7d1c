"""The lint budget measured file by file: flake8's checks with and without this plugin, in turn
on each file, in one process.

    python bench/interleaved.py                          # django and signal-heavy, 1 pass
    python bench/interleaved.py --groups django --reps 3

Why: on this shared 2-core machine the CPU time of one whole ``flake8 -j1`` run of Django swings
by up to a third between runs of the same command (bench/README.md, the budget table's spreads),
so five alternating whole-run pairs cannot resolve a 5% overhead. Here every file is a pair:
flake8's ``FileChecker.run_checks`` (what ``flake8 -j1`` runs per file) with the plugins of
``--select F`` and then with ``--select F,SIG``'s, the order flipped from one file to the next,
``time.process_time`` around each; a slow spell of the machine lands on both variants of the
files it covers. Runs inside ``bench/.cache/venv-plugin`` (this checkout installed editable),
with the plugin's disk cache off, like the budget rows.

What it leaves out: start-up (importing the plugin, about 0.03 s, and each family's analyses on
first use, about 0.02 s each: ``bench/startup.py``) and reporting. The collector runs when
allocations trigger it, so some of the plugin's garbage is collected during the other variant's
files: the figure is the plugin's own work plus most, not all, of what it costs the collector;
bench/README.md compares it with the whole-run figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _worker(paths: list[str], reps: int) -> dict:
    from flake8.checker import FileChecker
    from flake8.discover_files import expand_paths
    from flake8.options.parse_args import parse_args
    from flake8.plugins.finder import Checkers

    # one option set for both variants: SIG selected, so the plugin's own gate lets it run; the
    # base variant simply does not carry the plugin
    plugins, options = parse_args(["--isolated", "--select=F,SIG", "-j1", *paths])
    full = plugins.checkers
    base = Checkers(
        tree=[p for p in full.tree if p.entry_name != "SIG"],
        logical_line=full.logical_line,
        physical_line=full.physical_line,
    )
    found = expand_paths(paths=paths, stdin_display_name="stdin", filename_patterns=("*.py",), exclude=())
    files = list(found)
    seconds = {"base": 0.0, "plugin": 0.0}
    findings = {"base": 0, "plugin": 0}
    for rep in range(reps):
        for index, filename in enumerate(files):
            order = ("base", "plugin") if (index + rep) % 2 == 0 else ("plugin", "base")
            for variant in order:
                checkers = base if variant == "base" else full
                started = time.process_time()
                _, results, _ = FileChecker(filename=filename, plugins=checkers, options=options).run_checks()
                seconds[variant] += time.process_time() - started
                findings[variant] += len(results)
    return {"files": len(files), "reps": reps, "seconds": seconds, "findings": findings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", default="django,signal-heavy")
    parser.add_argument("--reps", type=int, default=1, help="passes over every file")
    parser.add_argument("--worker", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        json.dump(_worker(args.worker, args.reps), sys.stdout)
        return 0

    from _corpus import ensure_venvs
    from run import group_paths

    pythons = ensure_venvs()
    env = {**os.environ, "FLAKE8_SIGNALS_NO_CACHE": "1"}
    print("| corpus | files | passes | CPU s, flake8's checks | + SIG | overhead | SIG findings |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for group in args.groups.split(","):
        cwd, paths, _ = group_paths(group)
        script = str(Path(__file__).resolve())
        completed = subprocess.run(
            [str(pythons["plugin"]), script, "--reps", str(args.reps), "--worker", *paths],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(completed.stdout)
        base, plugin = result["seconds"]["base"], result["seconds"]["plugin"]
        extra = result["findings"]["plugin"] - result["findings"]["base"]
        print(
            f"| {group} | {result['files']} | {result['reps']} | {base:.2f} | {plugin:.2f} | "
            f"{(plugin / base - 1) * 100:+.1f}% | {extra // result['reps']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
