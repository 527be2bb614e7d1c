"""Speed budget of flake8-signals on a pinned real-world corpus. See bench/README.md.

    python bench/run.py                 # everything, 3 repetitions (~1 h on 2 cores)
    python bench/run.py --quick         # 1 repetition, scaling 1x/2x on the small corpus
    python bench/run.py --reps 5 --write-readme
    python bench/run.py --profile signals   # cProfile of one -j1 run with the plugin
    python bench/run.py --fast-path --reps 5 --write-readme   # flake8 --select SIG vs flake8-signals check

Each measurement is a fresh ``flake8 --isolated`` process; A (flake8 alone, in a venv without the
plugin) and B (same pinned flake8 with this checkout installed) alternate, and medians are taken.
CPU time (user+sys of the whole process tree, from wait4) is the main figure for -j1, as it is
immune to other load on the machine; wall time is the figure for -j auto.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import (
    BENCH,
    CACHE,
    CORPUS,
    GROUPS,
    Project,
    ensure_venvs,
    flake8_script,
    installed_versions,
    lint_root,
    log,
    python_files,
    sig_plugin_loaded,
    unpacked,
)

BUDGET = {"django": 0.05, "signals": 0.30, "signal-heavy": 0.15}  # issue 14: see budget.py
# `flake8-signals check` must take this many times less CPU than `flake8 --select SIG` (issue 14).
FAST_PATH_TARGET = {"django": 10.0, "signal-heavy": 5.0}
README = BENCH / "README.md"
START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"
FAST_START, FAST_END = "<!-- fast-path-results:start -->", "<!-- fast-path-results:end -->"


@dataclass
class Sample:
    wall: float
    cpu: float
    maxrss_mb: float
    returncode: int
    load: float = 0.0  # 1-minute load average when the run ended: other work on the machine
    stats: dict = field(default_factory=dict)


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None, stats: bool = False) -> Sample:
    """One process tree: wall time, CPU time and peak RSS of its largest process (wait4)."""
    env = dict(env or os.environ)
    stats_file = None
    if stats:
        handle, stats_file = tempfile.mkstemp(prefix="sigstats-", suffix=".jsonl")
        os.close(handle)
        env["FLAKE8_SIGNALS_STATS"] = stats_file
    else:
        env.pop("FLAKE8_SIGNALS_STATS", None)
    with open(CACHE / "last-output.txt", "w") as out, open(CACHE / "last-stderr.txt", "w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = (CACHE / "last-stderr.txt").read_text(errors="replace")
    stdout = (CACHE / "last-output.txt").read_text(errors="replace")
    if process.returncode not in (0, 1) or "Traceback" in stderr or "failed during execution" in stdout:
        raise RuntimeError(
            f"flake8 crashed ({process.returncode}): {' '.join(command)}\n{stdout[-2000:]}\n{stderr[-3000:]}"
        )
    sample = Sample(
        wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, os.getloadavg()[0]
    )
    if stats_file:
        sample.stats = merge_stats(Path(stats_file))
        os.unlink(stats_file)
    return sample


def merge_stats(path: Path) -> dict:
    """Sum the per-process counter lines (one per flake8 worker) into one record."""
    merged: dict = {"processes": 0}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        merged["processes"] += 1
        for key, value in record.items():
            if key in ("pid", "max_file"):
                continue
            if key == "max_file_seconds":
                if value >= merged.get(key, -1):
                    merged[key] = value
                    merged["max_file"] = record.get("max_file", "")
            elif isinstance(value, (int, float)):
                merged[key] = merged.get(key, 0) + value
    return merged


def flake8_command(python: Path, select: str, jobs: str, paths: list[str]) -> list[str]:
    return [
        str(flake8_script(python)),
        "--isolated",
        f"--jobs={jobs}",
        f"--select={select}",
        "--exit-zero",
        *paths,
    ]


def ab_runs(
    pythons: dict[str, Path], cwd: Path, paths: list[str], jobs: str, reps: int, label: str
) -> dict[str, list[Sample]]:
    """Alternating A/B: base first on even repetitions, plugin first on odd ones."""
    samples: dict[str, list[Sample]] = {"base": [], "plugin": []}
    for rep in range(reps):
        order = ["base", "plugin"] if rep % 2 == 0 else ["plugin", "base"]
        for variant in order:
            select = "F" if variant == "base" else "F,SIG"
            sample = measure(
                flake8_command(pythons[variant], select, jobs, paths), cwd, stats=variant == "plugin"
            )
            samples[variant].append(sample)
            log(
                f"  {label} -j{jobs} rep {rep + 1}/{reps} {variant:6}: cpu {sample.cpu:6.1f} s  "
                f"wall {sample.wall:6.1f} s  rss {sample.maxrss_mb:5.0f} MB"
            )
    return samples


# -- the SIG-only fast path ---------------------------------------------------------------------------
def check_command(python: Path, jobs: str, paths: list[str]) -> list[str]:
    """``flake8-signals check`` with the options of :func:`flake8_command` (it selects SIG itself)."""
    return [
        str(python.parent / "flake8-signals"),
        "check",
        "--isolated",
        f"--jobs={jobs}",
        "--exit-zero",
        *paths,
    ]


def fast_path_runs(
    python: Path, cwd: Path, paths: list[str], reps: int, label: str
) -> dict[str, list[Sample]]:
    """Alternating ``flake8 --select SIG`` / ``flake8-signals check`` in venv-plugin, -j1; each
    repetition also checks that both printed the same lines."""
    commands = {
        "flake8": flake8_command(python, "SIG", "1", paths),
        "check": check_command(python, "1", paths),
    }
    # the plugin's disk cache off, as in budget.py: what a fresh CI runner pays, run after run
    env = {
        **os.environ,
        "FLAKE8_SIGNALS_NO_CACHE": "1",
        "FLAKE8_SIGNALS_CACHE_DIR": str(CACHE / "signals-cache"),
    }
    samples: dict[str, list[Sample]] = {"flake8": [], "check": []}
    for rep in range(reps):
        outputs = {}
        for variant in ["flake8", "check"] if rep % 2 == 0 else ["check", "flake8"]:
            sample = measure(commands[variant], cwd, env=env)
            outputs[variant] = (CACHE / "last-output.txt").read_text(errors="replace")
            samples[variant].append(sample)
            log(
                f"  {label} rep {rep + 1}/{reps} {variant:6}: cpu {sample.cpu:6.2f} s  "
                f"wall {sample.wall:6.2f} s  rss {sample.maxrss_mb:5.0f} MB"
            )
        if outputs["flake8"] != outputs["check"]:
            raise RuntimeError(
                f"{label}: flake8 --select SIG and flake8-signals check printed different findings"
            )
    return samples


def fast_path_row(label: str, files: int, samples: dict[str, list[Sample]]) -> dict:
    pairs = zip(samples["flake8"], samples["check"], strict=True)
    return {
        "label": label,
        "files": files,
        "flake8_cpu": [s.cpu for s in samples["flake8"]],
        "check_cpu": [s.cpu for s in samples["check"]],
        "ratios": [full.cpu / fast.cpu for full, fast in pairs],
        "flake8_rss": max(s.maxrss_mb for s in samples["flake8"]),
        "check_rss": max(s.maxrss_mb for s in samples["check"]),
        "samples": {k: [asdict(s) for s in v] for k, v in samples.items()},
    }


def render_fast_path(results: dict) -> str:
    meta = results["meta"]

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"

    lines = [
        f"Measured {meta['date']} on {meta['machine']}; Python {meta['versions']['python']}, "
        f"flake8 {meta['versions']['flake8']}, astroid {meta['versions'].get('astroid')} "
        f"(commit {meta['commit']}). {meta['reps']} alternating repetitions, both commands in "
        f"`venv-plugin`, `-j1`, printing the same lines. {_load_note(meta.get('load_average', []))}"
        f"Reproduce: `{meta['command']}`.",
        "",
        "| corpus | files | CPU s, `flake8 --select SIG` | CPU s, `flake8-signals check` | "
        "CPU ratio: of medians (per repetition) | target | peak RSS MB, flake8 / check |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for group, row in results["fast_path"].items():
        target = FAST_PATH_TARGET[group]
        ratio_of_medians = statistics.median(row["flake8_cpu"]) / statistics.median(row["check_cpu"])
        verdict = "met" if ratio_of_medians >= target else "**MISSED**"
        lines.append(
            f"| {row['label']} | {row['files']} | {spread(row['flake8_cpu'])} | {spread(row['check_cpu'])} | "
            f"{ratio_of_medians:.1f}x ({min(row['ratios']):.1f}-{max(row['ratios']):.1f}x) | "
            f"≥ {target:.0f}x ({verdict}) | {row['flake8_rss']:.0f} / {row['check_rss']:.0f} |"
        )
    lines.append("")
    lines.append("CPU seconds are medians with the range (min-max) of the repetitions in brackets.")
    return "\n".join(lines)


def median(samples: list[Sample], attribute: str) -> float:
    return statistics.median(getattr(s, attribute) for s in samples)


def median_stats(samples: list[Sample]) -> dict:
    keys = [k for k, v in samples[0].stats.items() if isinstance(v, (int, float))]
    merged = {k: statistics.median(s.stats.get(k, 0) for s in samples) for k in keys}
    worst = max(samples, key=lambda s: s.stats.get("max_file_seconds", 0))
    merged["max_file_seconds"] = worst.stats.get("max_file_seconds", 0)
    merged["max_file"] = worst.stats.get("max_file", "")
    return merged


# -- scaling ---------------------------------------------------------------------------------------
def scaled_tree(projects: list[Project], copies: int) -> tuple[Path, list[str]]:
    """``copies`` hard-linked copies of the projects' sources, each in its own directory."""
    root = CACHE / "scale" / ("+".join(p.name for p in projects)) / f"x{copies}"
    paths = []
    for index in range(copies):
        for project in projects:
            target = root / f"copy{index}" / project.name
            if not target.exists():
                source = lint_root(project) / project.source
                shutil.copytree(source, target / project.source, copy_function=os.link)
            paths.append(str((target / project.source).relative_to(root)))
    return root, paths


