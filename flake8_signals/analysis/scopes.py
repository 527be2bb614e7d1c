"""Scopes and name bindings of one module, from the stdlib ``ast`` alone.

One pass records, for every scope, which names it binds and how (``def``, ``class``, import with
its full dotted name, ``name = value``), and every place a name is read. That is enough to answer
"is this receiver a nested function?", "does it escape?" and "what does ``rs`` refer to after
``from flask import request_started as rs``?" without astroid.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import tree as syntax

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(eq=False)
class Binding:
    name: str
    node: ast.AST  # what binds it: FunctionDef, ClassDef, Assign, alias, arg, For, ...
    kind: str  # "def" | "class" | "import" | "assign" | "param" | "other"
    value: ast.expr | None = None  # the value of a plain `name = value`
    qualname: str | None = None  # imports: the full dotted name the binding refers to


@dataclass(eq=False)
class Scope:
    node: ast.AST
    kind: str  # "module" | "class" | "function" | "lambda" | "comprehension"
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    loads: dict[str, list[ast.Name]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    children: list[Scope] = field(default_factory=list)
    is_generator: bool = False

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>" if self.kind == "lambda" else "")

    @property
    def qualname(self) -> str:
        """Dotted name of enclosing classes and functions, like ``__qualname__`` without <locals>."""
        parts = []
        scope: Scope | None = self
        while scope is not None and scope.kind in ("class", "function"):
            parts.append(scope.name)
            scope = scope.parent
        return ".".join(reversed(parts))

    def descendants(self) -> Iterator[Scope]:
        for child in self.children:
            yield child
            yield from child.descendants()


class ModuleScopes:
    """The scope tree of a module plus a child-to-parent map of its nodes."""

    def __init__(self, tree: ast.Module, module_name: str = "", is_package: bool = False) -> None:
        self.module_name = module_name
        self.is_package = is_package
        self.parents: dict[int, ast.AST] = {}
        self.scope_of_node: dict[int, Scope] = {}
        self._captured: dict[int, set[str]] | None = None
        self.module = _Builder(self).build(tree)

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def scope_containing(self, node: ast.AST) -> Scope:
        """The scope in which ``node`` is evaluated (a def's decorators belong to the outer scope)."""
        current = self.parent(node)
        child = node
        while current is not None:
            scope = self.scope_of_node.get(id(current))
            if scope is not None and _evaluated_inside(current, child):
                return scope
            child, current = current, self.parent(current)
        return self.module

    def resolve(self, name: str, scope: Scope) -> tuple[Scope, list[Binding]] | None:
        """The scope that binds ``name`` as seen from ``scope`` (Python's LEGB rule), or None."""
        if name in scope.declared_global:
            found = self.module.bindings.get(name)
            return (self.module, found) if found else None
        current: Scope | None = scope
        skip_classes = False
        while current is not None:
            if current.kind == "class" and skip_classes:
                current = current.parent
                continue
            if name in current.bindings and name not in current.declared_nonlocal:
                if name in current.declared_global:
                    found = self.module.bindings.get(name)
                    return (self.module, found) if found else None
                return current, current.bindings[name]
            skip_classes = True
            current = current.parent
        return None

    def qualified_name(self, expr: ast.expr, scope: Scope) -> str | None:
        """``flask.signals.request_started`` for ``rs`` after ``from flask.signals import request_started
        as rs``; None when the expression is not a chain of attributes on an imported name."""
        if isinstance(expr, ast.Attribute):
            base = self.qualified_name(expr.value, scope)
            return f"{base}.{expr.attr}" if base else None
        if isinstance(expr, ast.Name):
            found = self.resolve(expr.id, scope)
            return self.imported_as(found[1]) if found is not None else None
        return None

    def imported_as(self, bindings: list[Binding]) -> str | None:
        """The full name a name's bindings import: one import (or several of the same name), or
        the alternatives of an import fallback, where the import in the preferred branch is the
        real API and the others are stand-ins (``except ImportError: class Namespace: ...``) or
        re-exports of it."""
        names = {b.qualname for b in bindings}
        if all(b.kind == "import" for b in bindings):
            if len(names) == 1:
                return names.pop()
        elif len(bindings) == 1:
            return None
        return self._fallback_import(bindings)

    def _fallback_import(self, bindings: list[Binding]) -> str | None:
        construct = None
        branches: dict[str, list[Binding]] = {}
        for binding in bindings:
            found = self._fallback_branch(binding.node)
            if found is None:
                return None
            node, branch = found
            if construct is None:
                construct = node
            elif node is not construct:
                return None  # alternatives of different constructs: not one fallback
            branches.setdefault(branch, []).append(binding)
        if len(branches) < 2:
            return None
        for branch in ("preferred", "fallback"):  # the try body / the if body first
            imports = [b for b in branches.get(branch, []) if b.kind == "import" and b.qualname]
            if imports:
                return imports[0].qualname
        return None

    def _fallback_branch(self, node: ast.AST) -> tuple[ast.AST, str] | None:
        """The innermost import fallback (``try``/``except ImportError``, ``if TYPE_CHECKING``, a
        version check) around the statement that binds, and which branch it is in."""
        child, current = node, self.parent(node)
        while current is not None and not isinstance(current, _SCOPE_BOUNDARIES):
            if isinstance(current, ast.Try) and _catches_import_error(current):
                if any(child is s for s in current.body):
                    return current, "preferred"
                if any(child is h for h in current.handlers):
                    return current, "fallback"
            if isinstance(current, ast.If) and _is_fallback_test(current.test):
                if any(child is s for s in current.body):
                    return current, "preferred"
                if any(child is s for s in current.orelse):
                    return current, "fallback"
            child, current = current, self.parent(current)
        return None

    def single_binding(self, name: str, scope: Scope) -> tuple[Scope, Binding] | None:
        """The binding of ``name`` when exactly one statement binds it in its scope."""
        found = self.resolve(name, scope)
        if found is None or len(found[1]) != 1:
            return None
        return found[0], found[1][0]

    def class_named(self, expr: ast.expr, scope: Scope) -> ast.ClassDef | None:
        """The class ``expr`` names when it is a name bound once, by a ``class`` statement."""
        if not isinstance(expr, ast.Name):
            return None
        found = self.single_binding(expr.id, scope)
        node = found[1].node if found is not None and found[1].kind == "class" else None
        return node if isinstance(node, ast.ClassDef) else None

    def loads_of(self, name: str, scope: Scope) -> tuple[list[ast.Name], bool]:
        """Reads of ``name`` that refer to ``scope``'s binding: (reads in ``scope`` itself,
        whether any nested scope reads it too, i.e. captures it in a closure)."""
        if self._captured is None:
            self._captured = self._find_captured()
        return scope.loads.get(name, []), name in self._captured.get(id(scope), ())

    def _find_captured(self) -> dict[int, set[str]]:
        """For every scope, the names of its bindings that a nested scope reads: one pass."""
        captured: dict[int, set[str]] = {}
        for inner in self.module.descendants():
            for name in inner.loads:
                found = self.resolve(name, inner)
                if found is not None and found[0] is not inner:
                    captured.setdefault(id(found[0]), set()).add(name)
        return captured


def _any_is(node: ast.AST, candidates: list[ast.AST | None]) -> bool:
    return any(node is candidate for candidate in candidates)


_SCOPE_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Module)
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught is not None else []
        if any(isinstance(n, ast.Name) and n.id in _IMPORT_ERRORS for n in names):
            return True
    return False


