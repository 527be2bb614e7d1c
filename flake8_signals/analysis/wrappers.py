"""Project functions that wrap a connect, one level deep.

Two shapes, summarised once per function from the syntax of its module (no astroid):

* a **connect wrapper** connects one of its parameters as a receiver, weakly unless told
  otherwise, and keeps no other reference to it (``def connect_first(signal, receiver, sender):
  signal.connect(receiver, sender=sender)``): each call of it is judged like a ``.connect()``;
* a **fresh returner** connects a function or lambda it defines and returns it
  (``def dynamic_connect(...): def wrapper(...): ...; sig.connect(wrapper); return wrapper``): a call
  whose result is thrown away loses that function.

Only module-level functions of the project are summarised, wrappers of wrappers are not
followed, and anything the summary is unsure of means no summary, which means silence.
"""

from __future__ import annotations

import ast
import os
import re
import warnings
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

from ..libraries import CONNECT_TEXT
from ..libraries.model import Parameter, ReceiverKind
from . import heap
from .connect_sites import ConnectSite, Style, find_connect_sites
from .project_files import read_source
from .scopes import FunctionNode, ModuleScopes, Scope, module_name_for


class WrappedModule(NamedTuple):
    """A module whose functions may wrap connects, with what summarising them needs."""

    tree: ast.Module
    scopes: ModuleScopes
    name: str


class ConnectWrapper(NamedTuple):
    function: str  # how messages name it
    receiver: Parameter  # the parameter it connects
    signal: Parameter | None  # the parameter that is the signal; None: the signal is fixed inside
    weak: Parameter | None  # the parameter passed on as the weak flag, if any
    weak_default: bool | None  # that parameter's default (None: no literal default)
    inner: ConnectSite  # the connect inside the wrapper
    module: WrappedModule


class FreshReturner(NamedTuple):
    function: str
    receiver: str  # the name of the function or lambda it defines, connects and returns
    kind: ReceiverKind
    signal: Parameter | None
    inner: ConnectSite
    module: WrappedModule


Summary = ConnectWrapper | FreshReturner


class Summaries:
    """The summaries of one module's module-level functions, made on first use (from ``sites``,
    the module's connect sites, when the caller already has them)."""

    def __init__(self, module: WrappedModule, sites: Sequence[ConnectSite] | None = None) -> None:
        self.module = module
        self._sites = sites

    @cached_property
    def by_name(self) -> dict[str, Summary]:
        sites_by_function: dict[int, list[ConnectSite]] = {}
        sites = self._sites if self._sites is not None else list(find_connect_sites(self.module.tree))
        for site in sites:
            scope = self.module.scopes.scope_containing(site.report_node)
            sites_by_function.setdefault(id(scope.node), []).append(site)
        found: dict[str, Summary] = {}
        for node in self.module.tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.decorator_list:
                continue
            own = self.module.scopes.scope_of_node.get(id(node))
            sites = sites_by_function.get(id(node), [])
            if own is None or len(sites) != 1 or sites[0].style is not Style.CALL:
                continue  # one plain connect call, or nothing this summary can say
            summary = self._summarise(node, own, sites[0])
            if summary is not None:
                found[node.name] = summary
        return found

    def _summarise(self, function: FunctionNode, scope: Scope, site: ConnectSite) -> Summary | None:
        receiver = site.receiver
        if not isinstance(receiver, ast.Name):
            return None
        bindings = scope.bindings.get(receiver.id, [])
        if len(bindings) != 1:
            return None
        params = _parameters(function)
        signal = _parameter_named(params, site.target)
        if bindings[0].kind == "param":
            return self._wrapper(function, scope, site, receiver.id, params, signal)
        if bindings[0].kind == "def" or (
            bindings[0].kind == "assign" and isinstance(bindings[0].value, ast.Lambda)
        ):
            kind = ReceiverKind.FUNCTION if bindings[0].kind == "def" else ReceiverKind.LAMBDA
            return self._returner(function, scope, site, receiver.id, kind, signal)
        return None

    def _wrapper(
        self,
        function: FunctionNode,
        scope: Scope,
        site: ConnectSite,
        name: str,
        params: list[tuple[Parameter, ast.expr | None]],
        signal: Parameter | None,
    ) -> ConnectWrapper | None:
        receiver = next((p for p, _ in params if p.name == name), None)
        if receiver is None or self._other_uses(scope, name, site.receiver) or _returns_something(function):
            return None
        weak, weak_default = None, None
        call = site.call
        if call is not None:
            passed = next((k.value for k in call.keywords if k.arg == "weak"), None)
            if isinstance(passed, ast.Name):
                weak = next((p for p, _ in params if p.name == passed.id), None)
                if weak is None:
                    return None  # a weak flag from elsewhere: not known
                default = dict((p.name, d) for p, d in params)[passed.id]
                weak_default = bool(default.value) if isinstance(default, ast.Constant) else None
        return ConnectWrapper(function.name, receiver, signal, weak, weak_default, site, self.module)

    def _returner(
        self,
        function: FunctionNode,
        scope: Scope,
        site: ConnectSite,
        name: str,
        kind: ReceiverKind,
        signal: Parameter | None,
    ) -> FreshReturner | None:
        returns = [n for n in _own_nodes(function) if isinstance(n, ast.Return)]
        if len(returns) != 1 or not isinstance(returns[0].value, ast.Name) or returns[0].value.id != name:
            return None
        if self._other_uses(scope, name, site.receiver, allowed=returns[0].value):
            return None
        return FreshReturner(function.name, name, kind, signal, site, self.module)

    def _other_uses(
        self, scope: Scope, name: str, receiver: ast.expr | None, allowed: ast.AST | None = None
    ) -> bool:
        """Whether ``name`` is used other than as the connect's receiver (and ``allowed``)."""
        loads, captured = self.module.scopes.loads_of(name, scope)
        return captured or any(load is not receiver and load is not allowed for load in loads)


