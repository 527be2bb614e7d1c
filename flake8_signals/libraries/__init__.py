"""The signal libraries the analyses know, and lookups derived from their models.

Every module of this package that defines ``LIBRARY`` (a :class:`.model.Library`) is a model:
adding a library is adding such a module (with its fixtures and regenerated docs), nothing else.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
import sys
from collections.abc import Sequence
from typing import NamedTuple

from .model import ConnectForm, DecoratorFunction, KnownSignal, Library, Namespaces


def _discover() -> tuple[Library, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "model":
            continue
        library = getattr(importlib.import_module(f"{__name__}.{info.name}"), "LIBRARY", None)
        if isinstance(library, Library):
            found.append(library)
    return tuple(sorted(found, key=lambda library: library.key))


LIBRARIES: tuple[Library, ...] = _discover()


class Known(NamedTuple):
    """A known signal and its library."""

    library: Library
    signal: KnownSignal


KNOWN_SIGNALS: dict[str, Known] = {
    path: Known(library, known)
    for library in LIBRARIES
    for known in library.known_signals
    for path in known.paths
}
# Classes whose instances are signals, and other callables that return one.
SIGNAL_CLASSES: dict[str, Library] = {name: lib for lib in LIBRARIES for name in lib.signal_classes}
SIGNAL_MAKERS: dict[str, Library] = {
    **SIGNAL_CLASSES,
    **{name: lib for lib in LIBRARIES for name in lib.signal_factories},
}
PACKAGES: dict[str, Library] = {package: lib for lib in LIBRARIES for package in lib.packages}
CONNECT_METHODS: frozenset[str] = frozenset(
    form.method for lib in LIBRARIES for form in lib.connects if not form.function
)
CONNECT_FUNCTIONS: dict[str, tuple[Library, ConnectForm]] = {
    name: (lib, form) for lib in LIBRARIES for form in lib.connects for name in form.function
}
DECORATOR_FUNCTIONS: dict[str, tuple[Library, DecoratorFunction]] = {
    name: (lib, decorator)
    for lib in LIBRARIES
    for decorator in lib.decorator_functions
    for name in decorator.qualnames
}
SEND_METHODS: frozenset[str] = frozenset(send.method for lib in LIBRARIES for send in lib.sends)
NAMESPACES: tuple[tuple[Library, Namespaces], ...] = tuple(
    (lib, lib.namespaces) for lib in LIBRARIES if lib.namespaces is not None
)


def _last(qualname: str) -> str:
    return qualname.rsplit(".", 1)[-1]


# Text that any connect site contains: `.connect(`, `@sig.connect`, `.connect_via(`, a connect or
# decorator function called by its own name (`@receiver(`, `connect(`), never `connection`.
CONNECT_TEXT = re.compile(
    r"\.(?:" + "|".join(sorted(map(re.escape, CONNECT_METHODS))) + r")\b"
    r"|\b(?:"
    + "|".join(sorted({re.escape(_last(n)) for n in (*CONNECT_FUNCTIONS, *DECORATOR_FUNCTIONS)}))
    + r")\s*\("
)
# Text that any send contains.
SEND_TEXT = re.compile(r"\.(?:" + "|".join(sorted(map(re.escape, SEND_METHODS))) + r")\b")
# Every match of CONNECT_TEXT contains one of these words (those that contain another are left
# out). The expression's `\b` alternative makes it try every position of a file, so the words are
# looked for first: on Django's sources 0.31 s -> 0.17 s.
_WORDS = {*CONNECT_METHODS, *(_last(n) for n in (*CONNECT_FUNCTIONS, *DECORATOR_FUNCTIONS))}
_CONNECT_WORDS = tuple(sorted(w for w in _WORDS if not any(o != w and o in w for o in _WORDS)))


def has_connect_text(source: str) -> bool:
    """``CONNECT_TEXT.search(source) is not None``, faster. Asked up to three times per file (the
    lifetime and contracts prefilters, then contracts' check) with the same string: the answer
    for the last one is kept."""
    if source is _LAST_SOURCE[0]:
        return _LAST_SOURCE[1] is True
    found = any(word in source for word in _CONNECT_WORDS) and CONNECT_TEXT.search(source) is not None
    _LAST_SOURCE[:] = [source, found]
    return found


_LAST_SOURCE: list[object] = [None, False]  # [the source last asked about, its answer]


def missing_package(package: str, roots: Sequence[str]) -> bool:
    """A top-level package that no model describes, that is not installed here, not the
    standard library's and not one of the project's own modules under ``roots``."""
    if package in PACKAGES or package in sys.stdlib_module_names:
        return False
    if any(
        os.path.exists(os.path.join(root, package)) or os.path.isfile(os.path.join(root, f"{package}.py"))
        for root in roots
    ):
        return False
    try:
        return importlib.util.find_spec(package) is None  # a top-level name: found, not imported
    except (ImportError, ValueError):
        return False


def library_named(key: str) -> Library:
    return next(lib for lib in LIBRARIES if lib.key == key)
