"""Which files make up the linted file's project, and reading them without trusting them.

The project index (:mod:`.project_index`) reads other files of the project than the one flake8
hands over. Those files were not chosen by the user, so reading them must stay bounded:

* **Where.** A file's project is its *project root*, the nearest directory at or above it that
  holds ``setup.cfg``, ``tox.ini``, ``.flake8``, ``pyproject.toml``, ``setup.py`` or a VCS
  directory (``.git``, ``.hg``, ``.svn``), plus its *package root* (the directory above its
  topmost ``__init__.py`` package). The filesystem root and the home directory are never
  read, whatever the configuration says; without a project root the package root alone is.
* **What.** ``*.py`` files, skipping hidden directories, ``__pycache__``, ``node_modules``,
  ``site-packages``/``dist-packages``, virtualenvs (a ``pyvenv.cfg`` file), conda environments,
  ``build``/``dist`` directories that are not packages, and whatever flake8's ``--exclude`` and
  ``--extend-exclude`` patterns match (as flake8 matches them: the base name or the absolute path).
* **How.** Only regular files (a symbolic link is followed to one) are opened, without blocking,
  and at most :data:`MAX_FILE_BYTES` of each is read: a FIFO, a device, ``/proc/self/fd/0`` or a
  link to ``/dev/zero`` is skipped, never waited for or read to the end.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

MAX_FILE_BYTES = 2_000_000  # a larger file is not read whole (see read_source)
PROJECT_MARKERS = ("setup.cfg", "tox.ini", ".flake8", "pyproject.toml", "setup.py", ".git", ".hg", ".svn")
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", "dist-packages", "__pypackages__"})
_BUILD_DIRS = frozenset({"build", "dist"})
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


class SourceFile(NamedTuple):
    """A ``*.py`` file found under a root, with what ``stat`` said of it when it was listed."""

    path: str
    size: int
    mtime_ns: int
    inode: int


class Oversized(NamedTuple):
    """A regular file larger than :data:`MAX_FILE_BYTES`: only its beginning was read."""

    head: bytes


def is_unbounded(directory: str) -> bool:
    """The filesystem root or the home directory: never read as a project."""
    directory = os.path.abspath(directory)
    if os.path.dirname(directory) == directory:
        return True
    home = os.path.expanduser("~")
    return home != "~" and os.path.normcase(directory) == os.path.normcase(os.path.abspath(home))


def project_root_for(filename: str) -> str | None:
    """The nearest directory at or above ``filename`` with a project marker, or None."""
    directory = os.path.dirname(os.path.abspath(filename))
    while not is_unbounded(directory):
        if any(os.path.exists(os.path.join(directory, marker)) for marker in PROJECT_MARKERS):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return None


def roots_for(filename: str, package_root: str, configured: Sequence[str] = ()) -> tuple[str, ...]:
    """The directories the index reads for ``filename``: the configured roots when there are
    any, else its project root; and its package root. Never an unbounded directory."""
    chosen = list(configured)
    if not chosen:
        project = project_root_for(filename)
        if project is not None:
            chosen.append(project)
    chosen.append(package_root)
    return normalized_roots(root for root in chosen if not is_unbounded(root))


def normalized_roots(roots: Iterable[str]) -> tuple[str, ...]:
    """Absolute, without duplicates or roots inside other roots (their files are read already)."""
    absolute = sorted({os.path.abspath(r) for r in roots})
    kept: list[str] = []
    for root in absolute:
        if not any(root == k or root.startswith(k.rstrip(os.sep) + os.sep) for k in kept):
            kept.append(root)
    return tuple(kept)


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """flake8's rule for ``--exclude``: a pattern matches the base name or the absolute path."""
    if not patterns:
        return False
    matches = _any_of(tuple(patterns)).match
    name = os.path.basename(path)
    if name not in (".", "..") and matches(os.path.normcase(name)):
        return True
    return matches(os.path.normcase(os.path.abspath(path))) is not None


@functools.lru_cache(maxsize=8)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One expression for ``any(fnmatch.fnmatch(name, p) for p in patterns)``: a tree listing asks
    for every entry, and flake8's default excludes alone are ten patterns."""
    return re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns))


def python_files(root: str, exclude: Sequence[str] = ()) -> Iterator[SourceFile]:
    """Every ``*.py`` regular file under ``root`` that the index may read, in a stable order."""
    root = os.path.abspath(root)
    for directory, subdirectories, files in os.walk(root):
        if directory != root and (
            "pyvenv.cfg" in files
            or "conda-meta" in subdirectories
            or (os.path.basename(directory) in _BUILD_DIRS and "__init__.py" not in files)
        ):
            subdirectories[:] = []
            continue
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if not d.startswith(".")
            and d not in _SKIP_DIRS
            and not d.endswith(".egg-info")
            and not is_excluded(os.path.join(directory, d), exclude)
        )
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            if exclude and is_excluded(path, exclude):
                continue
            try:
                status = os.stat(path)  # follows a symbolic link
            except (OSError, ValueError):
                continue
            if stat.S_ISREG(status.st_mode):
                yield SourceFile(path, status.st_size, status.st_mtime_ns, status.st_ino)


def read_source(path: str) -> bytes | Oversized | None:
    """The file's bytes; :class:`Oversized` past :data:`MAX_FILE_BYTES`; None when it is not a
    regular file (any more) or cannot be read. Never blocks on a FIFO or a device."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced since it was listed
            return None
        chunks: list[bytes] = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except (OSError, MemoryError):
        return None
    finally:
        os.close(descriptor)
    return Oversized(data[:MAX_FILE_BYTES]) if len(data) > MAX_FILE_BYTES else data
