"""The lint budget of issue 14: what the plugin adds to flake8, at -j1 and -j2, and for one file.

    python bench/budget.py --reps 5                 # prints the tables
    python bench/budget.py --reps 5 --write-readme  # and puts them into bench/README.md

Uses the corpus and the two environments of ``bench/run.py`` (see bench/README.md). Every figure
is the median of ``--reps`` alternating A/B pairs (A: ``flake8 --select F`` without the plugin;
B: ``--select F,SIG`` with it), with the spread (lowest-highest) beside it; CPU time is user+sys
of the whole process tree (``wait4``), peak RSS the largest single process.

- ``django`` and ``signal-heavy`` groups, ``-j1`` and ``-j2`` (``-j auto`` is ``-j2`` on this
  2-core machine; its wall time is reported), with the plugin's disk cache **off**: what a fresh
  CI runner pays. ``--cache warm`` measures with the cache kept between the repetitions instead.
- One file linted inside a large tree (cwd = the sdist's root, the file given by path), after one
  earlier run of the same command, as an editor or a pre-commit hook does: cache **on**. A run
  takes about 0.2 s, so these rows take ``--one-file-reps`` pairs (default 21).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import CACHE, CORPUS, GROUPS, ensure_venvs, flake8_script, lint_root, log, unpacked
from run import group_paths, measure, run_meta

BUDGET = {"django": 0.05, "signal-heavy": 0.15}
ONE_FILE_BUDGET = 1.5
ONE_FILE = (  # (project, file inside its sdist): each file looks a signal up by name
    ("Django", "tests/builtin_server/tests.py"),
    ("Flask-Security-Too", "flask_security/signals.py"),
)
README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- budget-results:start -->", "<!-- budget-results:end -->"


def plugin_env(cache: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FLAKE8_SIGNALS_NO_CACHE", None)
    if cache == "off":
        env["FLAKE8_SIGNALS_NO_CACHE"] = "1"
    env["FLAKE8_SIGNALS_CACHE_DIR"] = str(CACHE / "signals-cache")
    return env


def pairs(pythons, cwd, paths, jobs, reps, label, cache, select_plugin="F,SIG"):
    samples = {"base": [], "plugin": []}
    for rep in range(reps):
        for variant in ["base", "plugin"] if rep % 2 == 0 else ["plugin", "base"]:
            select = "F" if variant == "base" else select_plugin
            command = [
                str(flake8_script(pythons[variant])),
                "--isolated",
                f"--jobs={jobs}",
                f"--select={select}",
                "--exit-zero",
                *paths,
            ]
            sample = measure(command, cwd, env=plugin_env(cache) if variant == "plugin" else None)
            samples[variant].append(sample)
            log(
                f"  {label} -j{jobs} {rep + 1}/{reps} {variant:6} "
                f"cpu {sample.cpu:6.2f} wall {sample.wall:6.2f}"
            )
    return samples


def summary(samples) -> dict:
    def of(variant, attribute):
        values = [getattr(s, attribute) for s in samples[variant]]
        return {"median": statistics.median(values), "low": min(values), "high": max(values)}

    out = {v: {a: of(v, a) for a in ("cpu", "wall")} for v in samples}
    for v in samples:
        out[v]["rss"] = max(s.maxrss_mb for s in samples[v])
    out["overhead"] = out["plugin"]["cpu"]["median"] / out["base"]["cpu"]["median"] - 1
    out["wall_overhead"] = out["plugin"]["wall"]["median"] / out["base"]["wall"]["median"] - 1
    return out


def spread(figure: dict, digits: int = 1) -> str:
    return f"{figure['median']:.{digits}f} ({figure['low']:.{digits}f}-{figure['high']:.{digits}f})"


def render(results: dict) -> str:
    meta = results["meta"]
    lines = [
        f"Measured {meta['date']} on {meta['machine']}; Python {meta['versions']['python']}, flake8 "
        f"{meta['versions']['flake8']}, astroid {meta['versions'].get('astroid')} (commit {meta['commit']}); "
        f"{meta['reps']} alternating A/B pairs, median (lowest-highest); disk cache {meta['cache']} for the "
        f"corpus rows. Reproduce: `{meta['command']}`.",
        "",
        "| corpus | files | jobs | CPU s, flake8 --select F | CPU s, + SIG | CPU overhead | budget | "
        "wall s, F | wall s, + SIG | peak RSS MB, F → + SIG |",
        "|---|---:|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in results["rows"]:
        s = row["summary"]
        verdict = "met" if s["overhead"] <= row["budget"] else "**MISSED**"
        lines.append(
            f"| {row['label']} | {row['files']} | -j{row['jobs']} | {spread(s['base']['cpu'])} | "
            f"{spread(s['plugin']['cpu'])} | {s['overhead'] * 100:+.1f}% | ≤ +{row['budget'] * 100:.0f}% "
            f"({verdict}) | {spread(s['base']['wall'])} | {spread(s['plugin']['wall'])} | "
            f"{s['base']['rss']:.0f} → {s['plugin']['rss']:.0f} "
            f"(+{s['plugin']['rss'] - s['base']['rss']:.0f}) |"
        )
    if results.get("one_file"):
        lines += [
            "",
            f"One file inside a large tree, after one earlier run (cache on), -j1, "
            f"{meta.get('one_file_reps', meta['reps'])} alternating pairs:",
            "",
            "| tree (files) | file | CPU s, flake8 --select F | CPU s, + SIG | ratio | budget |",
            "|---|---|---:|---:|---:|---|",
        ]
        for row in results["one_file"]:
            s = row["summary"]
            ratio = s["plugin"]["cpu"]["median"] / s["base"]["cpu"]["median"]
            verdict = "met" if ratio <= ONE_FILE_BUDGET else "**MISSED**"
            lines.append(
                f"| {row['label']} ({row['files']}) | `{row['file']}` | {spread(s['base']['cpu'], 2)} | "
                f"{spread(s['plugin']['cpu'], 2)} | {ratio:.2f}x | ≤ {ONE_FILE_BUDGET}x ({verdict}) |"
            )
    return "\n".join(lines)


def write_readme(markdown: str) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text:
        text = text.rstrip() + f"\n\n## Lint budget (issue 14)\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--groups", default="django,signal-heavy")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--cache", choices=("off", "warm"), default="off")
    parser.add_argument("--no-one-file", action="store_true")
    parser.add_argument(
        "--one-file-reps", type=int, default=21, help="pairs for the one-file rows (each run is ~0.2 s)"
    )
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--out", default="budget-latest", help="results file name in bench/.cache")
    args = parser.parse_args(argv)
    for project in CORPUS:
        unpacked(project)
    pythons = ensure_venvs()
    results = {
        "meta": run_meta(
            pythons, "budget.py", argv, reps=args.reps, one_file_reps=args.one_file_reps, cache=args.cache
        ),
        "rows": [],
        "one_file": [],
    }

    def save() -> None:
        markdown = render(results)
        if args.write_readme:
            write_readme(markdown)
        (CACHE / f"{args.out}.md").write_text(markdown)

    for group in args.groups.split(","):
        cwd, paths, count = group_paths(group)
        label = " + ".join(p.label for p in GROUPS[group])
        for jobs in args.jobs.split(","):
            if args.cache == "warm":
                pairs(pythons, cwd, paths, jobs, 1, f"{group} warm-up", args.cache)
            samples = pairs(pythons, cwd, paths, jobs, args.reps, group, args.cache)
            results["rows"].append(
                {
                    "label": label,
                    "files": count,
                    "jobs": jobs,
                    "budget": BUDGET[group],
                    "summary": summary(samples),
                }
            )
            save()
    if not args.no_one_file:
        by_name = {p.name: p for p in CORPUS}
        for name, relative in ONE_FILE:
            project = by_name[name]
            cwd = lint_root(project)
            files = sum(1 for _ in cwd.rglob("*.py"))
            pairs(pythons, cwd, [relative], "1", 1, f"{name} one file warm-up", "on")
            samples = pairs(pythons, cwd, [relative], "1", args.one_file_reps, f"{name} one file", "on")
            results["one_file"].append(
                {"label": project.label, "files": files, "file": relative, "summary": summary(samples)}
            )
            save()
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
