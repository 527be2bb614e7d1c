"""Source text of expressions for messages, safe on pathological input."""

from __future__ import annotations

import ast


def dotted_name(expr: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, without recursion; None for anything else."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def short_source(expr: ast.expr, limit: int = 60) -> str:
    """The expression as source, cut to ``limit`` characters."""
    text = dotted_name(expr)
    if text is None:
        try:
            text = ast.unparse(expr)
        except RecursionError:  # legal but absurdly deep code: show its outline only
            text = f"<{type(expr).__name__.lower()}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
