"""SIG201-SIG203, SIG291: signal names and namespaces, judged across the whole project."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..analysis import project_index
from ..analysis.names import NameAnalysis
from ..analysis.project_facts import Qualified
from ..findings import Finding
from ..libraries import LIBRARIES
from ..rules import RULES

if TYPE_CHECKING:
    from ..context import FileContext

# Packages that hold no namespaces of named signals: lookups in their objects are not judged.
_NOT_NAMESPACES = frozenset(
    package for lib in LIBRARIES if lib.namespaces is None for package in lib.packages
) | frozenset(getattr(sys, "stdlib_module_names", ()))


def check(context: FileContext) -> Iterator[Finding]:
    facts = project_index.file_facts(context)
    if not any(lookup.name is not None and _may_be_a_namespace(lookup) for lookup in facts.lookups):
        return  # nothing looked up by name in what could be a namespace: skip the project
    index = project_index.index_for(context)
    for verdict in NameAnalysis(facts, index).verdicts():
        if context.enabled(verdict.code):
            message = RULES[verdict.code].format(**dict(verdict.values))
            yield Finding(verdict.line, verdict.col, verdict.code, message)


def _may_be_a_namespace(lookup: project_index.Lookup) -> bool:
    """False for ``engines["django"]`` and the like: a lookup in something imported from a
    package that has no namespaces cannot be judged anyway, so it is not worth reading
    the whole project for."""
    namespace = lookup.namespace
    if isinstance(namespace, Qualified):
        return namespace.name.split(".")[0] not in _NOT_NAMESPACES
    return True
