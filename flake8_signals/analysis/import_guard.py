"""While astroid works for us, nothing may be imported from the linted project.

astroid reads source, but a few of its paths really import: a C extension whose name is a stdlib
name (``_can_load_extension``), a brain that inspects a live module (``gi.repository.*``), and
``importlib.util.find_spec`` on a dotted stdlib name, which imports the parent package. With the
project's roots on ``sys.path`` any of those can run the project's code. flake8 itself never
imports the linted code, and neither may this plugin.

:func:`project_search_path` is the one way astroid sees the project: the roots go on ``sys.path``
after the standard library (so a project module never shadows a stdlib one), and a meta path
finder refuses, for as long as astroid works, every import that is not part of the standard
library or a submodule of a package the process has already imported from outside the project.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import sys
import sysconfig
from collections.abc import Iterator, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


def _stdlib_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    found = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib") if key in paths}
    found.add(os.path.realpath(os.path.dirname(os.__file__)))
    return tuple(sorted(found))


_STDLIB_DIRS = _stdlib_dirs()
_THIRD_PARTY_DIRS = ("site-packages", "dist-packages")


def _under(path: str, directories: Sequence[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip(os.sep) + os.sep) for d in directories)


def is_stdlib_path(path: str) -> bool:
    """A file or directory of the interpreter's standard library (not of its site-packages)."""
    real = os.path.realpath(path)
    if not _under(real, _STDLIB_DIRS):
        return False
    return not any(part in _THIRD_PARTY_DIRS for part in real.split(os.sep))


def ordered_search_path(path: Sequence[str], roots: Sequence[str]) -> list[str]:
    """``path`` with ``roots`` placed right after its standard-library entries."""
    entries = [p for p in path if p not in roots]
    stdlib = [p for p in entries if p and is_stdlib_path(p)]
    rest = [p for p in entries if p not in stdlib]
    return [*stdlib, *roots, *rest]


class ImportRefused(ImportError):
    """Raised in place of an import the plugin does not allow while astroid works."""


class _Guard(importlib.abc.MetaPathFinder):
    """Lets through builtins, the standard library and submodules of packages already imported
    from outside the project; refuses the rest. Counts what it refused."""

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = tuple(os.path.realpath(r) for r in roots)
        self.refused: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        spec = self._spec_from_others(fullname, path, target)
        if spec is None or self._allowed(fullname, spec):
            return spec
        self.refused.append(fullname)
        raise ImportRefused(f"flake8-signals does not import {fullname!r} while linting", name=fullname)

    def _spec_from_others(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None
    ) -> ModuleSpec | None:
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec: ModuleSpec | None = finder.find_spec(fullname, path, target)
            if spec is not None:
                return spec
        return None

    def _allowed(self, fullname: str, spec: ModuleSpec) -> bool:
        if spec.origin in ("built-in", "frozen"):
            return True  # compiled into the interpreter: no file of anyone's
        locations = [spec.origin] if spec.has_location and spec.origin else []
        locations += list(spec.submodule_search_locations or [])
        if not locations:
            return False  # a namespace package or a custom loader: nothing to show it is safe
        if any(_under(os.path.realpath(p), self.roots) for p in locations):
            return False
        if all(is_stdlib_path(p) for p in locations):
            return True
        top = fullname.partition(".")[0]
        parent = sys.modules.get(top)
        if top == fullname or parent is None:
            return False
        parent_file = getattr(parent, "__file__", None)
        return isinstance(parent_file, str) and not _under(os.path.realpath(parent_file), self.roots)


@contextlib.contextmanager
def project_search_path(roots: Sequence[str]) -> Iterator[_Guard]:
    """The project's ``roots`` importable by name for astroid's source lookups, never importable
    for real: restores ``sys.path`` and ``sys.meta_path`` afterwards."""
    saved_path = list(sys.path)
    guard = _Guard(roots)
    sys.path[:] = ordered_search_path(saved_path, list(roots))
    sys.meta_path.insert(0, guard)
    try:
        yield guard
    finally:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(guard)
        sys.path[:] = saved_path