def _is_fallback_test(test: ast.expr) -> bool:
    """``TYPE_CHECKING``, ``typing.TYPE_CHECKING`` or a comparison with ``sys.version_info``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
        return True
    if isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING":
        return True
    if isinstance(test, ast.Compare):
        side = test.left.value if isinstance(test.left, ast.Subscript) else test.left
        return isinstance(side, ast.Attribute) and side.attr == "version_info"
    return False


def _evaluated_inside(scope_node: ast.AST, child: ast.AST) -> bool:
    """Whether ``child`` (a direct child of ``scope_node``) is evaluated in the new scope."""
    if isinstance(scope_node, ast.Module):
        return True
    # Only the body is evaluated inside; the other parts are few, the body may be huge.
    if isinstance(scope_node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        outside: list[ast.AST | None] = [*scope_node.decorator_list, scope_node.args, scope_node.returns]
        return not _any_is(child, [*outside, *getattr(scope_node, "type_params", [])])
    if isinstance(scope_node, ast.ClassDef):
        outside = [*scope_node.decorator_list, *scope_node.bases, *scope_node.keywords]
        return not _any_is(child, [*outside, *getattr(scope_node, "type_params", [])])
    if isinstance(scope_node, ast.Lambda):
        return child is scope_node.body
    # Comprehensions: the first iterable is evaluated outside, the rest inside.
    generators = getattr(scope_node, "generators", [])
    return not (generators and child is generators[0])


class _Builder:
    """Walks the tree with an explicit stack, not recursion: 500-deep expressions are legal Python
    and must not cost the whole file its findings. Nothing downstream depends on visiting order."""

    def __init__(self, owner: ModuleScopes) -> None:
        self.owner = owner
        self.stack: list[tuple[ast.AST, ast.AST | None, Scope]] = []

    def build(self, tree: ast.Module) -> Scope:
        module = Scope(tree, "module", None)
        self.owner.scope_of_node[id(tree)] = module
        self._push_children(tree, module)
        handlers: dict[type[ast.AST], Callable[[Any, Scope], None]] = {
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.Lambda: self._lambda,
            ast.ClassDef: self._class,
            ast.ListComp: self._comprehension,
            ast.SetComp: self._comprehension,
            ast.DictComp: self._comprehension,
            ast.GeneratorExp: self._comprehension,
            ast.Import: self._import,
            ast.ImportFrom: self._import_from,
            ast.Assign: self._assign,
            ast.AnnAssign: self._ann_assign,
            ast.NamedExpr: self._named_expr,
            ast.Global: self._global,
            ast.Nonlocal: self._nonlocal,
            ast.Name: self._name,
            ast.ExceptHandler: self._except_handler,
            ast.MatchAs: self._match_capture,
            ast.MatchStar: self._match_capture,
            ast.MatchMapping: self._match_capture,
            ast.Yield: self._yield,
            ast.YieldFrom: self._yield,
        }
        while self.stack:
            node, parent, scope = self.stack.pop()
            if parent is not None:
                self.owner.parents[id(node)] = parent
            handler = handlers.get(type(node))
            if handler is None:
                self._push_children(node, scope)
            else:
                handler(node, scope)
        return module

    # -- plumbing -------------------------------------------------------------------------
    def _push(self, node: ast.AST | None, parent: ast.AST, scope: Scope) -> None:
        if node is not None:
            self.stack.append((node, parent, scope))

    def _push_children(self, node: ast.AST, scope: Scope) -> None:
        for child in syntax.child_nodes(node):
            self.stack.append((child, node, scope))

    def _new_scope(self, node: ast.AST, kind: str, parent: Scope) -> Scope:
        scope = Scope(node, kind, parent)
        parent.children.append(scope)
        self.owner.scope_of_node[id(node)] = scope
        return scope

    @staticmethod
    def _bind(binding: Binding, scope: Scope) -> None:
        scope.bindings.setdefault(binding.name, []).append(binding)

    def _bind_params(self, args: ast.arguments, owner: ast.AST, scope: Scope) -> None:
        self.owner.parents[id(args)] = owner
        for arg in _all_args(args):
            self.owner.parents[id(arg)] = args
            self._bind(Binding(arg.arg, arg, "param"), scope)

    # -- definitions ----------------------------------------------------------------------
    def _function(self, node: FunctionNode, scope: Scope) -> None:
        self._bind(Binding(node.name, node, "def"), scope)
        for expr in [
            *node.decorator_list,
            *_defaults(node.args),
            node.returns,
            *_annotations(node.args),
            *getattr(node, "type_params", []),
        ]:
            self._push(expr, node, scope)
        inner = self._new_scope(node, "function", scope)
        self._bind_params(node.args, node, inner)
        for statement in node.body:
            self._push(statement, node, inner)

    def _lambda(self, node: ast.Lambda, scope: Scope) -> None:
        for expr in _defaults(node.args):
            self._push(expr, node, scope)
        inner = self._new_scope(node, "lambda", scope)
        self._bind_params(node.args, node, inner)
        self._push(node.body, node, inner)

    def _class(self, node: ast.ClassDef, scope: Scope) -> None:
        self._bind(Binding(node.name, node, "class"), scope)
        for expr in [*node.decorator_list, *node.bases, *node.keywords, *getattr(node, "type_params", [])]:
            self._push(expr, node, scope)
        inner = self._new_scope(node, "class", scope)
        for statement in node.body:
            self._push(statement, node, inner)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp, scope: Scope
    ) -> None:
        first, *rest = node.generators
        self.owner.parents[id(first)] = node
        self._push(first.iter, first, scope)  # the first iterable is evaluated outside
        inner = self._new_scope(node, "comprehension", scope)
        self._push(first.target, first, inner)
        for condition in first.ifs:
            self._push(condition, first, inner)
        for generator in rest:
            self._push(generator, node, inner)
        for part in ("elt", "key", "value"):
            self._push(getattr(node, part, None), node, inner)

    # -- bindings -------------------------------------------------------------------------
    def _import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            if alias.asname:
                self._bind(Binding(alias.asname, node, "import", qualname=alias.name), scope)
            else:
                top = alias.name.split(".")[0]
                self._bind(Binding(top, node, "import", qualname=top), scope)

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = self._absolute_module(node)
        for alias in node.names:
            if alias.name == "*":
                continue
            qualname = f"{module}.{alias.name}" if module else None
            self._bind(Binding(alias.asname or alias.name, node, "import", qualname=qualname), scope)

    def _absolute_module(self, node: ast.ImportFrom) -> str | None:
        if not node.level:
            return node.module
        if not self.owner.module_name:
            return None
        package = self.owner.module_name.split(".")
        if not self.owner.is_package:
            package.pop()  # a plain module's own name is not part of its package
        if node.level - 1 >= len(package):
            return None
        base = package[: len(package) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base) or None

    def _assign(self, node: ast.Assign, scope: Scope) -> None:
        self._push(node.value, node, scope)
        single = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        for target in node.targets:
            if single and isinstance(target, ast.Name):
                self.owner.parents[id(target)] = node
                self._bind(Binding(target.id, node, "assign", value=node.value), scope)
            else:
                self._push(target, node, scope)

    def _ann_assign(self, node: ast.AnnAssign, scope: Scope) -> None:
        self._push(node.annotation, node, scope)
        self._push(node.value, node, scope)
        if isinstance(node.target, ast.Name):
            self.owner.parents[id(node.target)] = node
            if node.value is not None:
                self._bind(Binding(node.target.id, node, "assign", value=node.value), scope)
        else:
            self._push(node.target, node, scope)

    def _named_expr(self, node: ast.NamedExpr, scope: Scope) -> None:
        self._push(node.value, node, scope)
        self.owner.parents[id(node.target)] = node
        target: Scope | None = scope
        while target is not None and target.kind == "comprehension":
            target = target.parent
        self._bind(Binding(node.target.id, node, "assign", value=node.value), target or scope)

    @staticmethod
    def _global(node: ast.Global, scope: Scope) -> None:
        scope.declared_global.update(node.names)

    @staticmethod
    def _nonlocal(node: ast.Nonlocal, scope: Scope) -> None:
        scope.declared_nonlocal.update(node.names)

    def _except_handler(self, node: ast.ExceptHandler, scope: Scope) -> None:
        if node.name:
            self._bind(Binding(node.name, node, "other"), scope)
        self._push_children(node, scope)

    def _match_capture(self, node: ast.AST, scope: Scope) -> None:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            self._bind(Binding(name, node, "other"), scope)
        self._push_children(node, scope)

    def _name(self, node: ast.Name, scope: Scope) -> None:
        if isinstance(node.ctx, ast.Load):
            scope.loads.setdefault(node.id, []).append(node)
        else:
            self._bind(Binding(node.id, node, "other"), scope)

    def _yield(self, node: ast.Yield | ast.YieldFrom, scope: Scope) -> None:
        if scope.kind == "function":
            scope.is_generator = True
        self._push_children(node, scope)


def _all_args(args: ast.arguments) -> list[ast.arg]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        every.append(args.vararg)
    if args.kwarg:
        every.append(args.kwarg)
    return every


def _defaults(args: ast.arguments) -> list[ast.expr]:
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def _annotations(args: ast.arguments) -> list[ast.expr]:
    return [a.annotation for a in _all_args(args) if a.annotation is not None]


def module_name_for(filename: str) -> str:
    """Dotted module name found by walking up directories that hold ``__init__.py``."""
    import os

    path = os.path.abspath(filename)
    directory, base = os.path.split(path)
    stem = base[:-3] if base.endswith(".py") else base
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts)


def package_root_for(filename: str) -> str:
    """The directory that must be on ``sys.path`` for :func:`module_name_for` to import."""
    import os

    directory = os.path.dirname(os.path.abspath(filename))
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory = os.path.dirname(directory)
    return directory
