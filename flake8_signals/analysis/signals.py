"""Is this object a signal, and of which library?

Cheap answers first, from imports and assignments in the file itself: known signals by import
path, names imported from a library's packages that are not signals, ``Signal()`` /
``ns.signal("x")`` / ``blinker.signal("x")`` (or a subclass of a signal class defined in the file)
assigned to a name, to ``self.x`` or to a class attribute, reached as ``self.x`` or as ``obj.x``
for ``obj = Cls()`` of a class of the file. Only when those cannot tell is astroid asked, which
also finds signals defined in other modules of the project.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from typing import Final

from ..libraries import KNOWN_SIGNALS, NAMESPACES, PACKAGES, SIGNAL_CLASSES, SIGNAL_MAKERS
from ..libraries.model import Library
from .scopes import FunctionNode, ModuleScopes, Scope

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))
_MAX_BASES = 16


class _Undecided:
    """The file alone cannot tell: astroid must be asked."""


UNDECIDED: Final = _Undecided()
Cheap = Library | None | _Undecided  # a library, None (not a signal) or UNDECIDED


class SignalResolver:
    """``infer(expr)`` is astroid's answer for what the file cannot decide (a library or None)."""

    def __init__(self, scopes: ModuleScopes, infer: Callable[[ast.expr], Library | None]) -> None:
        self.scopes = scopes
        self.infer = infer

    def library_of(self, expr: ast.expr, scope: Scope) -> Library | None:
        cheap = self.cheap_verdict(expr, scope)
        if not isinstance(cheap, _Undecided):
            return cheap
        return self.infer(expr)

    def cheap_verdict(self, expr: ast.expr, scope: Scope) -> Cheap:
        if self._unknowable(expr, scope):
            return None  # what a caller passes, or a loop hands out, is not known here nor to astroid
        qualname = self.scopes.qualified_name(expr, scope)
        if qualname is not None:
            return _by_qualname(qualname)
        if isinstance(expr, ast.Call):
            made = self.made_by(expr, scope)
            return made if made is not None else UNDECIDED
        if isinstance(expr, ast.Name):
            found = self.scopes.single_binding(expr.id, scope)
            if found is not None and found[1].kind == "assign" and found[1].value is not None:
                made = self.made_by(found[1].value, found[0])
                if made is not None:
                    return made
            return UNDECIDED
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            if expr.value.id == "self":
                made = self._self_attribute(expr.attr, scope)
            else:
                made = self._instance_attribute(expr.value.id, expr.attr, scope)
            return made if made is not None else UNDECIDED
        return UNDECIDED

    def hint(self, expr: ast.expr, scope: Scope) -> Library | None:
        """The library an expression's root comes from, cheaply: an import from one of its packages,
        or a name bound once to a call of one of its callables (``app = Celery()``). Not a verdict
        that the expression is a signal."""
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        qualname = self.scopes.qualified_name(root, scope)
        if qualname is None:
            found = self.scopes.single_binding(root.id, scope)
            if found is None or found[1].kind != "assign" or not isinstance(found[1].value, ast.Call):
                return None
            qualname = self.scopes.qualified_name(found[1].value.func, found[0])
        return PACKAGES.get(qualname.split(".")[0]) if qualname else None

    def _unknowable(self, expr: ast.expr, scope: Scope) -> bool:
        """``signal`` or ``signal.x`` where ``signal`` is only ever a parameter of the function
        (not ``self``/``cls`` of a method, whose class astroid can follow) or a loop's, a
        ``with``'s or an unpacking's target."""
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return False
        found = self.scopes.resolve(root.id, scope)
        if found is None or not all(b.kind in ("param", "other") for b in found[1]):
            return False
        if any(b.kind == "other" for b in found[1]):
            return True
        owner = found[0]
        function = owner.node
        if owner.parent is not None and owner.parent.kind == "class" and isinstance(function, FunctionNode):
            positional = [*function.args.posonlyargs, *function.args.args]
            if positional and positional[0].arg == root.id:
                return False  # self or cls
        return True

    def made_by(self, value: ast.expr, scope: Scope) -> Library | None:
        """The library whose signal ``value`` makes: ``Signal()``, ``blinker.signal("x")``,
        ``ns.signal("x")`` with ``ns = Namespace()``, ``MySignal()`` for a subclass defined here."""
        if not isinstance(value, ast.Call):
            return None
        func = value.func
        made = SIGNAL_MAKERS.get(self.scopes.qualified_name(func, scope) or "")
        if made is not None:
            return made
        local = self._local_signal_class(func, scope)
        if local is not None:
            return local
        if isinstance(func, ast.Attribute):
            return self._namespace_lookup(func, scope)
        return None

    def _namespace_lookup(self, func: ast.Attribute, scope: Scope) -> Library | None:
        namespace = func.value
        for library, namespaces in NAMESPACES:
            if func.attr != namespaces.lookup_method:
                continue
            if isinstance(namespace, ast.Call):
                if self.scopes.qualified_name(namespace.func, scope) in namespaces.classes:
                    return library
            elif isinstance(namespace, ast.Name):
                found = self.scopes.single_binding(namespace.id, scope)
                if found is not None and isinstance(found[1].value, ast.Call):
                    made = found[1].value.func
                    if self.scopes.qualified_name(made, found[0]) in namespaces.classes:
                        return library
        return None

    def _local_signal_class(self, func: ast.expr, scope: Scope, depth: int = 0) -> Library | None:
        """``func`` names a class of this module whose bases lead to a library's signal class."""
        if not isinstance(func, ast.Name) or depth > _MAX_BASES:
            return None
        found = self.scopes.single_binding(func.id, scope)
        if found is None or found[1].kind != "class" or not isinstance(found[1].node, ast.ClassDef):
            return None
        cls = found[1].node
        outer = self.scopes.scope_containing(cls)
        for base in cls.bases:
            library = SIGNAL_CLASSES.get(self.scopes.qualified_name(base, outer) or "")
            if library is not None:
                return library
            library = self._local_signal_class(base, outer, depth + 1)
            if library is not None:
                return library
        return None

    def _self_attribute(self, attribute: str, scope: Scope) -> Library | None:
        """``self.changed`` where the class sets ``self.changed = Signal()`` or ``changed = Signal()``."""
        class_scope = scope.parent
        if scope.kind != "function" or class_scope is None or class_scope.kind != "class":
            return None
        return self._class_attribute(class_scope, attribute)

    def _instance_attribute(self, name: str, attribute: str, scope: Scope) -> Library | None:
        """``model.changed`` where ``model = Model()`` is the name's only binding and ``Model``, a
        class of this file made by neither a decorator nor a metaclass keyword, sets ``changed``
        to a signal (psygnal's ``Signal`` descriptors are used this way)."""
        found = self.scopes.single_binding(name, scope)
        if found is None or found[1].kind != "assign" or not isinstance(found[1].value, ast.Call):
            return None
        made = found[1].value.func
        if not isinstance(made, ast.Name):
            return None
        cls = self.scopes.single_binding(made.id, found[0])
        if cls is None or cls[1].kind != "class" or not isinstance(cls[1].node, ast.ClassDef):
            return None
        if cls[1].node.decorator_list or cls[1].node.keywords:
            return None
        class_scope = self.scopes.scope_of_node.get(id(cls[1].node))
        return self._class_attribute(class_scope, attribute) if class_scope is not None else None

    def _class_attribute(self, class_scope: Scope, attribute: str) -> Library | None:
        for binding in class_scope.bindings.get(attribute, []):
            if binding.kind == "assign" and binding.value is not None:
                made = self.made_by(binding.value, class_scope)
                if made is not None:
                    return made
        for node in ast.walk(class_scope.node):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Attribute)
                and node.targets[0].attr == attribute
                and isinstance(node.targets[0].value, ast.Name)
                and node.targets[0].value.id == "self"
            ):
                made = self.made_by(node.value, self.scopes.scope_containing(node))
                if made is not None:
                    return made
        return None


def _by_qualname(qualname: str) -> Cheap:
    known = KNOWN_SIGNALS.get(qualname)
    if known is not None:
        return known.library
    top = qualname.split(".")[0]
    if top in _STDLIB:
        return None  # sqlite3.connect, socket, signal.signal: the standard library has no signals
    library = PACKAGES.get(top)
    if library is not None and library.known_signals_complete:
        return None  # a library's class, function or module, not one of its signals
    return UNDECIDED
