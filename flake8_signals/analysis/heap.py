"""Keeping what lives for the whole process out of the cyclic garbage collector's sight.

What the plugin caches for the life of a flake8 process (astroid's modules, the project index)
is a heap of tracked objects that every later full collection walks again, slowing everything
else flake8 does in that process. Freezing it after it is built moves it into the permanent
generation. The cost: garbage that exists at that moment is kept until the process ends, so the
youngest generation is collected first; a flake8 process is short-lived and that garbage is small.
Measured figures are in bench/README.md ("Where the budget's time went").
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager


def keep_for_process(generation: int = 0) -> None:
    """Freeze everything the collector tracks now (call it after building a long-lived cache),
    after collecting ``generation`` and the younger ones."""
    gc.collect(generation)
    gc.freeze()


_SETTLED: list[int] = [0]  # the process whose modules were frozen (a forked -j worker starts again)


def keep_modules_for_process() -> None:
    """Freeze once per process, after the first file a family analysed: the families' modules
    (their rules, models, compiled expressions: some 12,000 tracked objects, as many as flake8's
    own) are imported on first use and live as long as the process, and every full collection of
    flake8's run would otherwise walk them again. Call it when no analysis data is referenced."""
    pid = os.getpid()
    if _SETTLED[0] != pid:
        _SETTLED[0] = pid
        keep_for_process(2)  # all of it, once: a file's analysis data can reach older generations


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
