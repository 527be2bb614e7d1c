"""Runs the rule families over one module. Knows nothing of flake8 (see :mod:`.plugin`)."""

from __future__ import annotations

import ast
import time

from . import stats
from .analysis import heap
from .boundary import FAMILY, contained
from .checks import FAMILIES, Family
from .context import CheckConfig, FileContext
from .findings import Finding

__all__ = ["CheckConfig", "FileContext", "check_module", "wants"]


def _wanting(source: str, config: CheckConfig) -> list[Family]:
    return [family for family in FAMILIES if family.codes & config.enabled and family.wants(source)]


def wants(source: str, config: CheckConfig) -> bool:
    """False when no enabled family's text prefilter accepts ``source``: :func:`check_module`
    would find nothing, so a caller may skip parsing the module (the SIG-only fast path). A
    rejected module is counted as :func:`check_module` counts it."""
    if _wanting(source, config):
        return True
    stats.track_process()
    stats.STATS.files += 1
    stats.STATS.files_prefiltered += 1
    return False


def check_module(tree: ast.Module, source: str, filename: str, config: CheckConfig) -> list[Finding]:
    """Every finding of the enabled rules, sorted. Never raises: a family that fails is silent."""
    started = time.process_time()
    stats.track_process()
    stats.STATS.files += 1
    families = _wanting(source, config)
    if not families:
        stats.STATS.files_prefiltered += 1
        return []
    stats.STATS.files_analyzed += 1
    context = FileContext(tree, source, filename, config)
    findings: list[Finding] = []
    with heap.paused_collector():
        for family in families:
            found: list[Finding] = []
            with contained(FAMILY):
                found = [f for f in family.check(context) if f.code in config.enabled]
            findings.extend(found)
    del context  # its cycles are garbage now: the freeze below must not keep them
    heap.settle_after_file()
    elapsed = time.process_time() - started
    stats.STATS.check_seconds += elapsed
    if elapsed > stats.STATS.max_file_seconds:
        stats.STATS.max_file_seconds = elapsed
        stats.STATS.max_file = filename
    return sorted(set(findings))
