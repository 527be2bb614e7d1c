"""Runs the rule families over one module. Knows nothing of flake8 (see :mod:`.plugin`)."""

from __future__ import annotations

import ast
import time

from . import stats
from .boundary import FAMILY, contained
from .checks import FAMILIES
from .context import CheckConfig, FileContext
from .findings import Finding

__all__ = ["CheckConfig", "FileContext", "check_module"]


def check_module(tree: ast.Module, source: str, filename: str, config: CheckConfig) -> list[Finding]:
    """Every finding of the enabled rules, sorted. Never raises: a family that fails is silent."""
    started = time.process_time()
    stats.track_process()
    stats.STATS.files += 1
    families = [family for family in FAMILIES if family.CODES & config.enabled and family.wants(source)]
    if not families:
        stats.STATS.files_prefiltered += 1
        return []
    stats.STATS.files_analyzed += 1
    context = FileContext(tree, source, filename, config)
    findings: list[Finding] = []
    for family in families:
        found: list[Finding] = []
        with contained(FAMILY):
            found = [f for f in family.check(context) if f.code in config.enabled]
        findings.extend(found)
    elapsed = time.process_time() - started
    stats.STATS.check_seconds += elapsed
    if elapsed > stats.STATS.max_file_seconds:
        stats.STATS.max_file_seconds = elapsed
        stats.STATS.max_file = filename
    return sorted(set(findings))
