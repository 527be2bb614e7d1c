"""Code written to fail: inside ``with pytest.raises(...)`` or ``with self.assertRaises(...)``.

A test that connects a receiver with the wrong signature to check the library's error, or sends
the wrong way to see it raise, is doing on purpose what the rules describe; reporting it would
only teach users to ignore the rule.
"""

from __future__ import annotations

import ast

from .scopes import ModuleScopes

_EXPECTING = frozenset(
    {
        "raises",
        "assertRaises",
        "assertRaisesRegex",
        "assertRaisesRegexp",
        "assertRaisesMessage",
        "failUnlessRaises",
    }
)


def expects_failure(node: ast.AST, scopes: ModuleScopes) -> bool:
    """Whether ``node`` runs inside the body of a ``with`` that expects an exception."""
    child, current = node, scopes.parent(node)
    while current is not None:
        if (
            isinstance(current, (ast.With, ast.AsyncWith))
            and any(child is s for s in current.body)
            and any(_expects(item.context_expr) for item in current.items)
        ):
            return True
        child, current = current, scopes.parent(current)
    return False


def _expects(expr: ast.expr) -> bool:
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in _EXPECTING
