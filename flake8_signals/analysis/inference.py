"""The astroid side: asked only about the few sites the stdlib ``ast`` cannot decide.

astroid is imported on first use, so a flake8 run over files with no suspect site never pays for
it. Every question is answered "yes" only when inference is sure; any doubt (Uninferable, several
candidate values, an exception, the file's budget spent) is "no", which means silence.

The budget is counted in work, never in time, so that the findings do not depend on how loaded
the machine is: a file may put at most ``MAX_QUESTIONS_PER_FILE`` inference questions to astroid,
and each question is bounded by astroid's own count of inferred nodes (``max_inferred``).
"""

from __future__ import annotations

import ast
import time
import warnings
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from .. import stats
from ..boundary import ASTROID, contained
from ..libraries import NAMESPACES, SIGNAL_CLASSES
from ..libraries.model import Library
from . import heap
from .import_guard import project_search_path
from .lifetime import Inference
from .scopes import ModuleScopes

# Inference questions one file may ask; past it the remaining ones are answered "not sure".
MAX_QUESTIONS_PER_FILE = 256
_MAX_VALUES = 8
_brain_registered = False
_parsed_modules: dict[str, tuple[ast.Module, ModuleScopes] | None] = {}


def _astroid() -> Any:
    import astroid

    _register_brain(astroid)
    return astroid


def _register_brain(astroid: Any) -> None:
    """Teach astroid what a namespace lookup returns (``Namespace.signal(name)`` gives a
    NamedSignal): blinker returns ``self[name]`` from a dict subclass, which astroid cannot follow.
    The lookup method, the namespace classes and the result's class come from the library models."""
    global _brain_registered
    if _brain_registered:
        return
    from astroid import bases, nodes
    from astroid.exceptions import UseInferenceDefault

    methods = {spec.lookup_method: spec for _, spec in NAMESPACES}

    def looks_like_lookup(node: nodes.Call) -> bool:
        func = node.func
        return isinstance(func, nodes.Attribute) and func.attrname in methods

    def infer_lookup(node: nodes.Call, context: Any = None) -> Iterator[Any]:
        spec = methods[node.func.attrname]
        made = None
        with contained(ASTROID):
            for value in node.func.infer(context):
                if (
                    isinstance(value, bases.BoundMethod)
                    and value.name == spec.lookup_method
                    and isinstance(value.bound, bases.Instance)
                    and _has_class(value.bound._proxied, spec.classes)
                ):
                    module_name, class_name = spec.lookup_returns.rsplit(".", 1)
                    module = astroid.MANAGER.ast_from_module_name(module_name)
                    made = module.getattr(class_name)[0].instantiate_class()
                    break
        if made is None:  # not a namespace lookup, or it failed: astroid infers as without us
            raise UseInferenceDefault
        return iter([made])

    astroid.MANAGER.register_transform(nodes.Call, astroid.inference_tip(infer_lookup), looks_like_lookup)
    _brain_registered = True


def _has_class(cls: Any, qnames: Collection[str]) -> bool:
    found = False
    with contained(ASTROID):
        found = cls.qname() in qnames or any(ancestor.qname() in qnames for ancestor in cls.ancestors())
    return found


def _library_of_class(cls: Any) -> Library | None:
    """The library whose signal class ``cls`` is or derives from."""
    found = None
    with contained(ASTROID):
        for candidate in (cls, *cls.ancestors()):
            found = SIGNAL_CLASSES.get(candidate.qname())
            if found is not None:
                break
    return found


