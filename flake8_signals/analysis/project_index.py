"""What the whole project declares, sends and connects, for checks that one file cannot decide.

flake8 lints one file at a time, in several processes, and pre-commit hands it only the changed
files; but whether ``ns.signal("user-crated")`` names a declared signal depends on other modules.
So each process reads the project from disk once and keeps a summary of it.

Usage::

    from flake8_signals.analysis import project_index

    index = project_index.index_for(context)        # context: a LintedModule (context.FileContext is one)
    identity = index.identity_of(call.func.value, context)   # the signal an expression names
    for send in index.sends_for(identity):          # every .send()/.send_async() of it
        send.path, send.line, send.keywords, send.has_double_star, send.has_async_wrapper, send.is_async

API
    ``index_for(context) -> ProjectIndex``
        The index of the linted file's project (``roots_of(context)``) with its own source in
        place of its on-disk version. Built at most once per process per set of roots
        (``clear_cache()`` drops it).
    ``build_index(roots) -> ProjectIndex``
        A fresh index, no cache (benchmarks, tests).
    ``SignalIdentity(kind, namespace, name)``
        ``kind="named"``: a signal looked up by name; ``namespace`` is the qualified name of its
        namespace object (``"blinker.default_namespace"``, ``"flask.signals._signals"``,
        ``"accounts.signals.account_signals"``) and ``name`` the signal's name.
        ``kind="object"``: a ``Signal()`` object; ``namespace`` is the defining module and ``name``
        the variable (``"Cls.attr"`` for a class attribute).
    ``SendInfo(path, line, keywords, has_double_star, has_async_wrapper, is_async, via)``
        One send of a signal: ``keywords`` are the literal keyword names passed (``_async_wrapper``
        excluded), ``has_double_star`` is true when ``**kwargs`` is passed (the keywords are then not
        all known), ``is_async`` for ``send_async``. ``via`` is ``"call"`` for a ``.send(...)`` call,
        ``"connect"`` when ``other.connect(sig.send)`` re-broadcasts another signal (its keywords
        are whatever that signal is sent with: ``has_double_star`` is true) and ``"reference"`` when
        ``sig.send`` is handed elsewhere uncalled.
    ``ProjectIndex``
        ``.complete`` (False when the file cap was reached: project-wide verdicts must stay silent),
        ``.identity_of(expr, context)``, ``.resolve(ref)``, ``.sends_for(identity)``,
        ``.usage(identity) -> Usage(sent, listened, escaped)``, ``.namespace(namespace_id) ->
        NamespaceInfo | None``, ``.declared_names(namespace_id)``, ``.libraries`` (known libraries
        the project imports), ``.files_seen``, ``.files_parsed``, ``.seconds``.

Only the project's own sends are indexed: the sends libraries make of their own signals (Flask's
``request_started``) are not; see :mod:`.known_signals` for those.

What is read: see :mod:`.project_files` (each linted file's project root and package root, or
the configured source roots; regular ``*.py`` files only, at most ``MAX_FILE_BYTES`` each, flake8's
excludes honoured). At most ``MAX_FILES`` files per root. Every file is read and searched for
imports of the libraries in :mod:`.known_signals`, but parsing is what costs, so a file is parsed
only when its text can make or look up a blinker signal (it mentions ``blinker``, ``Namespace``
or ``.signal(``), or when it mentions ``signal``/``.send``/``.connect`` (or is a package
``__init__.py``) *and* one of the module-level names that hold a signal or namespace in the files
parsed so far, round after round. So the sends of other libraries' signals are not collected
(:func:`collects_sends_of`): the contracts family does not ask for them.
On Django's source (2,822 files, no blinker) 7 files are parsed; see ``bench/index_cost.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from ..boundary import PROJECT_FILE, contained
from ..libraries import CONNECT_METHODS, KNOWN_SIGNALS, LIBRARIES, NAMESPACES, SIGNAL_CLASSES
from ..libraries import SEND_METHODS as _SEND_METHODS
from ..libraries.model import KnownNamespace, Library
from . import heap, index_cache, project_files
from . import tree as syntax
from .index_settings import IndexSettings, current_run
from .project_facts import (
    Alias,
    BindingValue,
    DefaultNamespace,
    Lookup,
    LookupFunction,
    MakesNamespace,
    MakesSignal,
    ModuleFacts,
    NamedLookup,
    NamespaceTarget,
    Qualified,
    Ref,
    Send,
    SendInfo,
    SignalIdentity,
    Target,
    Use,
)
from .project_files import MAX_FILE_BYTES as MAX_FILE_BYTES
from .project_files import Oversized, SourceFile, normalized_roots, python_files, read_source, roots_for
from .scopes import ModuleScopes, module_name_for, package_root_for

__all__ = [
    "DEFAULT_NAMESPACES",
    "LinkedFacts",
    "Lookup",
    "ModuleFacts",
    "NamespaceInfo",
    "ProjectIndex",
    "SendInfo",
    "SignalIdentity",
    "build_index",
    "clear_cache",
    "default_namespace_owner",
    "file_facts",
    "index_for",
    "linked_facts",
]


class LintedModule(Protocol):
    """The linted file as the index needs it (:class:`flake8_signals.context.FileContext` is one)."""

    @property
    def tree(self) -> ast.Module: ...
    @property
    def filename(self) -> str: ...
    @property
    def module_name(self) -> str: ...
    @property
    def scopes(self) -> ModuleScopes: ...
    @property
    def index_settings(self) -> IndexSettings: ...
    @property
    def index_facts(self) -> LinkedFacts: ...  # linked_facts(self), kept while the file is checked


MAX_FILES = 20_000  # per root; past it the index is incomplete
_MAX_CACHED_INDEXES = 8
_MAX_DEPTH = 24

# What the library models say of namespaces (only libraries that declare them: blinker's).
_SPECS = tuple(spec for _, spec in NAMESPACES)
# Each library's default namespace has one id: the shortest of its import paths.
_DEFAULT_IDS = {lib.key: min(spec.default_namespace, key=len) for lib, spec in NAMESPACES}
DEFAULT_NAMESPACES = frozenset(_DEFAULT_IDS.values())
# Calls that look a name up in a default namespace, and that namespace's id.
DEFAULT_LOOKUPS = {name: _DEFAULT_IDS[lib.key] for lib, spec in NAMESPACES for name in spec.default_lookups}
_DEFAULT_NAMESPACE_PATHS = {
    path: _DEFAULT_IDS[lib.key] for lib, spec in NAMESPACES for path in spec.default_namespace
}
_DEFAULT_OWNER = {_DEFAULT_IDS[lib.key]: lib.short for lib, _ in NAMESPACES}
_NAMESPACE_CLASS_LIBRARY = {name: lib.key for lib, spec in NAMESPACES for name in spec.classes}
NAMESPACE_CLASSES = frozenset(_NAMESPACE_CLASS_LIBRARY)
_LOOKUP_METHODS = frozenset(spec.lookup_method for spec in _SPECS)
KNOWN_NAMESPACES: tuple[KnownNamespace, ...] = tuple(ns for spec in _SPECS for ns in spec.known)
# The library of each namespace known without reading the project.
_NAMESPACE_LIBRARY = {
    **{namespace_id: key for key, namespace_id in _DEFAULT_IDS.items()},
    **{ns.path: lib.key for lib, spec in NAMESPACES for ns in spec.known},
}
SEND_METHODS = _SEND_METHODS
LISTEN_METHODS = CONNECT_METHODS
_WRAPPER_KEYWORDS = frozenset(s.wrapper_keyword for lib in LIBRARIES for s in lib.sends if s.wrapper_keyword)
_ASYNC_SENDS = frozenset(s.method for lib in LIBRARIES for s in lib.sends if s.is_async)


def default_namespace_owner(namespace_id: str) -> str | None:
    """The library whose default namespace this is (for messages), or None."""
    return _DEFAULT_OWNER.get(namespace_id)


def _source_words() -> tuple[bytes, ...]:
    """Words a file must contain to make a namespace or a named signal: a namespace class's own
    name (every way to reach one spells it: ``from flask.signals import Namespace``,
    ``blinker.Namespace()``) and the top-level packages of the signal classes and lookup functions
    (``blinker``). Not the package a namespace class is re-exported from (``flask.signals``):
    every Flask app says ``flask``, and parsing all of them was most of the index's time."""
    words = {path.rsplit(".", 1)[1] for path in NAMESPACE_CLASSES}
    made = {n for n in SIGNAL_CLASSES if n.split(".")[0] in _NAMESPACE_TOPS} | set(DEFAULT_LOOKUPS)
    words.update(path.split(".")[0] for path in made)
    return tuple(sorted(w.encode() for w in _minimal(words)))


