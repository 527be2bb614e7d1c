"""The pinned real-world corpus and the two flake8 environments the benchmark compares.

Everything lives in ``bench/.cache/`` (gitignored): sdists, unpacked sources, and two virtualenvs
with the same pinned flake8 — ``venv-base`` (flake8 only) and ``venv-plugin`` (flake8 plus this
checkout, installed editable so it measures the working tree).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = Path(os.environ.get("SIG_BENCH_CACHE", BENCH / ".cache"))

# Pins for flake8 and what the plugin pulls in, so both venvs run the same code on every machine.
FLAKE8_PINS = ["flake8==7.5.0", "pyflakes==4.1.0", "pycodestyle==2.15.0", "mccabe==0.7.0"]
PLUGIN_PINS = ["astroid==4.3.4", "blinker==1.9.0"]


@dataclass(frozen=True)
class Project:
    name: str  # PyPI name
    version: str
    group: str  # "django" (large, signal-light), "signals"/"signal-heavy" (signal users) or "precision"
    source: str  # directory inside the unpacked sdist that holds the package(s) to lint

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


CORPUS = (
    Project("Django", "5.2.19", "django", "."),
    Project("Flask", "3.1.3", "signals", "."),
    Project("celery", "5.7.0", "signals", "."),
    Project("wagtail", "8.0.1", "signals", "."),
    Project("Scrapy", "2.19.0", "precision", "."),
    Project("django-allauth", "65.21.1", "precision", "."),
    # Two more Django apps that connect many receivers (history tracking, a shop framework).
    Project("django-simple-history", "3.13.0", "precision", "."),
    Project("django-oscar", "4.2.1", "precision", "."),
    # The signal-heavy set of the lint budget (issue 14): Flask and its extensions that declare
    # and send blinker signals, plus celery (listed under "signals" above, shared here).
    Project("Flask-Security-Too", "5.9.2", "signal-heavy", "."),
    Project("Flask-Login", "0.6.3", "signal-heavy", "."),
    Project("Flask-Principal", "0.4.0", "signal-heavy", "."),
)
_SIGNAL_HEAVY = ("Flask", "Flask-Security-Too", "Flask-Login", "Flask-Principal", "celery")
GROUPS = {
    "django": [p for p in CORPUS if p.group == "django"],
    "signals": [p for p in CORPUS if p.group == "signals"],
    "signal-heavy": [p for name in _SIGNAL_HEAVY for p in CORPUS if p.name == name],
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list[str], **kwargs) -> None:
    log("$ " + " ".join(command))
    subprocess.run(command, check=True, **kwargs)


# -- corpus --------------------------------------------------------------------------------------
def _archive_for(project: Project, directory: Path) -> Path | None:
    stems = {project.name.lower().replace("-", "_"), project.name.lower()}
    for path in sorted(directory.iterdir()):
        name = path.name.lower()
        if any(name.startswith(f"{stem}-{project.version}") for stem in stems):
            return path
    return None


def download(project: Project) -> Path:
    """The sdist (a wheel only when PyPI has no sdist), downloaded once."""
    sdists = CACHE / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    found = _archive_for(project, sdists)
    if found is not None:
        return found
    base = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(sdists), project.spec]
    try:
        run([*base[:5], "--no-binary", ":all:", *base[5:]])
    except subprocess.CalledProcessError:
        run([*base[:5], "--only-binary", ":all:", *base[5:]])
    found = _archive_for(project, sdists)
    if found is None:
        raise RuntimeError(f"pip downloaded nothing recognisable for {project.spec}")
    return found


def unpacked(project: Project) -> Path:
    """The directory to lint, e.g. ``.cache/src/Django-5.2.19/django``."""
    target = CACHE / "src" / f"{project.name}-{project.version}"
    if not target.exists():
        archive = download(project)
        partial = target.with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        if archive.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(partial)
        else:
            with tarfile.open(archive) as tarred:
                tarred.extractall(partial, filter="data")
        entries = list(partial.iterdir())
        root = entries[0] if len(entries) == 1 and entries[0].is_dir() else partial
        shutil.move(str(root), str(target)) if root is not partial else partial.rename(target)
        shutil.rmtree(partial, ignore_errors=True)
    _mark_project_root(target)
    return target


# flake8_signals.analysis.project_files.PROJECT_MARKERS, spelled out: bench/ never imports the plugin
_PROJECT_MARKERS = ("setup.cfg", "tox.ini", ".flake8", "pyproject.toml", "setup.py", ".git", ".hg", ".svn")


def _mark_project_root(target: Path) -> None:
    """A wheel (used when PyPI has no sdist) has no project file, so the SIG2xx index would take
    the nearest directory above that has one as the project: this checkout, which a user's
    project never contains. Their checkout has one; so does ours, with an empty pyproject.toml
    (flake8 reads no configuration from it, and only from the directory it runs in anyway)."""
    if not any((target / marker).exists() for marker in _PROJECT_MARKERS):
        (target / "pyproject.toml").write_text("# bench/_corpus.py: the project root of an unpacked wheel\n")


def lint_root(project: Project) -> Path:
    """Where flake8 is run from (the sdist root, like a developer in their checkout)."""
    return unpacked(project)


def python_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.py") if p.is_file())


# -- environments --------------------------------------------------------------------------------
def venv_python(name: str) -> Path:
    return CACHE / name / "bin" / "python"


def ensure_venvs(refresh: bool = False) -> dict[str, Path]:
    """``base``: flake8 alone. ``plugin``: flake8 + this checkout (editable) + pinned astroid."""
    pythons = {}
    for name, extra in (("venv-base", []), ("venv-plugin", ["-e", str(REPO)])):
        python = venv_python(name)
        marker = CACHE / name / ".bench-ready"
        if refresh or not marker.exists():
            shutil.rmtree(CACHE / name, ignore_errors=True)
            run([sys.executable, "-m", "venv", str(CACHE / name)])
            pins = FLAKE8_PINS + (PLUGIN_PINS if extra else [])
            run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins, *extra])
            marker.write_text(json.dumps(installed_versions(python)))
        pythons[name.removeprefix("venv-")] = python
    # An installed wheel's modules are byte-compiled by pip; the editable checkout's are only when
    # some run writes them, and PYTHONDONTWRITEBYTECODE or a fresh edit would have every measured
    # process compile the plugin again. Compiled here, so both venvs start from bytecode.
    run([str(pythons["plugin"]), "-m", "compileall", "-q", str(REPO / "flake8_signals")])
    return pythons


def installed_versions(python: Path) -> dict[str, str]:
    code = """\
import importlib.metadata as m, json, platform
versions = {"python": platform.python_version()}
for name in ("flake8", "pyflakes", "pycodestyle", "astroid", "blinker", "flake8-signals"):
    try:
        versions[name] = m.version(name)
    except m.PackageNotFoundError:
        pass
print(json.dumps(versions))
"""
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def flake8_script(python: Path) -> Path:
    """The venv's console script: unlike ``python -m flake8`` it does not put the cwd on sys.path."""
    return python.parent / "flake8"


def sig_plugin_loaded(python: Path) -> bool:
    out = subprocess.run(
        [str(flake8_script(python)), "--version"], capture_output=True, text=True, cwd=CACHE
    ).stdout
    return "flake8-signals" in out