class AstroidFile(Inference):
    """One linted file as astroid sees it, built on first question."""

    def __init__(self, source: str, filename: str, module_name: str, source_roots: Sequence[str]) -> None:
        self.source = source
        self.filename = filename
        self.module_name = module_name
        self.source_roots = tuple(source_roots)
        self._module: Any = None
        self._failed = False
        self._index: dict[tuple[Any, ...], Any] = {}
        self._questions = 0

    # -- plumbing -------------------------------------------------------------------------
    def _build(self) -> Any:
        if self._module is None and not self._failed:
            started = time.process_time()
            self._failed = True  # until the build below completes
            try:
                with contained(ASTROID):
                    self._module = self._build_module()
                    self._failed = False
            finally:
                elapsed = time.process_time() - started
                stats.STATS.astroid_builds += 1
                stats.STATS.astroid_build_seconds += elapsed
                heap.keep_after_file()
        return self._module

    def _build_module(self) -> Any:
        astroid = _astroid()
        with project_search_path(self.source_roots):
            module = astroid.builder.AstroidBuilder(astroid.MANAGER).string_build(
                self.source, self.module_name, self.filename
            )
        for node in module.nodes_of_class((astroid.nodes.Call, astroid.nodes.Attribute, astroid.nodes.Name)):
            key = (type(node).__name__, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
            self._index[key] = node
        return module

    def _node(self, node: ast.AST) -> Any:
        if self._build() is None:
            return None
        key = (
            type(node).__name__,
            getattr(node, "lineno", None),
            getattr(node, "col_offset", None),
            getattr(node, "end_lineno", None),
            getattr(node, "end_col_offset", None),
        )
        return self._index.get(key)

    def _infer(self, node: Any) -> list[Any] | None:
        """All values ``node`` may have, or None when any of them is unknown."""
        if node is None or self._questions >= MAX_QUESTIONS_PER_FILE:
            return None
        self._questions += 1
        started = time.process_time()
        values: list[Any] | None = None
        try:
            with contained(ASTROID), project_search_path(self.source_roots):
                values = _all_values(node)
        finally:
            elapsed = time.process_time() - started
            stats.STATS.inferences += 1
            stats.STATS.inference_seconds += elapsed
            heap.keep_after_file()
        return values or None

    # -- questions ------------------------------------------------------------------------
    def library_of(self, expr: ast.expr) -> Library | None:
        """The library of the signal ``expr`` is, when every value astroid infers for it is an
        instance of that library's signal classes."""
        values = self._infer(self._node(expr))
        if not values:
            return None
        from astroid import bases

        libraries = {
            _library_of_class(value._proxied)
            if isinstance(value, bases.Instance) and not isinstance(value, bases.BoundMethod)
            else None
            for value in values
        }
        return libraries.pop() if len(libraries) == 1 else None

    def class_of_call(self, call: ast.Call) -> tuple[ast.ClassDef, ModuleScopes] | None:
        node = self._node(call)
        if node is None:
            return None
        values = self._infer(node.func)
        from astroid import nodes

        if not values or len(values) != 1 or not isinstance(values[0], nodes.ClassDef):
            return None
        cls = values[0]
        if not isinstance(cls.parent, nodes.Module):
            return None
        return _stdlib_class(cls.root(), cls.name)

    def fresh_closure_factory(self, call: ast.Call) -> str | None:
        node = self._node(call)
        if node is None:
            return None
        from astroid import nodes

        functions = self._infer(node.func)
        if not functions or len(functions) != 1 or type(functions[0]) is not nodes.FunctionDef:
            return None
        factory = functions[0]
        if factory.decorators is not None:
            return None  # a cache such as lru_cache would keep what it returns
        results = self._infer(node)
        if not results:
            return None
        for result in results:
            if type(result) not in (nodes.Lambda, nodes.FunctionDef):
                return None
            if result.parent is None or result.parent.frame() is not factory:
                return None  # e.g. a module-level function: it lives as long as its module
            if not _only_returned(result, factory, nodes):
                return None
        return str(factory.name)


def _all_values(node: Any) -> list[Any] | None:
    """Every value astroid infers for ``node``; None when one is Uninferable or there are too many."""
    from astroid.exceptions import AstroidError
    from astroid.util import UninferableBase

    values: list[Any] = []
    try:
        for value in node.infer():
            if isinstance(value, UninferableBase) or len(values) >= _MAX_VALUES:
                return None
            values.append(value)
    except AstroidError:  # inference gave up: not known, and no bug
        return None
    return values


def _only_returned(result: Any, factory: Any, nodes: Any) -> bool:
    """The factory makes ``result`` and hands it only to its caller."""
    if isinstance(result, nodes.Lambda):
        return isinstance(result.parent, nodes.Return)
    if len(factory.locals.get(result.name, ())) != 1:
        return False
    return all(
        isinstance(name.parent, nodes.Return)
        for name in factory.nodes_of_class(nodes.Name)
        if name.name == result.name
    )


def _stdlib_class(module: Any, name: str) -> tuple[ast.ClassDef, ModuleScopes] | None:
    """The stdlib-``ast`` twin of a module-level class astroid found, parsed from its file."""
    path = getattr(module, "file", None)
    if not path or not str(path).endswith(".py"):
        return None
    if path not in _parsed_modules:
        _parsed_modules[path] = _parse(path, module.name, bool(getattr(module, "package", False)))
    parsed = _parsed_modules[path]
    if parsed is None:
        return None
    tree, scopes = parsed
    matches = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name]
    return (matches[0], scopes) if len(matches) == 1 else None


def _parse(path: str, module_name: str, is_package: bool) -> tuple[ast.Module, ModuleScopes] | None:
    import tokenize

    try:
        with tokenize.open(path) as handle, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(handle.read(), filename=path)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # a library module this interpreter cannot read: its classes stay unknown
    return tree, ModuleScopes(tree, module_name, is_package)
