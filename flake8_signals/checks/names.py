"""SIG201-SIG203, SIG291: signal names and namespaces, judged across the whole project."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..analysis import project_index
from ..analysis.names import NameAnalysis
from ..findings import Finding
from ..rules import RULES

if TYPE_CHECKING:
    from ..checker import FileContext

CODES = frozenset({"SIG201", "SIG202", "SIG203", "SIG291"})


def wants(source: str) -> bool:
    return "signal" in source or "Namespace" in source


def check(context: FileContext) -> Iterator[Finding]:
    facts = project_index.file_facts(context)
    if not any(lookup.name is not None for lookup in facts.lookups):
        return  # nothing looked up by name: no need to read the project
    index = project_index.index_for(context)
    for verdict in NameAnalysis(facts, index).verdicts():
        if not context.enabled(verdict.code):
            continue
        try:
            message = RULES[verdict.code].format(**dict(verdict.values))
        except (KeyError, IndexError, ValueError):
            continue
        yield Finding(verdict.line, verdict.col, verdict.code, message)
