"""The families' text prefilters: from a module's source alone, whether a family could find
anything in it. Cheap by design (plain ``in`` before any expression), and importing nothing of the
analyses, so that a module no family wants costs flake8 neither a parse nor an import."""

from __future__ import annotations

import re

from ..libraries import NAMESPACES, SEND_TEXT, has_connect_text

# A call of a project function named like a connect wrapper (connect_first(), dynamic_connect()),
# in a module with no connect of its own: worth reading for wrappers imported from the project.
_WRAPPER_CALL = re.compile(r"connect(?!ion)\w*\s*\(")  # led by a literal: the engine skips ahead

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


def lifetime(source: str) -> bool:
    """A connect, or a call named like a project's connect wrapper."""
    return has_connect_text(source) or ("connect" in source and _WRAPPER_CALL.search(source) is not None)


def contracts(source: str) -> bool:
    """A connect or a send."""
    return has_connect_text(source) or SEND_TEXT.search(source) is not None


def names(source: str) -> bool:
    """Text a lookup by name needs: a call of a lookup (``ns.signal(``, ``blinker.signal(``), a
    namespace class, a lookup function's package (``from blinker import signal as make``), or an
    item lookup on a name that says it holds signals (``billing_signals["x"]``)."""
    # Every match contains one of these words: plain `in` first, the expression only then.
    return any(word in source for word in _LOOKUP_WORDS) and _LOOKUP_TEXT.search(source) is not None
