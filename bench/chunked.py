"""The budget's corpus rows as many short whole runs: the tree cut into chunks of files, each chunk
linted by ``flake8 --select F`` (without the plugin) and ``--select F,SIG`` (with it) back to
back, the order flipped from chunk to chunk and from pass to pass.

    python bench/chunked.py                                  # django and signal-heavy, 2 passes
    python bench/chunked.py --groups django --jobs 1,2 --passes 4 --write-readme

Why: on this shared machine one ``flake8 -j1`` run of Django takes 57-74 s from one run to the
next, and the machine's speed drifts over minutes, so the five whole-run pairs of ``budget.py``
read a 2% overhead as anything from -17% to +18%. The hope was that runs of a few seconds, paired
back to back, see the same machine; summed over the tree they are still whole processes
(start-up, the plugin's import, the project read, reporting, the collector), only more of them:
every chunk pays the one-time costs again, so the figure is an upper bound on what one run of the
whole tree pays. Measured (bench/README.md, "Reading these figures"): the noise moves to the
seconds scale too (chunk pairs -20% to +49%, passes +1.3% and +9.6%), so this is one more reading,
not a steadier one. Same environments and disk cache setting (off) as ``budget.py``'s corpus rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import GROUPS, ensure_venvs, flake8_script, log, python_files
from budget import BUDGET, plugin_env
from run import group_paths, measure, run_meta, write_readme

START, END = "<!-- chunked-results:start -->", "<!-- chunked-results:end -->"


def chunks_of(group: str, size: int) -> tuple[Path, list[list[str]]]:
    cwd, paths, _count = group_paths(group)
    files = [str(f.relative_to(cwd)) for path in paths for f in python_files(cwd / path)]
    return cwd, [files[i : i + size] for i in range(0, len(files), size)]


def run_group(group: str, pythons, size: int, passes: int, jobs: int) -> dict:
    cwd, chunks = chunks_of(group, size)
    cpu = {"base": [0.0] * passes, "plugin": [0.0] * passes}
    ratios: list[float] = []
    for number in range(passes):
        for index, chunk in enumerate(chunks):
            pair = {}
            first = "base" if (index + number) % 2 == 0 else "plugin"
            for variant in (first, "plugin" if first == "base" else "base"):
                select = "F" if variant == "base" else "F,SIG"
                command = [
                    str(flake8_script(pythons[variant])),
                    "--isolated",
                    f"-j{jobs}",
                    f"--select={select}",
                    *chunk,
                ]
                env = plugin_env("off") if variant == "plugin" else None
                pair[variant] = measure(command, cwd, env).cpu
                cpu[variant][number] += pair[variant]
            ratios.append(pair["plugin"] / pair["base"])
        base, plugin = cpu["base"][number], cpu["plugin"][number]
        log(
            f"  {group} -j{jobs} pass {number + 1}/{passes}: {base:.1f} -> {plugin:.1f} s "
            f"({(plugin / base - 1) * 100:+.1f}%)"
        )
    return {
        "group": group,
        "jobs": jobs,
        "files": sum(len(c) for c in chunks),
        "chunks": len(chunks),
        "cpu": cpu,
        "ratios": ratios,
    }


def render(results: dict) -> str:
    meta = results["meta"]
    lines = [
        f"Measured {meta['date']} on {meta['machine']}; Python {meta['versions']['python']}, flake8 "
        f"{meta['versions']['flake8']} (commit {meta['commit']}); chunks of {meta['size']} files, "
        f"{meta['passes']} passes; disk cache off. Reproduce: `{meta['command']}`.",
        "",
        "| corpus | files | jobs | chunks | CPU s, flake8 --select F | CPU s, + SIG | overhead, each pass | "
        "overhead, all passes | pair ratios, median (lowest-highest) | budget |",
        "|---|---:|---|---:|---:|---:|---|---:|---|---|",
    ]
    for row in results["rows"]:
        base, plugin = sum(row["cpu"]["base"]), sum(row["cpu"]["plugin"])
        each = ", ".join(
            f"{(p / b - 1) * 100:+.1f}%"
            for b, p in zip(row["cpu"]["base"], row["cpu"]["plugin"], strict=True)
        )
        overhead = plugin / base - 1
        ratios = row["ratios"]
        budget = BUDGET[row["group"]]
        verdict = "met" if overhead <= budget else "**MISSED**"
        lines.append(
            f"| {row['label']} | {row['files']} | -j{row['jobs']} | {row['chunks']} | {base:.1f} | "
            f"{plugin:.1f} | {each} | "
            f"{overhead * 100:+.1f}% | {(statistics.median(ratios) - 1) * 100:+.1f}% "
            f"({(min(ratios) - 1) * 100:+.0f} to {(max(ratios) - 1) * 100:+.0f}) | "
            f"≤ +{budget * 100:.0f}% ({verdict}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--groups", default="django,signal-heavy")
    parser.add_argument("--size", type=int, default=150, help="files per chunk")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--jobs", default="1", help="comma-separated, e.g. 1,2")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    pythons = ensure_venvs()
    results = {
        "meta": run_meta(pythons, "chunked.py", argv, size=args.size, passes=args.passes),
        "rows": [],
    }
    for group in args.groups.split(","):
        for jobs in (int(j) for j in args.jobs.split(",")):
            row = run_group(group, pythons, args.size, args.passes, jobs)
            row["label"] = " + ".join(p.label for p in GROUPS[group])
            results["rows"].append(row)
    markdown = render(results)
    print(markdown)
    if args.write_readme:
        write_readme(markdown, START, END, "Corpus rows as short whole runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