def _minimal(words: set[str]) -> set[str]:
    """The words no other word of the set is contained in (``blinker`` covers ``blinker.base``)."""
    return {w for w in words if not any(o != w and o in w for o in words)}


# Attributes of a Namespace (a dict) that neither add nor remove signals.
NAMESPACE_READ_ONLY = frozenset(
    {"signal", "get", "keys", "values", "items", "copy", "__contains__", "__getitem__", "__len__", "__iter__"}
)

# Files that can make a blinker signal or look one up by name: always parsed.
# (Namespace classes come from blinker or flask.signals; `signal.signal(` is the stdlib's.)
_NAMESPACE_TOPS = frozenset(path.split(".")[0] for path in NAMESPACE_CLASSES)
_SOURCE_WORDS = _source_words()
_LOOKUP_CALL = re.compile(
    rb"(?<!signal)\.(?:" + b"|".join(re.escape(m.encode()) for m in sorted(_LOOKUP_METHODS)) + rb")\("
)
_LOOKUP_TEXT = tuple(f".{m}(".encode() for m in sorted(_LOOKUP_METHODS))
# Files that may send, connect or hand around a signal made elsewhere: parsed when they mention
# a name that holds one (see _scan_root).
_CANDIDATE = re.compile(rb"signal|Signal|\.send|\.connect")
# Names that libraries declare in a default namespace and send themselves (pelican's): by namespace
# id, (the library's top-level package, the name, the library).
_LIBRARY_DEFAULT_NAMES: dict[str, list[tuple[str, str, str]]] = {}
for _known in KNOWN_SIGNALS.values():
    _signal = _known.signal
    if _signal.namespace in _DEFAULT_NAMESPACE_PATHS and _signal.name is not None:
        _entry = (_signal.modules[0].split(".")[0], _signal.name, _signal.library)
        _entries = _LIBRARY_DEFAULT_NAMES.setdefault(_DEFAULT_NAMESPACE_PATHS[_signal.namespace], [])
        if _entry not in _entries:
            _entries.append(_entry)
_LIBRARY_TOPS = frozenset(n.package for n in KNOWN_NAMESPACES) | frozenset(
    package for entries in _LIBRARY_DEFAULT_NAMES.values() for package, _, _ in entries
)
_LIBRARY_IMPORT = re.compile(
    rb"^[ \t]*(?:from|import)[ \t]+("
    + b"|".join(re.escape(t.encode()) for t in sorted(_LIBRARY_TOPS))
    + rb")\b",
    re.MULTILINE,
)
_LIBRARY_TOP_BYTES = tuple(sorted(t.encode() for t in _minimal(set(_LIBRARY_TOPS))))
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) - {"__main__"}


@dataclass(eq=False)
class Usage:
    sent: bool = False
    listened: bool = False
    escaped: bool = False  # handed to code the index cannot follow


class Declaration(NamedTuple):
    name: str
    module: str
    variable: str  # "" for a bare ``ns.signal("x")`` statement
    home: bool  # in the module that defines the namespace


@dataclass(eq=False)
class NamespaceInfo:
    id: str
    home: str | None  # the module that defines it; None for a library's
    library: str | None = None  # e.g. "Flask-Login" for a known library namespace
    library_names: frozenset[str] = frozenset()  # names the library declares in it
    declarations: list[Declaration] = field(default_factory=list)  # module level, in the project
    created: set[str] = field(default_factory=set)  # every literal name passed to .signal() anywhere
    # Names built at run time, as (pattern, what is done with the signal: send/listen/other);
    # lookups whose result is only compared or tested are left out, they cannot deliver anything.
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    open: bool = False  # handed around or written to: its names are unknowable
    # A default namespace's names that a library the project imports declares and sends itself.
    library_sent: dict[str, str] = field(default_factory=dict)  # name -> the library

    def may_be_named(self, name: str, usages: Iterable[str] = ("send", "listen", "other")) -> bool:
        """A name built at run time, whose signal is used in one of these ways, may be ``name``."""
        wanted = set(usages)
        return any(usage in wanted and pattern.fullmatch(name) for pattern, usage in self.patterns)


