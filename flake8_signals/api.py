"""Public entry points for running the checks outside flake8 (the runtime shim, docs, tests)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from pathlib import Path

from .checker import CheckConfig, check_module
from .findings import Finding


def check_source(
    source: str,
    filename: str = "<unknown>",
    *,
    select: Iterable[str] | None = None,
    source_roots: Sequence[str] | None = None,
) -> list[Finding]:
    """All findings for one module's source, sorted by position.

    ``select`` limits the codes (prefixes allowed, e.g. ``"SIG1"``); default: the rules that
    are on by default. A module that does not parse (a syntax error, null bytes, nesting too deep
    for the parser) gives no findings, as under flake8, which reports E999 for it.
    """
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    config = CheckConfig.create(select=select, source_roots=source_roots)
    return check_module(tree, source, filename, config)


def check_file(
    path: str | Path,
    *,
    select: Iterable[str] | None = None,
    source_roots: Sequence[str] | None = None,
) -> list[Finding]:
    """Like :func:`check_source`, reading the file as Python does (coding cookie, BOM)."""
    import tokenize

    try:
        with tokenize.open(path) as handle:
            source = handle.read()
    except (OSError, SyntaxError, UnicodeError):  # unreadable, an unknown codec, undecodable
        return []
    return check_source(source, str(path), select=select, source_roots=source_roots)