def loglog_slope(points: list[tuple[float, float]]) -> float:
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return covariance / sum((x - mean_x) ** 2 for x in xs)


# -- the worst single file ---------------------------------------------------------------------------
PER_FILE = """
import json, sys, time
from flake8_signals.api import check_file
times = []
for path in sys.argv[1:]:
    started = time.perf_counter()
    findings = check_file(path)
    times.append((time.perf_counter() - started, path, len(findings)))
times.sort(reverse=True)
print(json.dumps({"files": len(times), "total": sum(t for t, _, _ in times), "top": times[:8]}))
"""


def worst_files(python: Path, cwd: Path, paths: list[str]) -> dict:
    files = [str(p.relative_to(cwd)) for path in paths for p in python_files(cwd / path)]
    out = subprocess.run(
        [str(python), "-c", PER_FILE, *files], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


# -- report ----------------------------------------------------------------------------------------
def group_paths(group: str) -> tuple[Path, list[str], int]:
    projects = GROUPS[group]
    cwd = CACHE / "src"
    paths = [str((lint_root(p) / p.source).relative_to(cwd)) for p in projects]
    count = sum(len(python_files(cwd / path)) for path in paths)
    return cwd, paths, count


def ratio(base: float, plugin: float) -> str:
    return f"{(plugin / base - 1) * 100:+.1f}%"


def render(results: dict) -> str:
    meta = results["meta"]
    lines = [
        f"Measured {meta['date']} on {meta['machine']}; Python {meta['versions']['python']}, "
        f"flake8 {meta['versions']['flake8']}, pyflakes {meta['versions'].get('pyflakes')}, "
        f"astroid {meta['versions'].get('astroid')}, flake8-signals {meta['versions'].get('flake8-signals')} "
        f"(commit {meta['commit']}). {meta['reps']} alternating A/B repetitions, medians. "
        f"{_load_note(meta.get('load_average', []))}"
        f"Reproduce: `{meta['command']}`.",
        "",
        "| corpus | files | -j1 CPU s, flake8 --select F | -j1 CPU s, + SIG | -j1 overhead | budget | "
        "-j auto wall s, F | -j auto wall s, + SIG | -j auto overhead | "
        "peak RSS MB, F | peak RSS MB, + SIG |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group, row in results["groups"].items():
        j1, jauto = row["j1"], row.get("jauto")
        verdict = "met" if j1["overhead"] <= BUDGET[group] else "**MISSED**"
        auto = (
            (
                f"{jauto['base_wall']:.1f} | {jauto['plugin_wall']:.1f} | "
                f"{ratio(jauto['base_wall'], jauto['plugin_wall'])}"
            )
            if jauto
            else "- | - | -"
        )
        lines.append(
            f"| {row['label']} | {row['files']} | {j1['base_cpu']:.1f} | {j1['plugin_cpu']:.1f} | "
            f"{ratio(j1['base_cpu'], j1['plugin_cpu'])} | "
            f"≤ +{BUDGET[group] * 100:.0f}% ({verdict}) | {auto} | "
            f"{j1['base_rss']:.0f} | {j1['plugin_rss']:.0f} |"
        )
    lines += [
        "",
        "Where the SIG time goes (-j1, counters from `flake8_signals.stats`, medians):",
        "",
        "| corpus | files seen | skipped by text prefilter | analysed | connect sites | suspect sites | "
        "astroid builds | build s | inferences | inference s | all SIG s | worst file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["groups"].values():
        s = row["j1"]["stats"]
        lines.append(
            f"| {row['label']} | {s.get('files', 0):.0f} | {s.get('files_prefiltered', 0):.0f} | "
            f"{s.get('files_analyzed', 0):.0f} | {s.get('connect_sites', 0):.0f} | "
            f"{s.get('suspect_sites', 0):.0f} | "
            f"{s.get('astroid_builds', 0):.0f} | {s.get('astroid_build_seconds', 0):.2f} | "
            f"{s.get('inferences', 0):.0f} | {s.get('inference_seconds', 0):.2f} | "
            f"{s.get('check_seconds', 0):.2f} | "
            f"{s.get('max_file_seconds', 0):.2f} s `{s.get('max_file', '')}` |"
        )
    if results.get("worst_files"):
        lines += [
            "",
            "Slowest single files through `check_file` (wall time; one process per corpus, in "
            "file order, so the first astroid use also pays astroid's import):",
            "",
        ]
        for group, worst in results["worst_files"].items():
            shown = ", ".join(f"`{path}` {seconds * 1000:.0f} ms" for seconds, path, _n in worst["top"][:4])
            label = results["groups"][group]["label"] if group in results["groups"] else group
            lines.append(
                f"- {label}: {worst['files']} files, {worst['total']:.1f} s in all "
                f"(`ast.parse` included); {shown}"
            )
    if results.get("scaling"):
        sc = results["scaling"]
        lines += [
            "",
            f"Scaling ({sc['label']}, -j1 CPU s, hard-linked copies; medians of {sc['reps']}):",
            "",
            "| copies | files | flake8 --select F | + SIG | SIG counters: all SIG s |",
            "|---:|---:|---:|---:|---:|",
        ]
        for point in sc["points"]:
            lines.append(
                f"| {point['copies']}x | {point['files']} | {point['base_cpu']:.1f} | "
                f"{point['plugin_cpu']:.1f} | {point['sig_seconds']:.2f} |"
            )
        lines.append(
            f"\nFitted exponent (log-log slope, time vs copies): flake8 alone "
            f"{sc['slope_base']:.2f}, with SIG {sc['slope_plugin']:.2f}, SIG's own time "
            f"{sc['slope_sig']:.2f}."
        )
    return "\n".join(lines)


def _load_note(loads: list[float]) -> str:
    if not loads:
        return ""
    return (
        f"Machine load (1-min load average at the end of each run) {min(loads):.1f}-{max(loads):.1f}, "
        f"median {statistics.median(loads):.1f}: CPU times hold up under load, wall times do not. "
    )


def write_readme(markdown: str, start: str = START, end: str = END, title: str = "Latest results") -> None:
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        text = text.rstrip() + f"\n\n## {title}\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{markdown}\n{end}{tail}", encoding="utf-8")


def run_meta(pythons: dict[str, Path], script: str, argv: list[str] | None, **settings) -> dict:
    """What a results block says of its run: when, where, which versions and commit, how."""
    return {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "versions": installed_versions(pythons["plugin"]),
        "commit": commit(),
        **settings,
        "command": f"python bench/{script} " + " ".join(argv if argv is not None else sys.argv[1:]),
    }


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({model})"


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BENCH, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "flake8_signals"],
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except OSError:
        return "?"


def profile(pythons: dict[str, Path], group: str) -> None:
    cwd, paths, count = group_paths(group)
    out = CACHE / f"profile-{group}.prof"
    command = [
        str(pythons["plugin"]),
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "flake8",
        "--isolated",
        "-j1",
        "--select=F,SIG",
        "--exit-zero",
        *paths,
    ]
    log(f"profiling {group} ({count} files) -> {out}")
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    code = (
        "import pstats,sys; p=pstats.Stats(sys.argv[1]); p.sort_stats('cumulative');"
        "p.print_stats(r'flake8_signals|astroid/(builder|manager|rebuilder)|gc', 40)"
    )
    subprocess.run([sys.executable, "-c", code, str(out)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=3, help="A/B repetitions per measurement (default 3)")
    parser.add_argument("--quick", action="store_true", help="1 repetition, light scaling, no -j auto")
    parser.add_argument(
        "--groups",
        help="comma list of: django, signals, signal-heavy (default: django,signals; with --fast-path "
        "django,signal-heavy)",
    )
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-jobs-auto", action="store_true")
    parser.add_argument(
        "--scaling-corpus",
        default="Flask,celery",
        help="projects copied 1x/2x/4x for the scaling fit (default Flask,celery)",
    )
    parser.add_argument("--write-readme", action="store_true", help="put the tables into bench/README.md")
    parser.add_argument("--refresh-venvs", action="store_true")
    parser.add_argument("--profile", metavar="GROUP", help="cProfile one -j1 run with the plugin, then stop")
    parser.add_argument(
        "--fast-path",
        action="store_true",
        help="only compare flake8 --select SIG with flake8-signals check (-j1 CPU), then stop",
    )
    args = parser.parse_args(argv)
    reps = 1 if args.quick else args.reps

    for project in CORPUS:
        unpacked(project)
    pythons = ensure_venvs(args.refresh_venvs)
    if sig_plugin_loaded(pythons["base"]) or not sig_plugin_loaded(pythons["plugin"]):
        raise SystemExit("venv-base must not have flake8-signals and venv-plugin must have it")
    if args.profile:
        profile(pythons, args.profile)
        return 0

    results: dict = {"meta": run_meta(pythons, "run.py", argv, reps=reps), "groups": {}}
    out = CACHE / f"results-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"

    def save(stage: str) -> None:
        """After every stage: a slow or interrupted run still leaves its results behind."""
        results["meta"]["load_average"] = load_averages
        results["meta"]["stages_done"].append(stage)
        out.write_text(json.dumps(results, indent=2))
        if args.write_readme:
            write_readme(render(results))
        log(f"[{stage}] saved {out}")

    load_averages: list[float] = []
    results["meta"]["stages_done"] = []
    groups = (args.groups or ("django,signal-heavy" if args.fast_path else "django,signals")).split(",")
    if args.fast_path:
        results["fast_path"] = {}
        for group in groups:
            cwd, paths, count = group_paths(group)
            label = " + ".join(p.label for p in GROUPS[group])
            log(f"fast path, {label}: {count} files")
            samples = fast_path_runs(pythons["plugin"], cwd, paths, reps, group)
            load_averages += [s.load for v in samples.values() for s in v]
            results["fast_path"][group] = fast_path_row(label, count, samples)
            results["meta"]["load_average"] = load_averages
            out.write_text(json.dumps(results, indent=2))
            if args.write_readme:
                write_readme(render_fast_path(results), FAST_START, FAST_END, "The SIG-only fast path")
            log(f"[fast path {group}] saved {out}")
        print(render_fast_path(results))
        return 0
    # Stage order = priority: the budget figures first, the wall-clock ones (-j auto) last.
    for group in groups:
        cwd, paths, count = group_paths(group)
        label = " + ".join(p.label for p in GROUPS[group])
        log(f"{label}: {count} files")
        j1 = ab_runs(pythons, cwd, paths, "1", reps, group)
        load_averages += [s.load for v in j1.values() for s in v]
        results["groups"][group] = {
            "label": label,
            "files": count,
            "j1": {
                "base_cpu": median(j1["base"], "cpu"),
                "plugin_cpu": median(j1["plugin"], "cpu"),
                "base_wall": median(j1["base"], "wall"),
                "plugin_wall": median(j1["plugin"], "wall"),
                "base_rss": max(s.maxrss_mb for s in j1["base"]),
                "plugin_rss": max(s.maxrss_mb for s in j1["plugin"]),
                "stats": median_stats(j1["plugin"]),
                "samples": {k: [asdict(s) for s in v] for k, v in j1.items()},
            },
        }
        j1_row = results["groups"][group]["j1"]
        j1_row["overhead"] = j1_row["plugin_cpu"] / j1_row["base_cpu"] - 1
        save(f"{group} -j1")

    results["worst_files"] = {}
    for group in groups:
        cwd, paths, _count = group_paths(group)
        results["worst_files"][group] = worst_files(pythons["plugin"], cwd, paths)
    save("worst files")

    if not args.no_scaling:
        names = args.scaling_corpus.split(",")
        projects = [p for p in CORPUS if p.name in names]
        copies_list = (1, 2) if args.quick else (1, 2, 4)
        points = []
        for copies in copies_list:
            root, paths = scaled_tree(projects, copies)
            count = sum(len(python_files(root / path)) for path in paths)
            samples = ab_runs(pythons, root, paths, "1", reps, f"scale x{copies}")
            load_averages += [s.load for v in samples.values() for s in v]
            points.append(
                {
                    "copies": copies,
                    "files": count,
                    "base_cpu": median(samples["base"], "cpu"),
                    "plugin_cpu": median(samples["plugin"], "cpu"),
                    "sig_seconds": median_stats(samples["plugin"]).get("check_seconds", 0.0),
                }
            )
        results["scaling"] = {
            "label": " + ".join(p.label for p in projects),
            "reps": reps,
            "points": points,
            "slope_base": loglog_slope([(p["copies"], p["base_cpu"]) for p in points]),
            "slope_plugin": loglog_slope([(p["copies"], p["plugin_cpu"]) for p in points]),
            "slope_sig": loglog_slope([(p["copies"], max(p["sig_seconds"], 1e-6)) for p in points]),
        }
        save("scaling")

    if not (args.quick or args.no_jobs_auto):
        for group in groups:
            cwd, paths, _count = group_paths(group)
            auto = ab_runs(pythons, cwd, paths, "auto", reps, group)
            load_averages += [s.load for v in auto.values() for s in v]
            results["groups"][group]["jauto"] = {
                "base_wall": median(auto["base"], "wall"),
                "plugin_wall": median(auto["plugin"], "wall"),
                "base_cpu": median(auto["base"], "cpu"),
                "plugin_cpu": median(auto["plugin"], "cpu"),
                "stats": median_stats(auto["plugin"]),
            }
            save(f"{group} -j auto")

    print(render(results))
    missed = [g for g, row in results["groups"].items() if row["j1"]["overhead"] > BUDGET[g]]
    if missed:
        log(f"BUDGET MISSED for {', '.join(missed)}: run `python bench/run.py --profile {missed[0]}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