# -- one module -------------------------------------------------------------------------------
class Extractor:
    """Reads one parsed module into :class:`ModuleFacts`; also turns an expression into a Ref."""

    def __init__(self, tree: ast.Module, scopes: ModuleScopes, module: str, path: str) -> None:
        self.tree = tree
        self.scopes = scopes
        self.module = module
        self.path = path
        self._refs: dict[int, Ref | None] = {}
        self.lookups: list[Lookup] = []
        self.uses: list[Use] = []
        self.sends: list[Send] = []
        self.libraries: set[str] = set()
        self._eligible = self._names_that_may_hold_signals()

    def _names_that_may_hold_signals(self) -> frozenset[str]:
        """Names whose reads are worth resolving: bound by an import or at module level, or in a
        function to a call or another name. Every other read (parameters, loop variables,
        builtins) is skipped without a scope lookup, which keeps reading a project cheap."""
        names: set[str] = set()
        for name, bindings in self.scopes.module.bindings.items():
            if any(b.kind in ("import", "assign") for b in bindings):
                names.add(name)
        for scope in self.scopes.module.descendants():
            for name, bindings in scope.bindings.items():
                if any(
                    b.kind == "import"
                    or (
                        b.kind == "assign"
                        and isinstance(b.value, (ast.Call, ast.Name, ast.Attribute, ast.Subscript))
                    )
                    for b in bindings
                ):
                    names.add(name)
        return frozenset(names)

    # -- references ---------------------------------------------------------------------------
    def ref_of(self, expr: ast.AST, depth: int = 0) -> Ref | None:
        key = id(expr)
        if key not in self._refs:
            self._refs[key] = None  # cycles (`x = x`) end here
            try:
                self._refs[key] = self._ref_of(expr, depth)
            except RecursionError:
                self._refs[key] = None
        return self._refs[key]

    def _ref_of(self, expr: ast.AST, depth: int) -> Ref | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            return self._name_ref(expr, depth)
        if isinstance(expr, ast.Attribute):
            base = self.ref_of(expr.value, depth + 1)
            return Qualified(f"{base.name}.{expr.attr}") if isinstance(base, Qualified) else None
        if isinstance(expr, ast.Call):
            parts = self._lookup_parts(expr)
            if parts is not None and parts[1] is not None and parts[0] is not None:
                return NamedLookup(parts[0], parts[1])
            return None
        if isinstance(expr, ast.Subscript):
            name = _literal(expr.slice)
            base = self.ref_of(expr.value, depth + 1)
            if name is not None and isinstance(base, Qualified):
                return NamedLookup(base, name)
        return None

    def _name_ref(self, expr: ast.Name, depth: int) -> Ref | None:
        if expr.id not in self._eligible:
            return None
        found = self.scopes.resolve(expr.id, self.scopes.scope_containing(expr))
        if found is None:
            return None
        if len(found[1]) != 1:
            qualname = self.scopes.imported_as(found[1])  # an import fallback
            return Qualified(qualname) if qualname else None
        scope, (binding,) = found
        if binding.kind == "import":
            return Qualified(binding.qualname) if binding.qualname else None
        if scope.kind == "module":
            return Qualified(f"{self.module}.{expr.id}") if binding.kind == "assign" else None
        if scope.kind == "function" and binding.kind == "assign" and binding.value is not None:
            return self.ref_of(binding.value, depth + 1)
        return None

    def _lookup_parts(self, call: ast.Call) -> tuple[Ref | None, str | None, str | None] | None:
        """(namespace ref, literal name, run-time pattern) when ``call`` looks a signal up by name."""
        func = call.func
        if not isinstance(func, (ast.Attribute, ast.Name)):
            return None
        if isinstance(func, ast.Name) and func.id not in self._eligible:
            return None  # `signal("x")` needs an import of blinker's signal: a cheap no
        if isinstance(func, ast.Name) or func.attr == "signal":
            qualname = self.scopes.qualified_name(func, self.scopes.scope_containing(call))
            if qualname in DEFAULT_LOOKUPS:
                namespace: Ref | None = DefaultNamespace(DEFAULT_LOOKUPS[qualname])
            elif isinstance(func, ast.Attribute):
                namespace = self.ref_of(func.value)
                if not isinstance(namespace, Qualified) or namespace.name in DEFAULT_LOOKUPS:
                    return None
            else:
                return None
        else:
            return None
        argument = call.args[0] if call.args else _keyword(call, "name")
        if argument is None or isinstance(argument, ast.Starred):
            return None
        name = _literal(argument)
        return (namespace, name, None if name is not None else _pattern(argument))

    # -- the walk -----------------------------------------------------------------------------
    def facts(self) -> ModuleFacts:
        for node in syntax.walk(self.tree):
            try:
                self._visit(node)
            except (RecursionError, AttributeError, TypeError, ValueError):
                continue  # an odd node silences only itself
        return ModuleFacts(
            self.path,
            self.module,
            tuple(self._bindings()),
            tuple(self.lookups),
            tuple(self.uses),
            tuple(self.sends),
            frozenset(self.libraries),
        )

    def _visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            if node.id in self._eligible and isinstance(node.ctx, ast.Load):
                self._visit_value(node)
        elif isinstance(node, ast.Attribute):
            if isinstance(node.ctx, ast.Load):
                self._visit_attribute(node)
        elif isinstance(node, ast.Call):
            self._visit_call(node)
        elif isinstance(node, ast.Subscript):
            self._visit_subscript(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._visit_import(node)

    def _visit_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            if not node.level and node.module:
                self._add_library(node.module)
        else:
            for alias in node.names:
                self._add_library(alias.name)

    def _add_library(self, module: str) -> None:
        top = module.split(".")[0]
        if top in _LIBRARY_TOPS:
            self.libraries.add(top)

    def _visit_call(self, call: ast.Call) -> None:
        parts = self._lookup_parts(call)
        if parts is None:
            return
        namespace, name, pattern = parts
        if namespace is None:
            return
        argument = call.args[0] if call.args else _keyword(call, "name")
        where = argument if name is not None and argument is not None else call
        self._add_lookup(call, namespace, name, pattern, "call", where)
        if name is not None:
            self._visit_value(call)

    def _visit_subscript(self, node: ast.Subscript) -> None:
        base = self.ref_of(node.value)
        if not isinstance(base, Qualified):
            return
        if not isinstance(node.ctx, ast.Load):
            self._use(base, "store")
            return
        name = _literal(node.slice)
        if name is None:
            return  # reading by a run-time key creates nothing
        self._add_lookup(node, base, name, None, "item", node.slice)
        self._visit_value(node)

    def _add_lookup(
        self,
        node: ast.expr,
        namespace: Ref,
        name: str | None,
        pattern: str | None,
        form: str,
        where: ast.expr,
    ) -> None:
        scope = self.scopes.scope_containing(node)
        module_level = _evaluated_on_import(scope)
        declared_as = target = None
        if module_level and form == "call":
            declared_as, target = self._declaration(node, scope)
        self.lookups.append(
            Lookup(
                where.lineno,
                where.col_offset,
                namespace,
                name,
                pattern,
                form,
                module_level,
                declared_as,
                target,
                self._usage_here(node),
            )
        )

    def _usage_here(self, node: ast.expr) -> str:
        context = self._context(node)
        if context == "attribute":
            parent = self.scopes.parent(node)
            attribute = parent.attr if isinstance(parent, ast.Attribute) else ""
            if attribute in SEND_METHODS:
                return "send"
            return "listen" if attribute in LISTEN_METHODS else "neutral"
        return "neutral" if context == "neutral" else "other"

    def _declaration(self, node: ast.expr, scope: Any) -> tuple[str | None, tuple[int, int] | None]:
        parent = self.scopes.parent(node)
        prefix = f"{scope.name}." if scope.kind == "class" else ""
        if isinstance(parent, ast.Expr):
            return "", None
        targets: list[ast.expr] = []
        if isinstance(parent, ast.Assign) and parent.value is node:
            targets = parent.targets
        elif isinstance(parent, ast.AnnAssign) and parent.value is node:
            targets = [parent.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return prefix + targets[0].id, (targets[0].lineno, targets[0].col_offset)
        return None, None

    def _visit_attribute(self, node: ast.Attribute) -> None:
        context = self._context(node)
        if node.attr in SEND_METHODS:
            ref = self.ref_of(node.value)
            if ref is not None:
                self._use(ref, "send")
                self.sends.append(Send(ref, self._send_info(node, context)))
            return
        if node.attr in LISTEN_METHODS:
            ref = self.ref_of(node.value)
            if ref is not None:
                self._use(ref, "listen")
            return
        if node.attr == "signal" and context != "called":
            ref = self.ref_of(node.value)  # `make = ns.signal`: lookups the index cannot see
            if ref is not None:
                self._use(ref, "escape")
        elif context != "attribute" and node.attr not in NAMESPACE_READ_ONLY:
            ref = self.ref_of(node.value)
            if ref is not None:
                self._use(ref, f"attr:{node.attr}")
        self._visit_value(node, context)

    def _visit_value(self, node: ast.expr, context: str | None = None) -> None:
        """A signal or namespace handed to code the index cannot follow (or blinker's ``signal``
        function under another name, whose lookups the index would not see)."""
        context = context or self._context(node)
        if context == "escape" or context == "assigned":
            ref = self.ref_of(node)
            if ref is not None and (
                context == "escape" or (isinstance(ref, Qualified) and ref.name in DEFAULT_LOOKUPS)
            ):
                self._use(ref, "escape")

    def _use(self, ref: Ref, how: str) -> None:
        if _worth_keeping(ref):
            self.uses.append(Use(ref, how))

    def _context(self, node: ast.expr) -> str:
        parent = self.scopes.parent(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            return "attribute"
        if isinstance(parent, ast.Call) and parent.func is node:
            return "called"
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return "subscripted"
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is node:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            return "assigned" if all(self._followed(t) for t in targets) else "escape"
        if isinstance(
            parent, (ast.Expr, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.If, ast.While, ast.Assert)
        ):
            return "neutral"
        if isinstance(parent, ast.IfExp) and parent.test is node:
            return "neutral"
        return "escape"

    def _followed(self, target: ast.expr) -> bool:
        """An assignment whose later reads the index follows: a name bound once in its scope."""
        if not isinstance(target, ast.Name):
            return False
        scope = self.scopes.scope_containing(target)
        bindings = scope.bindings.get(target.id, [])
        return (
            len(bindings) == 1
            and scope.kind in ("module", "function")
            and target.id not in scope.declared_global
            and target.id not in scope.declared_nonlocal
        )

    def _send_info(self, node: ast.Attribute, context: str) -> SendInfo:
        is_async = node.attr in _ASYNC_SENDS
        parent = self.scopes.parent(node)
        if context == "called" and isinstance(parent, ast.Call):
            keywords = frozenset(k.arg for k in parent.keywords if k.arg and k.arg not in _WRAPPER_KEYWORDS)
            return SendInfo(
                self.path,
                node.lineno,
                keywords,
                has_double_star=any(k.arg is None for k in parent.keywords),
                has_async_wrapper=any(k.arg in _WRAPPER_KEYWORDS for k in parent.keywords),
                is_async=is_async,
            )
        forwarded = (
            isinstance(parent, ast.Call)
            and node in parent.args
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in LISTEN_METHODS
        )
        return SendInfo(
            self.path,
            node.lineno,
            frozenset(),
            True,
            False,
            is_async,
            "connect" if forwarded else "reference",
        )

    # -- module-level names -------------------------------------------------------------------
    def _bindings(self) -> Iterator[tuple[str, BindingValue]]:
        module_scope = self.scopes.module
        for name, bindings in module_scope.bindings.items():
            if len(bindings) != 1:
                continue
            binding = bindings[0]
            if binding.kind == "class":
                class_scope = self.scopes.scope_of_node.get(id(binding.node))
                if class_scope is None:
                    continue
                for attribute, inner in class_scope.bindings.items():
                    if len(inner) == 1:
                        value = self._binding_value(inner[0], class_scope)
                        if value is not None:
                            yield f"{name}.{attribute}", value
                continue
            value = self._binding_value(binding, module_scope)
            if value is not None:
                yield name, value

    def _binding_value(self, binding: Any, scope: Any) -> BindingValue | None:
        if binding.kind == "import":
            if binding.qualname and _worth_keeping(Qualified(binding.qualname)):
                return Alias(Qualified(binding.qualname))
            return None
        if binding.kind != "assign" or binding.value is None:
            return None
        value = binding.value
        if isinstance(value, ast.Call):
            made = self.scopes.qualified_name(value.func, scope)
            if made in NAMESPACE_CLASSES:
                return MakesNamespace(_NAMESPACE_CLASS_LIBRARY[made])
            if made in SIGNAL_CLASSES:
                return MakesSignal(SIGNAL_CLASSES[made].key)
        ref = self.ref_of(value)
        return Alias(ref) if ref is not None else None


def _evaluated_on_import(scope: Any) -> bool:
    while scope is not None and scope.kind == "class":
        scope = scope.parent
    return scope is not None and scope.kind == "module"


def _worth_keeping(ref: Ref) -> bool:
    """The standard library has no blinker signals: skip its names to keep the index small."""
    while isinstance(ref, NamedLookup):
        ref = ref.namespace
    return not isinstance(ref, Qualified) or ref.name.split(".")[0] not in _STDLIB


def _literal(expr: ast.AST) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _pattern(expr: ast.expr) -> str:
    """The names an expression built at run time can give: ``f"user-{x}"`` -> ``user\\-.*``."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return re.escape(expr.value)
    if isinstance(expr, ast.JoinedStr):
        return "".join(_pattern(part) if isinstance(part, ast.Constant) else ".*" for part in expr.values)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _pattern(expr.left) + _pattern(expr.right)
    return ".*"


def extract(tree: ast.Module, scopes: ModuleScopes, module: str, path: str) -> ModuleFacts:
    return Extractor(tree, scopes, module, path).facts()


# -- the project ------------------------------------------------------------------------------
class ProjectIndex:
    def __init__(
        self,
        facts: dict[str, ModuleFacts],
        libraries: frozenset[str],
        *,
        complete: bool,
        files_seen: int = 0,
        seconds: float = 0.0,
    ) -> None:
        self.facts = facts
        self.libraries = libraries | frozenset().union(*(f.libraries for f in facts.values()))
        self.complete = complete
        self.files_seen = files_seen
        self.seconds = seconds
        self._derived = False
        self._modules: dict[str, ModuleFacts | None] = {}
        self._resolved: dict[Ref, Target | None] = {}
        self._usage: dict[SignalIdentity, Usage] = {}
        self._sends: dict[SignalIdentity, list[SendInfo]] = {}
        self._namespaces: dict[str, NamespaceInfo] = {}
        self._namespace_home: dict[str, str] = {}
        self._namespace_library: dict[str, str] = {}
        self._bindings: dict[str, dict[str, BindingValue]] = {}  # per module, made once
        self._overlay: tuple[str, ModuleFacts, ProjectIndex] | None = None
        self._extractor: tuple[ast.Module, Extractor] | None = None

    @property
    def files_parsed(self) -> int:
        return len(self.facts)

    # -- the linted file ----------------------------------------------------------------------
    def with_file(self, facts: ModuleFacts) -> ProjectIndex:
        """This index with ``facts`` in place of whatever was on disk at that path."""
        if self.facts.get(facts.path) == facts:
            return self
        if self._overlay is not None and self._overlay[0] == facts.path and self._overlay[1] == facts:
            return self._overlay[2]
        merged = dict(self.facts)
        merged[facts.path] = facts
        index = ProjectIndex(
            merged, self.libraries, complete=self.complete, files_seen=self.files_seen, seconds=self.seconds
        )
        self._overlay = (facts.path, facts, index)
        return index

    def identity_of(self, expr: ast.expr, context: LintedModule) -> SignalIdentity | None:
        """The signal ``expr`` (an expression in the linted file) refers to, when the index knows."""
        ref = context.index_facts.extractor.ref_of(expr)
        target = self.resolve(ref) if ref is not None else None
        return target if isinstance(target, SignalIdentity) else None

    # -- queries ------------------------------------------------------------------------------
    def sends_for(self, identity: SignalIdentity) -> list[SendInfo]:
        """Every send of the signal in the project, by file and line."""
        self._derive()
        return sorted(self._sends.get(identity, ()), key=lambda s: (s.path, s.line))

    def usage(self, identity: SignalIdentity) -> Usage:
        self._derive()
        return self._usage.get(identity) or Usage()

    def namespace(self, namespace_id: str) -> NamespaceInfo | None:
        self._derive()
        return self._namespaces.get(namespace_id)

    def namespaces(self) -> list[NamespaceInfo]:
        self._derive()
        return list(self._namespaces.values())

    def declared_names(self, namespace_id: str) -> set[str]:
        """Names declared at module level in the project, plus a library's own."""
        info = self.namespace(namespace_id)
        if info is None:
            return set()
        return {d.name for d in info.declarations} | set(info.library_names)

    def namespace_of(self, ref: Ref) -> str | None:
        target = self.resolve(ref)
        return target.id if isinstance(target, NamespaceTarget) else None

    def variable_for(self, identity: SignalIdentity) -> str | None:
        """Where to import a named signal from: ``"flask.request_started"``,
        ``"accounts.signals.user_created"``; None when no module-level variable holds it."""
        if identity.kind != "named":
            return None
        for qualname, known in KNOWN_SIGNALS.items():
            if known.signal.name == identity.name and known.signal.namespace == identity.namespace:
                return qualname  # the first module listed is the public one
        info = self.namespace(identity.namespace)
        if info is None:
            return None
        for declaration in sorted(info.declarations, key=lambda d: (not d.home, d.module, d.variable)):
            if declaration.name == identity.name and declaration.variable:
                return f"{declaration.module}.{declaration.variable}"
        return None

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, ref: Ref, depth: int = 0) -> Target | None:
        """A namespace, a signal, the function ``blinker.signal`` itself, or None."""
        if ref in self._resolved:
            return self._resolved[ref]
        self._resolved[ref] = None  # a cycle of aliases resolves to nothing
        result = self._resolve(ref, depth) if depth <= _MAX_DEPTH else None
        self._resolved[ref] = result
        return result

    def _resolve(self, ref: Ref, depth: int) -> Target | None:
        if isinstance(ref, DefaultNamespace):
            return NamespaceTarget(ref.namespace)
        if isinstance(ref, NamedLookup):
            namespace = self.resolve(ref.namespace, depth + 1)
            if isinstance(namespace, NamespaceTarget):
                known = _NAMESPACE_LIBRARY.get(namespace.id)
                library = known or self._namespace_library.get(namespace.id, "")
                return SignalIdentity("named", namespace.id, ref.name, library)
            return None
        qualname = ref.name  # the remaining kind of Ref: a Qualified name
        if qualname in KNOWN_SIGNALS:
            known_signal = KNOWN_SIGNALS[qualname]
            signal, key = known_signal.signal, known_signal.library.key
            if signal.name is not None and signal.namespace is not None:
                return SignalIdentity("named", signal.namespace, signal.name, key)
            return SignalIdentity("object", signal.modules[0], signal.attribute, key)
        if qualname in _DEFAULT_NAMESPACE_PATHS:
            return NamespaceTarget(_DEFAULT_NAMESPACE_PATHS[qualname])
        if qualname in DEFAULT_LOOKUPS:
            return LookupFunction(DEFAULT_LOOKUPS[qualname])
        if qualname in _KNOWN_NAMESPACE_BY_PATH:
            return NamespaceTarget(qualname)
        return self._resolve_in_project(qualname, depth)

    def _resolve_in_project(self, qualname: str, depth: int) -> Target | None:
        self._index_modules()
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module not in self._modules:
                continue
            facts = self._modules[module]
            if facts is None:
                return None  # two files claim this module name
            bindings = self._bindings_of(module, facts)
            rest = ".".join(parts[cut:])
            value = bindings.get(rest)
            if value is None and cut + 1 < len(parts):
                # `from . import signals` then `signals.x`; a class attribute `Cls.attr.more`
                head = bindings.get(parts[cut])
                if isinstance(head, Alias) and isinstance(head.ref, Qualified):
                    tail = ".".join(parts[cut + 1 :])
                    return self.resolve(Qualified(f"{head.ref.name}.{tail}"), depth + 1)
                return None
            if value is None:
                return None
            if isinstance(value, MakesNamespace):
                return NamespaceTarget(f"{module}.{rest}")
            if isinstance(value, MakesSignal):
                return SignalIdentity("object", module, rest, value.library)
            return self.resolve(value.ref, depth + 1)
        return None

    def _bindings_of(self, module: str, facts: ModuleFacts) -> dict[str, BindingValue]:
        found = self._bindings.get(module)
        if found is None:
            found = self._bindings[module] = dict(facts.bindings)
        return found

    def _index_modules(self) -> None:
        if self._modules or not self.facts:
            return
        for facts in self.facts.values():
            self._modules[facts.module] = None if facts.module in self._modules else facts
        for module, claimed in self._modules.items():
            for name, value in claimed.bindings if claimed is not None else ():
                if isinstance(value, MakesNamespace):
                    self._namespace_home[f"{module}.{name}"] = module
                    self._namespace_library[f"{module}.{name}"] = value.library

    # -- derived tables -----------------------------------------------------------------------
    def _derive(self) -> None:
        if self._derived:
            return
        self._derived = True
        self._index_modules()
        for namespace_id, entries in _LIBRARY_DEFAULT_NAMES.items():
            for package, name, library in entries:
                if package in self.libraries:
                    self._info(namespace_id).library_sent[name] = library
        for known in KNOWN_NAMESPACES:
            self._namespaces[known.path] = NamespaceInfo(
                known.path,
                None,
                known.library,
                frozenset(s.name for s in known.signals if s.name is not None),
            )
        for facts in self.facts.values():
            for use in facts.uses:
                self._derive_use(use.ref, use.how)
            for send in facts.sends:
                target = self.resolve(send.ref)
                if isinstance(target, SignalIdentity):
                    self._sends.setdefault(target, []).append(send.info)
            for lookup in facts.lookups:
                self._derive_lookup(facts, lookup)

    def _info(self, namespace_id: str) -> NamespaceInfo:
        info = self._namespaces.get(namespace_id)
        if info is None:
            home = self._namespace_home.get(namespace_id)
            info = self._namespaces[namespace_id] = NamespaceInfo(namespace_id, home)
        return info

    def _derive_use(self, ref: Ref, how: str) -> None:
        target = self.resolve(ref)
        if target is None:
            return
        if isinstance(target, SignalIdentity):
            usage = self._usage.setdefault(target, Usage())
            if how == "send":
                usage.sent = True
            elif how == "listen":
                usage.listened = True
            elif how in ("escape", "store"):
                usage.escaped = True
        elif isinstance(target, NamespaceTarget):
            attribute = how[5:] if how.startswith("attr:") else None
            if how in ("escape", "store") or (attribute is not None and attribute not in NAMESPACE_READ_ONLY):
                self._info(target.id).open = True
        elif isinstance(target, LookupFunction) and how in ("escape", "store"):
            self._info(target.namespace).open = True  # blinker.signal handed around: names unknowable

    def _derive_lookup(self, facts: ModuleFacts, lookup: Lookup) -> None:
        namespace_id = self.namespace_of(lookup.namespace)
        if namespace_id is None:
            return
        info = self._info(namespace_id)
        if lookup.name is None:
            if lookup.usage != "neutral":
                try:
                    info.patterns.append((re.compile(lookup.pattern or ".*", re.DOTALL), lookup.usage))
                except re.error:
                    info.patterns.append((re.compile(".*", re.DOTALL), lookup.usage))
            return
        if lookup.form == "call":
            info.created.add(lookup.name)
        if lookup.declared_as is not None:
            home = self._namespace_home.get(namespace_id) == facts.module
            info.declarations.append(Declaration(lookup.name, facts.module, lookup.declared_as, home))


_KNOWN_NAMESPACE_BY_PATH = {known.path: known for known in KNOWN_NAMESPACES}


# -- reading the project from disk --------------------------------------------------------------
class _Listed(NamedTuple):
    """What is known of one file of a root without reading it again while its stat holds."""

    size: int
    mtime_ns: int
    inode: int
    digest: str  # of its content; "" when it could not be read
    kind: str  # "source" | "candidate" | "other" | "oversized" (may matter) | "skipped"
    libraries: tuple[str, ...]  # known libraries it imports
    stable: bool  # modified long enough before it was read for its stat to be trusted

    def unchanged(self, found: SourceFile) -> bool:
        stat = (found.size, found.mtime_ns, found.inode)
        return self.stable and (self.size, self.mtime_ns, self.inode) == stat


@dataclass(eq=False)
class _RootScan:
    facts: dict[str, ModuleFacts]
    libraries: frozenset[str]
    files_seen: int
    truncated: bool
    seconds: float
    listing: dict[str, _Listed] = field(default_factory=dict)
    run: int = 0  # the flake8 run it was last checked against the disk in


_ROOT_SCANS: dict[tuple[str, tuple[str, ...]], _RootScan] = {}
_INDEXES: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[tuple[_RootScan, ...], ProjectIndex]] = {}


def clear_cache() -> None:
    """Forget everything read from disk in this process (the disk cache stays)."""
    _ROOT_SCANS.clear()
    _INDEXES.clear()


def collects_sends_of(library: Library) -> bool:
    """Whether the index can hold sends, in other files, of a signal of ``library``. It parses the
    files that can make a namespace library's signal and then what mentions the names those bind
    (:func:`_scan_root`), so another library's signal (``django.dispatch.Signal()``) is seen sent
    elsewhere only when the file happens to be parsed for some other reason: asking would read the
    whole project for an answer that depends on an unrelated file."""
    return library.namespaces is not None


def build_index(
    roots: Sequence[str], *, max_files: int = MAX_FILES, exclude: Sequence[str] = ()
) -> ProjectIndex:
    """Read the project under ``roots`` from disk, with no cache."""
    scans = [_scan_root(root, max_files, tuple(exclude)) for root in normalized_roots(roots)]
    return _combine(scans)


def roots_of(context: LintedModule) -> tuple[str, ...]:
    """The directories read for this file (see :func:`.project_files.roots_for`)."""
    settings = context.index_settings
    return roots_for(context.filename, package_root_for(context.filename), settings.roots)


def index_for(context: LintedModule) -> ProjectIndex:
    """The project index for the file being linted, its given source in place of the disk's.

    Each root is read once per process, and checked against the disk again (by size,
    modification time and inode) at the first use in each new flake8 run (:func:`.index_settings.new_run`)."""
    settings = context.index_settings
    roots = roots_of(context)
    scans = tuple(_current_scan(root, settings) for root in roots)
    cached = _INDEXES.get((roots, settings.exclude))
    if cached is not None and all(a is b for a, b in zip(cached[0], scans, strict=True)):
        base = cached[1]
    else:
        base = _combine(list(scans))
        if len(_INDEXES) >= _MAX_CACHED_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[roots, settings.exclude] = (scans, base)
    return base.with_file(file_facts(context))


def _current_scan(root: str, settings: IndexSettings) -> _RootScan:
    key = (root, settings.exclude)
    scan = _ROOT_SCANS.get(key)
    if scan is not None and scan.run == current_run():
        return scan
    if settings.cache_dir is None:
        fresh = _scan_root(root, MAX_FILES, settings.exclude, scan)
    else:
        fresh = _scan_with_disk_cache(root, settings, settings.cache_dir, scan)
    fresh.run = current_run()
    _ROOT_SCANS[key] = fresh
    if fresh is not scan:
        heap.keep_after_file()  # the scan lives as long as the process
    return fresh


def _scan_with_disk_cache(
    root: str, settings: IndexSettings, directory: str, scan: _RootScan | None
) -> _RootScan:
    """Like :func:`_scan_root`, starting from the disk cache when this process has no scan yet,
    and writing what changed back."""
    limits = {"max_files": MAX_FILES, "max_bytes": project_files.MAX_FILE_BYTES}
    key = index_cache.cache_key(root, {"exclude": list(settings.exclude), **limits})
    with index_cache.locked(directory, key):  # -j workers that start together build it once
        stored = None
        if scan is None:
            record = index_cache.load(directory, key)
            stored = _decode_scan(root, record) if record is not None else None
        previous = scan or stored
        fresh = _scan_root(root, MAX_FILES, settings.exclude, previous)
        if fresh is not previous:
            index_cache.store(directory, key, _encode_scan(root, fresh))
    return fresh


def _encode_scan(root: str, scan: _RootScan) -> dict[str, Any]:
    cut = len(root.rstrip(os.sep)) + 1
    return {
        "files_seen": scan.files_seen,
        "truncated": scan.truncated,
        "files": [
            [path[cut:], e.size, e.mtime_ns, e.inode, e.digest, e.kind, list(e.libraries), e.stable]
            for path, e in scan.listing.items()
        ],
        "facts": {path[cut:]: index_cache.encode_facts(facts) for path, facts in scan.facts.items()},
    }


def _decode_scan(root: str, record: dict[str, Any]) -> _RootScan | None:
    """The stored scan, or None when the record is not one (it is then rebuilt and replaced)."""
    try:
        listing = {}
        for relative, size, mtime_ns, inode, digest, kind, libraries, stable in record["files"]:
            if not all(isinstance(v, int) for v in (size, mtime_ns, inode)) or not isinstance(stable, bool):
                raise ValueError("bad listing")
            if kind not in _KINDS or not isinstance(digest, str) or not isinstance(relative, str):
                raise ValueError("bad listing")
            listing[os.path.join(root, relative)] = _Listed(
                size, mtime_ns, inode, digest, kind, tuple(str(n) for n in libraries), stable
            )
        facts = {}
        for relative, data in record["facts"].items():
            path = os.path.join(root, relative)
            if path not in listing:
                raise ValueError("facts of an unlisted file")
            facts[path] = index_cache.decode_facts(path, data)
        seen, truncated = record["files_seen"], record["truncated"]
        if not isinstance(seen, int) or not isinstance(truncated, bool):
            raise ValueError("bad totals")
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    libraries = frozenset(name for e in listing.values() for name in e.libraries)
    return _RootScan(facts, libraries, seen, truncated, 0.0, listing)


_KINDS = frozenset({"source", "candidate", "other", "oversized", "skipped"})


class LinkedFacts:
    """The linted file's extractor and, once asked for, its facts: kept by the file's context
    (``context.index_facts``), not by this module, so that a file's tree dies with its check
    instead of living on into the collector's oldest generation."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    @cached_property
    def facts(self) -> ModuleFacts:
        return self.extractor.facts()


def linked_facts(context: LintedModule) -> LinkedFacts:
    """What ``context.index_facts`` holds (built once per linted file)."""
    path = os.path.abspath(context.filename)
    return LinkedFacts(Extractor(context.tree, context.scopes, context.module_name, path))


def file_facts(context: LintedModule) -> ModuleFacts:
    """The linted file's facts, from the tree flake8 gave."""
    return context.index_facts.facts


def _combine(scans: list[_RootScan]) -> ProjectIndex:
    facts: dict[str, ModuleFacts] = {}
    libraries: set[str] = set()
    for scan in scans:
        facts.update(scan.facts)
        libraries |= scan.libraries
    return ProjectIndex(
        facts,
        frozenset(libraries),
        complete=not any(s.truncated for s in scans),
        files_seen=sum(s.files_seen for s in scans),
        seconds=sum(s.seconds for s in scans),
    )


def _scan_root(
    root: str, max_files: int, exclude: tuple[str, ...] = (), previous: _RootScan | None = None
) -> _RootScan:
    """Read one root. Parsing is what costs, so files are parsed in rounds: first those that can
    make or look up a blinker signal (they mention ``blinker``, ``Namespace`` or ``.signal(``),
    then, until nothing new turns up, the other candidates that mention a name those bind.

    With a ``previous`` scan of the same root, a file whose stat has not changed is not read
    again, and when no file's content changed the previous scan is returned as it is; facts of
    unchanged content are reused instead of parsing again.

    A file too large to read whole (:data:`MAX_FILE_BYTES`) whose beginning could matter makes
    the index incomplete: what it declares is unknown, so project-wide verdicts stay silent."""
    started = time.process_time()
    now = time.time_ns()
    known = previous.listing if previous is not None else {}
    listing: dict[str, _Listed] = {}
    texts: dict[str, bytes] = {}
    seen = 0
    truncated = False
    for found in python_files(root, exclude):
        if seen >= max_files:
            truncated = True
            break
        seen += 1
        old = known.get(found.path)
        if old is not None and old.unchanged(found):
            listing[found.path] = old
            continue
        data = read_source(found.path)
        listing[found.path] = _classify(found, data, now)
        if isinstance(data, bytes):
            texts[found.path] = data
    if previous is not None and _same_contents(listing, known) and truncated == previous.truncated:
        if listing == known and seen == previous.files_seen:
            return previous
        return _RootScan(
            previous.facts, previous.libraries, seen, truncated, time.process_time() - started, listing
        )

    def text(path: str) -> bytes | None:
        data = texts.pop(path, None)
        if data is None:
            read = read_source(path)
            data = read if isinstance(read, bytes) else None
        return data

    facts: dict[str, ModuleFacts] = {}
    reusable = previous.facts if previous is not None else {}

    def parse(path: str, data: bytes | None) -> None:
        old = reusable.get(path)
        if (
            old is not None
            and known[path].digest == listing[path].digest
            and old.module == module_name_for(path)
        ):
            facts[path] = old  # the same content, path and module name make the same facts
        elif data is not None or (data := text(path)) is not None:
            _parse_into(facts, path, data)

    candidates: dict[str, bytes] = {}
    for path, entry in listing.items():
        truncated = truncated or entry.kind == "oversized"
        if entry.kind == "source":
            parse(path, texts.pop(path, None))
        elif entry.kind == "candidate":
            data = text(path)
            if data is not None:
                candidates[path] = data
    names: set[str] = set()
    while candidates:
        fresh = _signal_names(facts.values()) - names
        if not fresh:
            break
        names |= fresh
        mentions = re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(fresh)) + rb")\b")
        for path in [p for p, data in candidates.items() if mentions.search(data)]:
            parse(path, candidates.pop(path))
    libraries = frozenset(name for entry in listing.values() for name in entry.libraries)
    return _RootScan(facts, libraries, seen, truncated, time.process_time() - started, listing)


