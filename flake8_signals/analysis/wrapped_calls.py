"""Calls, in the linted module, of the project's connect wrappers (see :mod:`.wrappers`)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from ..libraries.model import Library
from .connect_sites import ConnectSite
from .connections import bind, method_use
from .scopes import ModuleScopes
from .signals import SignalResolver
from .wrappers import ConnectWrapper, FreshReturner, Summaries, WrappedModule, module_file, summaries_of_file

_CALLED = re.compile(r"\b([A-Za-z_]\w*)\s*\(")  # every name called (or defined) in the text


class WrappedCalls:
    """The calls of wrappers in one module: of its own module-level functions, and of functions
    imported (``from project.module import name``) from modules of the project under ``roots``."""

    def __init__(
        self,
        tree: ast.Module,
        scopes: ModuleScopes,
        module_name: str,
        roots: tuple[str, ...],
        sites: Sequence[ConnectSite],
        calls: Sequence[ast.Call],
    ) -> None:
        self.calls_in_module = calls
        self.scopes = scopes
        self.roots = roots
        self.own = Summaries(WrappedModule(tree, scopes, module_name), sites)

    def calls(self, source: str) -> Iterator[tuple[ast.Call, ConnectWrapper | FreshReturner]]:
        candidates = self._candidates(source)
        if not candidates:
            return  # nothing here can call a wrapper: no walk
        for node in self.calls_in_module:
            if isinstance(node.func, ast.Name) and node.func.id in candidates:
                found = self.scopes.resolve(node.func.id, self.scopes.scope_containing(node))
                if found is not None and found[0] is self.scopes.module:
                    yield node, candidates[node.func.id]

    def _candidates(self, source: str) -> dict[str, ConnectWrapper | FreshReturner]:
        """The module-level names that are wrappers and that the source calls: own functions, and
        names imported from the project's modules (whose modules are read only then)."""
        found: dict[str, ConnectWrapper | FreshReturner] = {}
        called = _CALLED.findall(source)
        if not called:
            return found
        names = set(called)
        for name, bindings in self.scopes.module.bindings.items():
            if name not in names or len(bindings) != 1:
                continue
            binding = bindings[0]
            if binding.kind == "def":
                summary = self.own.by_name.get(name)
            elif binding.kind == "import" and isinstance(binding.node, ast.ImportFrom) and binding.qualname:
                summary = self._imported(binding.qualname)
            else:
                continue
            if summary is not None:
                found[name] = summary
        return found

    def _imported(self, qualname: str) -> ConnectWrapper | FreshReturner | None:
        located = module_file(qualname, self.roots)
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
