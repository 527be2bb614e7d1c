"""Calls, in the linted module, of the project's connect wrappers (see :mod:`.wrappers`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..libraries.model import Library
from .connections import bind, method_use
from .scopes import ModuleScopes
from .signals import SignalResolver
from .wrappers import ConnectWrapper, FreshReturner, Summaries, WrappedModule, module_file, summaries_of_file


class WrappedCalls:
    def __init__(
        self, tree: ast.Module, scopes: ModuleScopes, module_name: str, roots: tuple[str, ...]
    ) -> None:
        self.tree = tree
        self.scopes = scopes
        self.roots = roots
        self.own = Summaries(WrappedModule(tree, scopes, module_name))

    def calls(self) -> Iterator[tuple[ast.Call, ConnectWrapper | FreshReturner]]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                summary = self._summary(node)
                if summary is not None:
                    yield node, summary

    def _summary(self, call: ast.Call) -> ConnectWrapper | FreshReturner | None:
        func = call.func
        scope = self.scopes.scope_containing(call)
        if isinstance(func, ast.Name):
            found = self.scopes.resolve(func.id, scope)
            if found is not None and found[0] is self.scopes.module and [b.kind for b in found[1]] == ["def"]:
                return self.own.by_name.get(func.id)
        qualname = self.scopes.qualified_name(func, scope)
        located = module_file(qualname, self.roots) if qualname else None
        if located is None:
            return None
        summaries = summaries_of_file(located[0])
        return summaries.by_name.get(located[1]) if summaries is not None else None


def bind_inner(
    summary: ConnectWrapper | FreshReturner, call: ast.Call, scopes: ModuleScopes, resolver: SignalResolver
) -> tuple[Library, bool | None, ast.expr | None] | None:
    """The library of the connect inside the wrapper, whether this call makes it weak, and the
    signal as the message shows it; None when that cannot be told."""
    inner = summary.inner
    if summary.signal is None:  # a fixed signal, recognised from the wrapper's module alone
        module = summary.module
        found = bind(inner, module.scopes, SignalResolver(module.scopes, lambda expr: None))
        if found is None:
            return None
        return found.library, _weak(summary, call, found.use.weak(inner)), found.signal
    argument = summary.signal.find(call)
    if argument is None:
        return None
    library = resolver.library_of(argument, scopes.scope_containing(call))
    if library is None:
        return None
    for form in library.connect_forms(inner.method):
        use = method_use(library, form, inner)
        if use is not None:
            return library, _weak(summary, call, use.weak(inner)), argument
    return None


def _weak(summary: ConnectWrapper | FreshReturner, call: ast.Call, inner_weak: bool | None) -> bool | None:
    """A wrapper that passes its own parameter on as the weak flag: what this call passes (or the
    parameter's literal default)."""
    if not isinstance(summary, ConnectWrapper) or summary.weak is None:
        return inner_weak
    passed = summary.weak.find(call)
    if passed is None:
        return summary.weak_default
    return bool(passed.value) if isinstance(passed, ast.Constant) else None
