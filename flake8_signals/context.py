"""What the rule families see of one module, and the configuration they run under.

The costly views of the module (scopes, connect sites, the astroid tree, the signal resolver) are
built on first use and shared by the families. Nothing here imports the families.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .analysis import index_settings
from .analysis.index_settings import IndexSettings
from .analysis.scopes import ModuleScopes, module_name_for, package_root_for
from .rules import RULES

if TYPE_CHECKING:
    from .analysis.calls import ModuleCalls
    from .analysis.connect_sites import ConnectSite
    from .analysis.inference import AstroidFile
    from .analysis.project_index import LinkedFacts
    from .analysis.signals import SignalResolver


@dataclass(frozen=True)
class CheckConfig:
    enabled: frozenset[str]
    source_roots: tuple[str, ...]  # where astroid looks for the project's modules
    index: IndexSettings = field(default_factory=IndexSettings)  # what the project index reads

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
        configured = tuple(os.path.abspath(root) for root in source_roots or ())
        index = IndexSettings(roots=configured, cache_dir=index_settings.default_directory())
        return cls(frozenset(enabled), configured or (os.getcwd(),), index)


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

    @property
    def index_settings(self) -> IndexSettings:
        return self.config.index

    @cached_property
    def index_facts(self) -> LinkedFacts:
        """What the project index reads of this file, from its tree (see project_index)."""
        from .analysis.project_index import linked_facts  # a file that reads no project needs none

        return linked_facts(self)

    @cached_property
    def scopes(self) -> ModuleScopes:
        return ModuleScopes(self.tree, self.module_name, self.is_package)

    @cached_property
    def connect_sites(self) -> tuple[ConnectSite, ...]:
        """Every ``.connect`` call and connect decorator: one tree walk shared by the families."""
        from .analysis.connect_sites import find_connect_sites  # a names-only file needs none

        return tuple(find_connect_sites(self.tree, self.calls))

    @cached_property
    def calls(self) -> ModuleCalls:
        """Every call and decorated definition: one walk shared by the families."""
        from .analysis.calls import ModuleCalls

        return ModuleCalls.of(self.tree)

    @cached_property
    def astroid(self) -> AstroidFile:
        """Built on first use: importing this module never imports astroid."""
        from .analysis.inference import AstroidFile

        return AstroidFile(self.source, self.filename, self.module_name, self.source_roots)

    @cached_property
    def signals(self) -> SignalResolver:
        """Which library's signal an expression is; astroid only when the file cannot tell."""
        from .analysis.signals import SignalResolver

        return SignalResolver(self.scopes, lambda expr: self.astroid.library_of(expr))

    def enabled(self, code: str) -> bool:
        return code in self.config.enabled