def _same_contents(listing: dict[str, _Listed], known: dict[str, _Listed]) -> bool:
    """The same files with the same contents (what a scan's result depends on)."""
    return len(listing) == len(known) and all(
        (old := known.get(path)) is not None and (old.digest, old.kind) == (entry.digest, entry.kind)
        for path, entry in listing.items()
    )


def _classify(found: SourceFile, data: bytes | Oversized | None, now: int) -> _Listed:
    stable = now - found.mtime_ns > index_cache.STABLE_AFTER_NS
    if data is None:
        return _Listed(found.size, found.mtime_ns, found.inode, "", "skipped", (), False)
    if isinstance(data, Oversized):
        kind = "oversized" if _may_matter(data.head) else "skipped"
        return _Listed(found.size, found.mtime_ns, found.inode, "", kind, (), stable)
    libraries: tuple[str, ...] = ()
    if any(top in data for top in _LIBRARY_TOP_BYTES):
        libraries = tuple(sorted({m.decode() for m in _LIBRARY_IMPORT.findall(data)}))
    if _is_source(data):
        kind = "source"
    elif _CANDIDATE.search(data) or (found.path.endswith("__init__.py") and b"import" in data):
        kind = "candidate"
    else:
        kind = "other"
    digest = index_cache.content_digest(data)
    return _Listed(found.size, found.mtime_ns, found.inode, digest, kind, libraries, stable)


