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


def keep_for_process() -> None:
    """Freeze everything the collector tracks now (call it after building a long-lived cache)."""
    gc.collect(0)
    gc.freeze()
