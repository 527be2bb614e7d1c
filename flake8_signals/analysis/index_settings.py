"""What the project index is told to read and where it keeps its facts between runs: the settings
flake8's options and the environment give, and the count of flake8 runs in this process.

Light on purpose: the plugin imports it at flake8's start-up, while the index itself
(:mod:`.project_index`) is imported the first time a linted file needs it."""

from __future__ import annotations

import os
import sys
from typing import NamedTuple

DIRECTORY_VARIABLE = "FLAKE8_SIGNALS_CACHE_DIR"
OFF_VARIABLE = "FLAKE8_SIGNALS_NO_CACHE"


class IndexSettings(NamedTuple):
    """What the index reads: ``roots`` are the configured source roots (empty: each linted
    file's project root, see :mod:`.project_files`), ``exclude`` flake8's ``--exclude`` and
    ``--extend-exclude`` patterns, ``cache_dir`` where facts are kept between runs."""

    roots: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    cache_dir: str | None = None  # facts kept between runs there (see .index_cache); None: not kept


def off_by_environment() -> bool:
    return os.environ.get(OFF_VARIABLE, "") not in ("", "0")


def default_directory() -> str | None:
    """``$FLAKE8_SIGNALS_CACHE_DIR``, else the platform's user cache directory (on Linux
    ``$XDG_CACHE_HOME/flake8-signals``, by default ``~/.cache/flake8-signals``); None when the
    cache is turned off or no home directory is known."""
    if off_by_environment():
        return None
    configured = os.environ.get(DIRECTORY_VARIABLE)
    if configured:
        return os.path.abspath(os.path.expanduser(configured))
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return os.path.join(base, "flake8-signals", "Cache") if base else None
    home = os.path.expanduser("~")
    if home == "~":
        return None
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "flake8-signals")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    return os.path.join(os.path.abspath(base), "flake8-signals")


_RUN = [0]


def new_run() -> None:
    """A new flake8 run starts in this process (an editor's or language server's next check):
    what was read from disk is checked against the disk again before it is used."""
    _RUN[0] += 1


def current_run() -> int:
    return _RUN[0]
