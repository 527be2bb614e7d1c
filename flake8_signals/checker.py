"""Runs the rule families over one module. Knows nothing of flake8 (see :mod:`.plugin`)."""

from __future__ import annotations

import ast
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from . import stats
from .analysis.connect_sites import ConnectSite, find_connect_sites
from .analysis.scopes import ModuleScopes, module_name_for, package_root_for
from .boundary import FAMILY, contained
from .checks import FAMILIES
from .findings import Finding
from .rules import RULES


@dataclass(frozen=True)
class CheckConfig:
    enabled: frozenset[str]
    source_roots: tuple[str, ...]

    @classmethod
    def create(
        cls, select: Iterable[str] | None = None, source_roots: Sequence[str] | None = None
    ) -> CheckConfig:
        """``select``: codes or prefixes (``"SIG1"``); default: every rule that is on by default."""
        if select is None:
            enabled = {code for code, rule in RULES.items() if rule.default_enabled}
        else:
            prefixes = tuple(select)
            enabled = {code for code in RULES if code.startswith(prefixes)}
        roots = tuple(os.path.abspath(root) for root in (source_roots or [os.getcwd()]))
        return cls(frozenset(enabled), roots)


class FileContext:
    """One module being checked; the costly views of it are built on first use."""

    def __init__(self, tree: ast.Module, source: str, filename: str, config: CheckConfig) -> None:
        self.tree = tree
        self.source = source
        self.filename = filename
        self.config = config

    @cached_property
    def module_name(self) -> str:
        return module_name_for(self.filename)

    @cached_property
    def is_package(self) -> bool:
        return os.path.basename(self.filename) == "__init__.py"

    @cached_property
    def source_roots(self) -> tuple[str, ...]:
        package_root = package_root_for(self.filename)
        roots = self.config.source_roots
        return roots if package_root in roots else (*roots, package_root)

    @cached_property
    def scopes(self) -> ModuleScopes:
        return ModuleScopes(self.tree, self.module_name, self.is_package)

    @cached_property
    def connect_sites(self) -> tuple[ConnectSite, ...]:
        """Every ``.connect`` call and connect decorator: one tree walk shared by the families."""
        return tuple(find_connect_sites(self.tree))

    @cached_property
    def astroid(self):  # an AstroidFile; untyped so that importing this module never imports astroid
        from .analysis.inference import AstroidFile

        return AstroidFile(self.source, self.filename, self.module_name, self.source_roots)

    def enabled(self, code: str) -> bool:
        return code in self.config.enabled


def check_module(tree: ast.Module, source: str, filename: str, config: CheckConfig) -> list[Finding]:
    """Every finding of the enabled rules, sorted. Never raises: a family that fails is silent."""
    started = time.perf_counter()
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
    elapsed = time.perf_counter() - started
    stats.STATS.check_seconds += elapsed
    if elapsed > stats.STATS.max_file_seconds:
        stats.STATS.max_file_seconds = elapsed
        stats.STATS.max_file = filename
    return sorted(set(findings))
