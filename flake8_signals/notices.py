"""Things a user should know about a run that are not findings, said once per run on stderr.

Today one: a connection the linter had to leave unjudged because its signal comes from a package
that is neither installed where flake8 runs (a pre-commit venv, say) nor known by import path.
flake8 checks files in worker processes; a marker file per run and package, created exclusively,
lets the first process that meets the package say it and the others stay quiet.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

_said: set[str] = set()  # in this process
_PREFIX = "flake8-signals-notice"


def _run_key() -> int:
    """The flake8 process the run belongs to: this one, or the parent of a worker."""
    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid is not None else os.getpid()


def _marker(package: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{_PREFIX}-{_run_key()}-{package}"


def _first_in_run(package: str) -> bool:
    try:
        descriptor = os.open(_marker(package), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError:
        return True  # no temp directory to coordinate through: say it in this process
    os.close(descriptor)
    return True


def missing_package(package: str) -> None:
    """Say once per run that connections to ``package``'s signals were not judged."""
    if package in _said:
        return
    _said.add(package)
    if not _first_in_run(package):
        return
    sys.stderr.write(
        f"flake8-signals: '{package}' is not installed where flake8 runs and its signals are not known "
        "by import path, so connections to them were not checked; install it beside flake8 (for "
        "pre-commit: the hook's additional_dependencies)\n"
    )


def _clean_up(owner: int) -> None:
    if os.getpid() != owner:
        return  # a forked worker inherits the handler; only the run's own process cleans up
    for path in Path(tempfile.gettempdir()).glob(f"{_PREFIX}-{owner}-*"):
        with contextlib.suppress(OSError):
            path.unlink()


_cleaning: set[int] = set()


def clean_up_at_exit() -> None:
    """Remove the run's markers when this process exits. The plugin calls it while flake8 parses
    its options, in the run's own process and before any worker starts: the workers, which may be
    the first to import this module, cannot."""
    owner = os.getpid()
    if owner not in _cleaning:
        _cleaning.add(owner)
        atexit.register(_clean_up, owner)


clean_up_at_exit()  # an in-process caller (the API) owns its run
