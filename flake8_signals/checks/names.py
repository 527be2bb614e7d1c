"""SIG201-SIG203, SIG291: signal names and namespaces, judged across the whole project."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..analysis import project_index
from ..analysis.names import NameAnalysis
from ..analysis.project_facts import Qualified
from ..findings import Finding
from ..libraries import LIBRARIES, NAMESPACES
from ..rules import RULES

if TYPE_CHECKING:
    from ..context import FileContext

CODES = frozenset({"SIG201", "SIG202", "SIG203", "SIG291"})
_SPECS = [spec for _, spec in NAMESPACES]
_LOOKUP_WORDS = ("signal", *sorted({name.rsplit(".", 1)[-1] for spec in _SPECS for name in spec.classes}))
_LOOKUP_TEXT = re.compile(
    "|".join(
        sorted(
            {rf"\b{re.escape(spec.lookup_method)}\s*\(" for spec in _SPECS}
            | {
                rf"\b{re.escape(name.rsplit('.', 1)[-1])}\s*\("
                for spec in _SPECS
                for name in spec.default_lookups
            }
            | {re.escape(name.rsplit(".", 1)[-1]) for spec in _SPECS for name in spec.classes}
            | {rf"\b{re.escape(name.split('.')[0])}\b" for spec in _SPECS for name in spec.default_lookups}
            | {r"signals?\w*\s*\["}
        )
    )
)
# Packages that hold no namespaces of named signals: lookups in their objects are not judged.
_NOT_NAMESPACES = frozenset(
    package for lib in LIBRARIES if lib.namespaces is None for package in lib.packages
) | frozenset(getattr(sys, "stdlib_module_names", ()))


def wants(source: str) -> bool:
    """Text a lookup by name needs: a call of a lookup (``ns.signal(``, ``blinker.signal(``), a
    namespace class, a lookup function's package (``from blinker import signal as make``), or an
    item lookup on a name that says it holds signals (``billing_signals["x"]``)."""
    # Every match contains one of these words: plain `in` first, the expression only then.
    return any(word in source for word in _LOOKUP_WORDS) and _LOOKUP_TEXT.search(source) is not None


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
