"""Keeping what lives for the whole process out of the cyclic garbage collector's sight.

What the plugin keeps for the life of a flake8 process (its families' modules, astroid's
modules, the project index, the project modules read for their connect wrappers) is a heap of
tracked objects that every later full collection would walk again, slowing everything else
flake8 does in that process. Freezing it moves it into the permanent generation. The freeze
waits until the file whose analysis built it is done: that file's analysis data is alive until
then (the collector is paused for it), and what is frozen with it in cycles is never freed.
Measured figures are in bench/README.md ("Where the budget's time went").
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

_SETTLED: list[int] = [0]  # the process whose modules were frozen (a forked -j worker starts again)
_GREW: list[bool] = [False]  # a process-wide cache took something in during the current file


def keep_after_file() -> None:
    """Call it when a process-wide cache has taken something in: it is frozen once the current
    file is done (:func:`settle_after_file`)."""
    _GREW[0] = True


def settle_after_file() -> None:
    """Freeze what lives for the process, after a file's analysis: once per process the
    families' modules (their rules, models, compiled expressions: some 12,000 tracked objects,
    as many as flake8's own), imported on first use; and after any file during which a cache
    took something in (:func:`keep_after_file`). Call it when no analysis data is referenced."""
    pid = os.getpid()
    if _SETTLED[0] != pid or _GREW[0]:
        _SETTLED[0] = pid
        _GREW[0] = False
        gc.collect()  # all generations: a file's analysis data can reach the older ones
        gc.freeze()


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic collector paused while one file is analysed.

    The analysis of a file allocates many tracked objects that all live until the file is done
    (scopes, facts, connections), so a collection in the middle finds little garbage and walks
    a heap that grows with the file: full collections over it made a module with 16,000 signals
    superlinear (gen-2 time 0.64 / 1.85 / 4.8 s at 4k / 8k / 16k). The cycles a file's analysis
    leaves are collected by the first collection after it. A collector that was off stays off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