def _parameters(function: FunctionNode) -> list[tuple[Parameter, ast.expr | None]]:
    """(parameter, its default) for the positional-or-keyword and keyword-only parameters."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    found = [(Parameter(a.arg, i), d) for i, (a, d) in enumerate(zip(positional, defaults, strict=True))]
    found += [(Parameter(a.arg), d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
    return found


def _parameter_named(
    params: list[tuple[Parameter, ast.expr | None]], expr: ast.expr | None
) -> Parameter | None:
    if isinstance(expr, ast.Name):
        return next((p for p, _ in params if p.name == expr.id), None)
    return None


def _returns_something(function: FunctionNode) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in _own_nodes(function))


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    stack = list(getattr(function, "body", []))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(
            c
            for c in ast.iter_child_nodes(node)
            if not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
        )
    return found


_MODULES: dict[str, Summaries | None] = {}  # by path; a process-wide cache of modules read from disk


_CONNECT_BYTES = re.compile(CONNECT_TEXT.pattern.encode())


def summaries_of_file(path: str) -> Summaries | None:
    """The summaries of the project module at ``path`` (a regular file of a sane size), or None."""
    if path not in _MODULES:
        _MODULES[path] = summaries = _read(path)
        if summaries is not None:
            heap.keep_after_file()  # its tree and scopes live as long as the process
    return _MODULES[path]


def _read(path: str) -> Summaries | None:
    import importlib.util

    data = read_source(path)  # a regular file, never waited for, bounded in size
    if not isinstance(data, bytes) or not _CONNECT_BYTES.search(data):
        return None  # no connect in its text: it wraps none (and is not parsed)
    try:
        source = importlib.util.decode_source(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except (OSError, SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError):
        return None
    name = module_name_for(path)
    return Summaries(WrappedModule(tree, ModuleScopes(tree, name, path.endswith("__init__.py")), name))


def module_file(qualname: str, roots: tuple[str, ...]) -> tuple[str, str] | None:
    """(the file of the project module that defines ``qualname``'s last part, that part)."""
    module, _, name = qualname.rpartition(".")
    if not module:
        return None
    relative = module.replace(".", os.sep)
    for root in roots:
        for candidate in (os.path.join(root, relative + ".py"), os.path.join(root, relative, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate, name
    return None


def clear_cache() -> None:
    _MODULES.clear()
