"""The one place where the plugin lets an exception go.

flake8 aborts the user's whole run on a plugin exception, so a bug or a construct the analysis
does not expect must cost at most its own findings: one site (a connection, a send, a lookup) or
one rule family in one file. :func:`contained` is used at exactly those two layers, plus around
each project file the index reads and each question put to astroid. Every exception it stops is
counted in :data:`flake8_signals.stats.STATS` (``swallowed``, by layer).

Set ``FLAKE8_SIGNALS_DEBUG=1`` to have them raised instead (the robustness tests do), except
those raised inside astroid, whose own failures on odd code mean "not known", not a bug here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from . import stats

DEBUG_VARIABLE = "FLAKE8_SIGNALS_DEBUG"

#: Layers: what one contained exception costs.
SITE = "site"  # one connection, send or lookup
FAMILY = "family"  # one rule family in one file
PROJECT_FILE = "project-file"  # one file of the project index
ASTROID = "astroid"  # one question put to astroid: answered "not known"


def debug() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


@contextlib.contextmanager
def contained(layer: str) -> Iterator[None]:
    """Swallow and count an exception raised in the block (re-raise it under debug)."""
    try:
        yield
    except Exception:
        if debug() and layer != ASTROID:
            raise
        stats.STATS.swallowed[layer] = stats.STATS.swallowed.get(layer, 0) + 1