def _may_matter(data: bytes) -> bool:
    return _is_source(data) or bool(_CANDIDATE.search(data))


def _is_source(data: bytes) -> bool:
    """Can this file make a blinker signal or look one up by name? (plain ``in`` is much faster
    than one regular expression with all the alternatives)"""
    if any(word in data for word in _SOURCE_WORDS):
        return True
    return any(text in data for text in _LOOKUP_TEXT) and bool(_LOOKUP_CALL.search(data))


def _parse_into(facts: dict[str, ModuleFacts], path: str, data: bytes) -> None:
    try:
        source = importlib.util.decode_source(data)
        with warnings.catch_warnings():  # an unrelated file's SyntaxWarning is not the user's concern here
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError, UnicodeError, LookupError, RecursionError, MemoryError):
        return  # not Python this interpreter reads: the file is left out
    with contained(PROJECT_FILE):
        module = module_name_for(path)
        facts[path] = extract(tree, ModuleScopes(tree, module, path.endswith("__init__.py")), module, path)


def _signal_names(all_facts: Iterable[ModuleFacts]) -> set[str]:
    """The module-level names that hold a signal or a namespace, aliases included."""
    names: set[str] = set()
    aliases: list[tuple[str, str]] = []
    for facts in all_facts:
        for key, value in facts.bindings:
            if not isinstance(value, Alias) or isinstance(value.ref, NamedLookup):
                names.update(key.split("."))
            elif isinstance(value.ref, Qualified):
                aliases.append((key.split(".")[-1], value.ref.name.rsplit(".", 1)[-1]))
    changed = True
    while changed:
        changed = False
        for name, target in aliases:
            if target in names and name not in names:
                names.add(name)
                changed = True
    return names
