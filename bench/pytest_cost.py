"""What ``pytest --signals-check`` costs on real test suites. See bench/README.md.

    python bench/pytest_cost.py                       # 5 alternating A/B repetitions per suite
    python bench/pytest_cost.py --reps 7 --write-readme
    python bench/pytest_cost.py --profile flask-dance  # cProfile one run with the check on

Each measurement is a fresh ``python -m pytest -q`` process run from the unpacked sdist: A without
the check, B with ``--signals-check``, alternating (A first on even repetitions, B first on odd
ones) after one warm-up run of each. The figure is CPU time (user + sys of the process tree, from
``wait4``), which the other load on a shared machine barely moves. Both variants must end with the
same test outcomes. Before timing, an injected-loss check copies a small test file into each
suite (and removes it afterwards): its three tests that lose a receiver must fail with the check on
and pass without it, the control test must pass either way.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import BENCH, CACHE, REPO, Project, download, log, run

BUDGET = 1.30  # B / A, CPU, per suite (issue 14)
README = BENCH / "README.md"
START, END = "<!-- pytest-cost:start -->", "<!-- pytest-cost:end -->"
VENV = CACHE / "venv-pytest-cost"
SUITES_DIR = CACHE / "pytest-suites"  # apart from src/, which the flake8 benchmark lints

# The suites' test dependencies, pinned so every machine runs the same code.
PINS = [
    "pytest==9.2.0",
    "pluggy==1.7.0",
    "blinker==1.9.0",
    "astroid==4.3.4",
    "flask==3.1.3",
    "werkzeug==3.1.9",
    "cachelib==0.17.0",
    "requests==2.34.2",
    "oauthlib[signedtoken]==4.0.1",
    "requests-oauthlib==2.0.0",
    "urlobject==3.0.0",
    "pytest-mock==3.17.0",
    "responses==0.26.3",
    "freezegun==1.5.5",
    "sqlalchemy==2.1.9",
    "flask-sqlalchemy==3.1.1",
    "flask-login==0.6.3",
    "betamax==0.9.0",
    "asgiref==3.13.0",
    "pytest-asyncio==1.4.0",
    "pytest-xprocess==1.0.2",
    "redis==8.1.0",
]


@dataclass(frozen=True)
class Suite:
    key: str
    project: Project
    args: tuple[str, ...] = ()  # what the suite's own CI adds to `pytest`

    @property
    def root(self) -> Path:
        """The unpacked sdist (downloaded once with the flake8 benchmark's sdists)."""
        target = SUITES_DIR / f"{self.project.name}-{self.project.version}"
        if not target.exists():
            partial = target.with_suffix(".partial")
            shutil.rmtree(partial, ignore_errors=True)
            with tarfile.open(download(self.project)) as archive:
                archive.extractall(partial, filter="data")
            (top,) = partial.iterdir()
            top.rename(target)
            partial.rmdir()
        return target


SUITES = {
    suite.key: suite
    for suite in (
        Suite("flask-dance", Project("flask-dance", "7.1.0", "pytest", "."), ("-p", "no:cacheprovider")),
        Suite(
            "flask-caching",
            Project("flask-caching", "2.5.1", "pytest", "."),
            # pytest-xprocess needs the cache provider; keep its folder out of the sdist.
            (
                "-o",
                "asyncio_default_fixture_loop_scope=function",
                "-o",
                f"cache_dir={SUITES_DIR / '.pytest-cache-caching'}",
            ),
        ),
    )
}

INJECTED_NAME = "test_zz_flake8_signals_injected.py"
INJECTED = '''\
"""Injected by bench/pytest_cost.py: three tests that lose a receiver, one that does not."""

import blinker
import pytest

bench_signal = blinker.Signal("bench-injected")


def _connect_nested():
    def on_nested(sender):
        pass

    bench_signal.connect(on_nested)  # dies when this returns


def _connect_cyclic():
    def on_cyclic(sender):
        return on_cyclic  # a reference cycle: only the garbage collector frees it

    bench_signal.connect(on_cyclic)


@pytest.fixture
def connected_by_fixture():
    _connect_nested()


def test_injected_loses_in_a_helper():
    _connect_nested()


def test_injected_loses_a_cycle():
    _connect_cyclic()


def test_injected_loses_in_a_fixture(connected_by_fixture):
    pass


def test_injected_control_keeps_its_receiver():
    received = []

    def on_kept(sender):
        received.append(sender)

    bench_signal.connect(on_kept)
    bench_signal.send("me")
    assert received == ["me"]
'''
INJECTED_LOSERS = (
    "test_injected_loses_in_a_helper",
    "test_injected_loses_a_cycle",
    "test_injected_loses_in_a_fixture",
)


@dataclass
class Sample:
    cpu: float
    wall: float
    returncode: int
    outcome: str  # pytest's last line, without the timing
    load: float = 0.0


@dataclass
class SuiteResult:
    key: str
    label: str
    tests: str
    base: list[Sample] = field(default_factory=list)
    check: list[Sample] = field(default_factory=list)


# -- environment ---------------------------------------------------------------------------------
def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv(refresh: bool = False) -> Path:
    """One venv with both suites' test dependencies, the two projects and this checkout."""
    marker = VENV / ".bench-ready"
    if refresh or not marker.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(VENV)])
        pip = [str(python()), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        run([*pip, *PINS])
        run([*pip, "--no-deps", *(str(suite.root) for suite in SUITES.values())])
        run([*pip, "--no-deps", "-e", str(REPO)])
        marker.write_text(json.dumps(installed_versions()))
    return python()


def installed_versions() -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, platform\n"
        "print(json.dumps({'python': platform.python_version(), **{n: m.version(n) for n in "
        "('pytest', 'blinker', 'flask', 'flask-dance', 'flask-caching', 'flake8-signals')}}))"
    )
    out = subprocess.run([str(python()), "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def clean_env() -> dict[str, str]:
    """The caller's environment without what changes a suite's behaviour here."""
    env = dict(os.environ)
    for name in (
        "CI",  # Flask-Caching fails instead of skipping without redis/memcached under CI
        "REQUESTS_CA_BUNDLE",  # Flask-Dance asserts requests' default `verify`
        "CURL_CA_BUNDLE",
        "PYTEST_ADDOPTS",
        "PYTEST_PLUGINS",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
        "PYTHONDONTWRITEBYTECODE",  # a developer's runs reuse their bytecode
    ):
        env.pop(name, None)
    env["PYTHONHASHSEED"] = "0"
    return env


# -- measuring -----------------------------------------------------------------------------------
_TIMING = re.compile(r" in [0-9.]+s( \([0-9:]+\))?")


def measure(suite: Suite, check: bool, extra: tuple[str, ...] = ()) -> tuple[Sample, str]:
    command = [
        str(python()),
        "-m",
        "pytest",
        "-q",
        *suite.args,
        *(("--signals-check",) if check else ()),
        *extra,
    ]
    out_path = CACHE / "pytest-cost-last-output.txt"
    with open(out_path, "w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=suite.root, env=clean_env(), stdout=out, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    returncode = os.waitstatus_to_exitcode(status)
    output = out_path.read_text(errors="replace")
    last = output.strip().splitlines()[-1] if output.strip() else ""
    if returncode not in (0, 1) or "INTERNALERROR" in output:
        raise RuntimeError(
            f"pytest did not run the suite ({returncode}): {' '.join(command)}\n{output[-3000:]}"
        )
    sample = Sample(usage.ru_utime + usage.ru_stime, wall, returncode, _TIMING.sub("", last).strip("= "))
    sample.load = os.getloadavg()[0]
    return sample, output


def injected_check(suite: Suite) -> str:
    """The injected losers fail with the check on (and only then); the control passes."""
    path = suite.root / "tests" / INJECTED_NAME
    path.write_text(INJECTED, encoding="utf-8")
    try:
        target = f"tests/{INJECTED_NAME}"
        _, without = measure(suite, check=False, extra=("-rA", target))
        _, with_check = measure(suite, check=True, extra=("-rA", target))  # --signals-check tests/...
    finally:
        path.unlink()
    failed = set(re.findall(rf"^FAILED {re.escape(target)}::(\w+)", with_check, re.M))
    passed_with = set(re.findall(rf"^PASSED {re.escape(target)}::(\w+)", with_check, re.M))
    passed_without = set(re.findall(rf"^PASSED {re.escape(target)}::(\w+)", without, re.M))
    expected_all = {*INJECTED_LOSERS, "test_injected_control_keeps_its_receiver"}
    problems = []
    if failed != set(INJECTED_LOSERS):
        problems.append(f"with --signals-check, failed {sorted(failed)} instead of {sorted(INJECTED_LOSERS)}")
    if passed_with != {"test_injected_control_keeps_its_receiver"}:
        problems.append(f"with --signals-check, passed {sorted(passed_with)}")
    if passed_without != expected_all:
        problems.append(f"without the check, passed {sorted(passed_without)}")
    if with_check.count("flake8-signals: 1 signal receiver was garbage-collected") < len(INJECTED_LOSERS):
        problems.append("the failures do not carry the flake8-signals message")
    if problems:
        raise RuntimeError(
            f"{suite.key}: injected-loss check failed: " + "; ".join(problems) + "\n" + with_check[-3000:]
        )
    return (
        f"the {len(INJECTED_LOSERS)} injected losses fail with the check on and pass without; "
        "the control passes"
    )


def ab(suite: Suite, reps: int) -> SuiteResult:
    log(f"{suite.key}: warm-up")
    base, _ = measure(suite, check=False)
    measure(suite, check=True)
    result = SuiteResult(suite.key, suite.project.label, base.outcome)
    for rep in range(reps):
        order = (False, True) if rep % 2 == 0 else (True, False)
        for check in order:
            sample, output = measure(suite, check)
            (result.check if check else result.base).append(sample)
            variant = "check" if check else "base"
            log(
                f"  {suite.key} rep {rep + 1}/{reps} {variant:5}: cpu {sample.cpu:6.2f} s  "
                f"wall {sample.wall:6.2f} s  {sample.outcome}"
            )
            if sample.outcome != result.tests:
                raise RuntimeError(
                    f"{suite.key}: the outcome changed with check={check}: "
                    f"{sample.outcome!r} != {result.tests!r}\n{output[-3000:]}"
                )
    return result


def profile(suite: Suite) -> None:
    out = CACHE / f"pytest-cost-{suite.key}.prof"
    command = [
        str(python()),
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "pytest",
        "-q",
        *suite.args,
        "--signals-check",
    ]
    subprocess.run(command, cwd=suite.root, env=clean_env(), check=False)
    code = f"import pstats; pstats.Stats({str(out)!r}).sort_stats('tottime').print_stats(15)"
    subprocess.run([str(python()), "-c", code], check=True)


# -- reporting -----------------------------------------------------------------------------------
def _median(samples: list[Sample]) -> float:
    return statistics.median(sample.cpu for sample in samples)


def _spread(samples: list[Sample]) -> str:
    values = [sample.cpu for sample in samples]
    return f"{min(values):.2f}-{max(values):.2f}"


def render(results: list[SuiteResult], meta: dict[str, Any]) -> str:
    versions = meta["versions"]
    lines = [
        f"{meta['date']}, commit {meta['commit']}: {meta['reps']} alternating repetitions after a warm-up, "
        f"Python {meta['python']}, pytest {versions.get('pytest')}; load {meta['load']:.1f} on "
        f"{meta['cores']} cores at the end.",
        "",
        "| suite | outcome | CPU s without: median (min-max) | with `--signals-check` | ratio of medians "
        "| ratio per pair | budget |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        base, check = _median(result.base), _median(result.check)
        ratios = [b.cpu / a.cpu for a, b in zip(result.base, result.check, strict=True)]
        verdict = "met" if check / base <= BUDGET else "**missed**"
        lines.append(
            f"| {result.label} | {result.tests} | {base:.2f} ({_spread(result.base)}) "
            f"| {check:.2f} ({_spread(result.check)}) | {check / base:.2f}x "
            f"| {min(ratios):.2f}-{max(ratios):.2f}x | <= {BUDGET:.2f}x {verdict} |"
        )
    lines += ["", *(f"- injected-loss check, {key}: {text}." for key, text in meta["injected"].items())]
    return "\n".join(lines)


def write_readme(markdown: str) -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--suites", default=",".join(SUITES), help="comma-separated: " + ", ".join(SUITES))
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--refresh-venv", action="store_true")
    parser.add_argument("--profile", choices=sorted(SUITES), help="cProfile one run with the check on")
    args = parser.parse_args()
    ensure_venv(args.refresh_venv)
    if args.profile:
        profile(SUITES[args.profile])
        return
    suites = [SUITES[key] for key in args.suites.split(",")]
    injected = {suite.key: injected_check(suite) for suite in suites}
    results = [ab(suite, args.reps) for suite in suites]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "flake8_signals"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    meta: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "reps": args.reps,
        "python": platform.python_version(),
        "versions": json.loads((VENV / ".bench-ready").read_text()),
        "load": os.getloadavg()[0],
        "cores": os.cpu_count(),
        "commit": commit + (" + uncommitted changes" if dirty else ""),
        "injected": injected,
    }
    raw = CACHE / f"pytest-cost-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    raw.write_text(json.dumps({"meta": meta, "results": [asdict(r) for r in results]}, indent=2))
    markdown = render(results, meta)
    print(markdown)
    log(f"raw results: {raw}")
    if args.write_readme:
        write_readme(markdown)


if __name__ == "__main__":
    main()
