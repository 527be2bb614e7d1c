"""Which bindings of a local name may reach a statement, and on which path.

A receiver name can be bound one way on one path and another way on another (an ``if``/``else``,
a ``try``/``except``, a loop). A forward walk over the function's statements, with a set of the
bindings that may be current, tells which ones can reach the connect call. It is deliberately
small: anything it does not model (``break``/``continue`` in a loop that rebinds the name, a
walrus, ``del``, ``global``) makes it answer "not known", which the caller treats as silence.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import NamedTuple

from .display import short_source
from .scopes import Binding, ModuleScopes

_State = frozenset[int]  # ids of the binding statements that may be current
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class _Unknown(Exception):
    """A construct the walk does not model."""


class Reaching(NamedTuple):
    binding: Binding
    branch: str  # the path it is bound on, e.g. "when 'app.debug' is true"; "" when unconditional


class BindingFlow:
    """The walk of one function for one name, done once; :meth:`at` answers for any statement."""

    def __init__(
        self, scopes: ModuleScopes, function: ast.AST, name: str, bindings: Sequence[Binding]
    ) -> None:
        self.scopes = scopes
        self.function = function
        self._binders: dict[int, Binding] = {}
        self._before: dict[int, _State] | None = None
        for binding in bindings:
            statement = _statement_of(scopes, binding.node)
            if statement is None or binding.kind in ("param", "import"):
                return  # bound by the caller or an import: not followed
            self._binders[id(statement)] = binding
        walk = _Walk(name, self._binders)
        try:
            walk.block(list(getattr(function, "body", [])), frozenset())
        except _Unknown:
            return
        self._before = walk.before

    def at(self, node: ast.AST) -> list[Reaching] | None:
        """The bindings that may be current when the statement holding ``node`` runs, in source
        order; None when the walk cannot tell."""
        target = _statement_of(self.scopes, node)
        if self._before is None or target is None or id(target) not in self._before:
            return None
        current = self._before[id(target)]
        found = [self._binders[i] for i in self._binders if i in current]
        found.sort(key=lambda b: (getattr(b.node, "lineno", 0), getattr(b.node, "col_offset", 0)))
        return [Reaching(b, _branch(self.scopes, b.node, self.function)) for b in found]


def _statement_of(scopes: ModuleScopes, node: ast.AST) -> ast.stmt | None:
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = scopes.parent(current)
    return current


class _Walk:
    """One walk of a function for one name; ``before`` holds, for every statement, the bindings
    that may be current when it starts."""

    def __init__(self, name: str, binders: dict[int, Binding]) -> None:
        self.name = name
        self.binders = binders
        self.before: dict[int, _State] = {}

    def block(self, statements: list[ast.stmt], state: _State) -> _State:
        for statement in statements:
            state = self.statement(statement, state)
        return state

    def statement(self, node: ast.stmt, state: _State) -> _State:
        self.before[id(node)] = self.before.get(id(node), frozenset()) | state
        if isinstance(node, ast.If):
            return self.block(node.body, state) | self.block(node.orelse, state)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            return self._loop(node, state)
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            return self._try(node, state)
        if isinstance(node, (ast.With, ast.AsyncWith)):
            return self.block(node.body, self._bind(node, state))
        if isinstance(node, ast.Match):
            out = state
            for case in node.cases:
                out = out | self.block(case.body, state)
            return out
        if isinstance(node, (ast.Return, ast.Raise)):
            return frozenset()
        if isinstance(node, (ast.Global, ast.Nonlocal, ast.Delete)) and self._mentions(node):
            raise _Unknown
        if not isinstance(node, _NESTED) and any(
            isinstance(sub, ast.NamedExpr) and sub.target.id == self.name for sub in ast.walk(node)
        ):
            raise _Unknown
        return self._bind(node, state)

    def _bind(self, node: ast.stmt, state: _State) -> _State:
        return frozenset({id(node)}) if id(node) in self.binders else state

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, state: _State) -> _State:
        if self._binds_inside(node.body) and self._jumps(node.body):
            raise _Unknown  # break/continue around a rebinding: paths the walk does not follow
        entry = self._bind(node, state)
        once = self.block(node.body, entry)
        again = self.block(node.body, entry | once)  # a second pass reaches the fixed point
        after = state | once | again
        return self.block(node.orelse, after) | after if node.orelse else after

    def _try(self, node: ast.stmt, state: _State) -> _State:
        body: list[ast.stmt] = getattr(node, "body", [])
        seen = state
        current = state
        for statement in body:
            current = self.statement(statement, current)
            seen = seen | current
        out = self.block(getattr(node, "orelse", []), current)
        for handler in getattr(node, "handlers", []):
            out = out | self.block(handler.body, seen)
        finalbody: list[ast.stmt] = getattr(node, "finalbody", [])
        return self.block(finalbody, out | seen) if finalbody else out

    def _binds_inside(self, statements: list[ast.stmt]) -> bool:
        return any(id(sub) in self.binders for statement in statements for sub in ast.walk(statement))

    @staticmethod
    def _jumps(statements: list[ast.stmt]) -> bool:
        stack: list[ast.AST] = list(statements)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.Break, ast.Continue)):
                return True
            if not isinstance(node, (*_NESTED, ast.For, ast.AsyncFor, ast.While, ast.Lambda)):
                stack.extend(ast.iter_child_nodes(node))
        return False

    def _mentions(self, node: ast.stmt) -> bool:
        if isinstance(node, ast.Delete):
            return any(isinstance(t, ast.Name) and t.id == self.name for t in node.targets)
        return self.name in getattr(node, "names", ())


def _branch(scopes: ModuleScopes, node: ast.AST, function: ast.AST) -> str:
    """How the path to ``node`` is said: the innermost branch around it inside ``function``."""
    child, current = node, scopes.parent(node)
    while current is not None and current is not function:
        if isinstance(current, ast.If):
            test = short_source(current.test, 40)
            if any(child is s for s in current.body):
                return f"when '{test}' is true"
            if any(child is s for s in current.orelse):
                return f"when '{test}' is false"
        elif isinstance(current, ast.ExceptHandler):
            caught = short_source(current.type, 40) if current.type is not None else ""
            return f"in 'except {caught}'" if caught else "in 'except'"
        elif isinstance(current, ast.Try) and any(child is s for s in current.body):
            return "in the 'try' body"
        elif isinstance(current, (ast.For, ast.AsyncFor, ast.While)) and any(
            child is s for s in current.body
        ):
            return "in a loop"
        elif isinstance(current, ast.match_case):
            return f"in 'case {ast.unparse(current.pattern)[:40]}'"
        child, current = current, scopes.parent(current)
    return ""
