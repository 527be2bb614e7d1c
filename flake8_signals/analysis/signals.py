"""Is the object a receiver is connected to a blinker signal?

Cheap answers first, from imports and assignments in the file itself: Flask's built-in signals by
import path (:mod:`.known_signals`), ``Signal()`` / ``ns.signal("x")`` / ``blinker.signal("x")``
assigned to a name or to ``self.x``. Only when those cannot tell is astroid asked, which also finds
signals defined in other modules of the project.
"""

from __future__ import annotations

import ast
import sys

from .known_signals import KNOWN_SIGNALS, NAMESPACE_CLASSES, NON_BLINKER_PACKAGES, SIGNAL_FACTORIES
from .scopes import ModuleScopes, Scope

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


class SignalResolver:
    def __init__(self, scopes: ModuleScopes, astroid_file: object) -> None:
        self.scopes = scopes
        self.astroid_file = astroid_file  # an AstroidFile, built lazily by its owner

    def is_signal(self, expr: ast.expr, scope: Scope) -> bool:
        cheap = self.cheap_verdict(expr, scope)
        if cheap is not None:
            return cheap
        return bool(self.astroid_file.is_signal(expr))  # type: ignore[attr-defined]

    def cheap_verdict(self, expr: ast.expr, scope: Scope) -> bool | None:
        """True/False when the file alone decides; None when astroid must be asked."""
        qualname = self.scopes.qualified_name(expr, scope)
        if qualname is not None:
            if qualname in KNOWN_SIGNALS:
                return True
            top = qualname.split(".")[0]
            if top in NON_BLINKER_PACKAGES or top in _STDLIB:
                return False  # Django's post_save, celery's task_success, sqlite3, socket, ...
            if top in ("flask", "blinker"):
                return None if qualname.startswith("flask.ext") else self._library_attribute(qualname)
            return None
        if isinstance(expr, ast.Call):
            return True if self.makes_signal(expr, scope) else None
        if isinstance(expr, ast.Name):
            found = self.scopes.single_binding(expr.id, scope)
            if (
                found is not None
                and found[1].kind == "assign"
                and found[1].value is not None
                and self.makes_signal(found[1].value, found[0])
            ):
                return True
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            return True if self._self_attribute_is_signal(expr.attr, scope) else None
        return None

    @staticmethod
    def _library_attribute(qualname: str) -> bool | None:
        # flask.* and blinker.* that are not known signals are functions/classes/modules of those
        # libraries (flask.Flask, blinker.signal): not signal objects. Deeper chains: ask astroid.
        return False if qualname.count(".") == 1 else None

    def makes_signal(self, value: ast.expr, scope: Scope) -> bool:
        """``Signal()``, ``blinker.signal("x")``, ``ns.signal("x")`` with ``ns = Namespace()``."""
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        if self.scopes.qualified_name(func, scope) in SIGNAL_FACTORIES:
            return True
        if isinstance(func, ast.Attribute) and func.attr == "signal":
            namespace = func.value
            if isinstance(namespace, ast.Call):
                return self.scopes.qualified_name(namespace.func, scope) in NAMESPACE_CLASSES
            if isinstance(namespace, ast.Name):
                found = self.scopes.single_binding(namespace.id, scope)
                if found is not None and isinstance(found[1].value, ast.Call):
                    made = found[1].value.func
                    return self.scopes.qualified_name(made, found[0]) in NAMESPACE_CLASSES
        return False

    def _self_attribute_is_signal(self, attribute: str, scope: Scope) -> bool:
        """``self.changed`` where the class sets ``self.changed = Signal()`` or ``changed = Signal()``."""
        class_scope = scope.parent
        if scope.kind != "function" or class_scope is None or class_scope.kind != "class":
            return False
        cls = class_scope.node
        for binding in class_scope.bindings.get(attribute, []):
            if (
                binding.kind == "assign"
                and binding.value is not None
                and self.makes_signal(binding.value, class_scope)
            ):
                return True
        for node in ast.walk(cls):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Attribute)
                and node.targets[0].attr == attribute
                and isinstance(node.targets[0].value, ast.Name)
                and node.targets[0].value.id == "self"
                and self.makes_signal(node.value, self.scopes.scope_containing(node))
            ):
                return True
        return False
