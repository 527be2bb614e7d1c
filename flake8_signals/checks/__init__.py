"""The rule families: which codes each reports, the text a module needs for it to look, and the
module of this package whose ``check(context)`` yields its findings.

A family's check, and the analyses behind it, is imported the first time a module passes that
family's prefilter: flake8 imports every installed plugin when it starts, and most files need one
family or none, so neither start-up nor those files pay for importing the others."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from ..rules import Rule
from ..rules import contracts as contract_rules
from ..rules import lifetime as lifetime_rules
from ..rules import names as name_rules
from . import prefilters

if TYPE_CHECKING:
    from ..context import FileContext
    from ..findings import Finding


class Family(NamedTuple):
    name: str  # the module of this package that holds the check
    codes: frozenset[str]
    wants: Callable[[str], bool]  # False: the check would find nothing in this source

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.name}")

    def check(self, context: FileContext) -> Iterator[Finding]:
        found: Iterator[Finding] = self.module.check(context)
        return found


def _codes(rules: tuple[Rule, ...]) -> frozenset[str]:
    return frozenset(rule.code for rule in rules)


FAMILIES = (
    Family("lifetime", _codes(lifetime_rules.RULES), prefilters.lifetime),
    Family("contracts", _codes(contract_rules.RULES), prefilters.contracts),
    Family("names", _codes(name_rules.RULES), prefilters.names),
)
