"""Every rule is declared exactly once, here and in the family modules beside this file.

The flake8 messages, ``docs/rules/SIGnnn.md`` and the README rule table are all generated from
these declarations (see :mod:`flake8_signals.docs`); a test fails when the committed docs drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from ..libraries.model import ReceiverKind

DOCS_BASE_URL = "https://flake8-signals.readthedocs.io/en/latest/rules/"


class Rule(NamedTuple):
    code: str
    name: str  # kebab-case, names the bad thing (ruff style)
    summary: str  # one line for tables and SARIF shortDescription
    message: str  # problem, as a str.format template
    fix: str  # remedy, as a str.format template; appended to the message after "; "
    what_it_does: str
    why_bad: str
    example: str  # a complete module that gives exactly this rule's findings
    use_instead: str  # the fixed module: no findings at all
    options: str = ""
    references: tuple[tuple[str, str], ...] = ()
    # False: opt-in; on only when the code (or a prefix longer than SIG) is selected by name.
    default_enabled: bool = True
    # Extra fields a family may use in its templates, documented with the rule.
    notes: tuple[str, ...] = ()
    # Lifetime rules: the receivers they are about, so each rule page can say, per library,
    # whether it holds them weakly (generated from the library models).
    receiver_kinds: frozenset[ReceiverKind] = frozenset()

    def format(self, **values: str) -> str:
        """The full flake8 message text (without the code): problem first, then the fix."""
        return f"{self.message.format(**values)}; {self.fix.format(**values)}"

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}/"


def _collect() -> dict[str, Rule]:
    from . import contracts, lifetime, names

    families = (lifetime.RULES, contracts.RULES, names.RULES)
    rules: dict[str, Rule] = {}
    for family in families:
        for rule in family:
            if rule.code in rules:
                raise ValueError(f"rule {rule.code} declared twice")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


RULES: Mapping[str, Rule] = _collect()


def rule(code: str) -> Rule:
    return RULES[code]
