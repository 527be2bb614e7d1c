"""Receiver and send contracts: can blinker call this receiver the way the signal is sent?

blinker calls every receiver as ``receiver(sender, **kwargs)``: the sender is the only positional
argument, the keywords are whatever ``send()`` was given (``_async_wrapper`` aside), and a
coroutine function makes a plain ``send()`` raise unless an ``_async_wrapper`` is passed.

This module works on the stdlib ``ast`` alone, through :mod:`.scopes`:

* :class:`ShapeResolver` turns a receiver expression into a :class:`Shape` (its parameters, what a
  ``functools.partial`` or a bound method already supplies, whether it is a coroutine function),
  or None when the receiver cannot be followed: imported, decorated, reassigned, a parameter...
* :func:`call_problems` simulates Python's argument binding for ``receiver(sender, **keywords)``.
* :class:`SendIndex` collects the file's own ``.send()`` / ``.send_async()`` calls per signal and
  answers :meth:`SendIndex.contract`; Flask's built-in signals come from :mod:`.known_signals`.

Whether an expression is a blinker signal at all is asked of :class:`.signals.SignalResolver`, and
only for the sites whose receiver or send would fail, so the costly astroid answer is rare.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from ..libraries import CONNECT_METHODS, KNOWN_SIGNALS, LIBRARIES, NAMESPACES
from ..libraries import SEND_METHODS as _SEND_METHODS
from ..libraries.model import CoroutineReceivers, Library, Parameter, ReceiverCall
from .calls import ModuleCalls
from .connect_sites import ConnectSite, ReportedAt
from .connections import candidates
from .scopes import FunctionNode, ModuleScopes, Scope

if TYPE_CHECKING:
    from .project_facts import SendInfo

POSITIONAL_ONLY = "positional-only"
POSITIONAL = "positional"
KEYWORD_ONLY = "keyword-only"

# Origins of the values in a call: what fills a parameter.
SENDER = "sender"
INSTANCE = "instance"  # the object a bound method is bound to
CLASS = "class"  # the class a classmethod is bound to
BOUND = "bound"  # a functools.partial argument
SIGNAL = "signal"  # a keyword the signal is sent with
LIBRARY = "library"  # a keyword the library passes to every receiver (Django's signal=, sender=)

SEND_METHODS = tuple(sorted(_SEND_METHODS))
# The keyword of each send method that is not sent to receivers (blinker's _async_wrapper).
_WRAPPER_KEYWORD = {
    send.method: send.wrapper_keyword for lib in LIBRARIES for send in lib.sends if send.wrapper_keyword
}
_ASYNC_SENDS = frozenset(send.method for lib in LIBRARIES for send in lib.sends if send.is_async)
_PARTIAL = frozenset({"functools.partial"})
_STATIC = frozenset({"staticmethod", "builtins.staticmethod"})
_CLASSMETHOD = frozenset({"classmethod", "builtins.classmethod"})
# Calls that make a named signal: the same name gives the same object anywhere in the process.
_NAMED_SIGNAL_FACTORIES = frozenset(name for _, spec in NAMESPACES for name in spec.default_lookups)
_ANY_NAMES = frozenset({"ANY"}).union(*(lib.any_sender for lib in LIBRARIES))
_MAX_FOLLOW = 6


# -- receivers --------------------------------------------------------------------------------
class Param(NamedTuple):
    name: str
    kind: str  # POSITIONAL_ONLY | POSITIONAL | KEYWORD_ONLY
    required: bool


class Shape(NamedTuple):
    """What calling the connected object does: the parameters of the function that runs, and the
    values a bound method or ``functools.partial`` puts in front of the caller's arguments."""

    label: str  # how messages name the receiver, e.g. "'on_paid'" or "functools.partial of 'notify'"
    params: tuple[Param, ...]
    varargs: bool
    varkw: bool
    is_coroutine: bool  # what inspect.iscoroutinefunction (blinker's test) says of the object
    leading: tuple[str, ...] = ()  # origins of positional values passed before the sender
    bound_keywords: frozenset[str] = frozenset()  # keywords a partial binds

    def bind(self, positional: tuple[str, ...], keywords: frozenset[str], label: str) -> Shape:
        return Shape(
            label,
            self.params,
            self.varargs,
            self.varkw,
            self.is_coroutine,
            (*self.leading, *positional),
            self.bound_keywords | keywords,
        )


def shape_of_function(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, label: str) -> Shape:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    params = [
        Param(
            arg.arg, POSITIONAL_ONLY if index < len(args.posonlyargs) else POSITIONAL, index < first_default
        )
        for index, arg in enumerate(positional)
    ]
    params += [
        Param(arg.arg, KEYWORD_ONLY, default is None)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    coroutine = isinstance(node, ast.AsyncFunctionDef) and not _yields(node)
    return Shape(label, tuple(params), args.vararg is not None, args.kwarg is not None, coroutine)


def _yields(function: ast.AsyncFunctionDef) -> bool:
    """An ``async def`` that yields is an async generator function: no coroutine function to
    ``inspect.iscoroutinefunction``, so blinker calls it like a plain function."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


class ShapeResolver:
    """Follows a receiver expression to the function that runs, within the file.

    ``transparent(decorator)`` is asked only about decorators stacked on a receiver: whether it
    is a connect decorator that hands the function back unchanged.
    """

    def __init__(self, scopes: ModuleScopes, transparent: Callable[[ast.expr], bool]) -> None:
        self.scopes = scopes
        self.transparent = transparent

    # -- entry points ---------------------------------------------------------------------
    def of_expression(self, expr: ast.expr, scope: Scope, depth: int = 0) -> Shape | None:
        if depth > _MAX_FOLLOW:
            return None
        if isinstance(expr, ast.Lambda):
            return shape_of_function(expr, "lambda")
        if isinstance(expr, ast.Name):
            return self._of_name(expr.id, scope, depth)
        if isinstance(expr, ast.Attribute):
            return self._of_attribute(expr, scope, depth)
        if isinstance(expr, ast.Call):
            if self.scopes.qualified_name(expr.func, scope) in _PARTIAL:
                return self._of_partial(expr, scope, depth)
            cls = self._plain_class(expr.func, scope)
            if cls is not None:
                shape = self._method(cls, "__call__", INSTANCE, f"'{cls.name}' instance")
                # inspect.iscoroutinefunction() is False for an instance, whatever its __call__.
                return shape._replace(is_coroutine=False) if shape is not None else None
        return None

    def of_decorated(self, node: ast.FunctionDef | ast.AsyncFunctionDef, index: int) -> Shape | None:
        """The receiver the decorator at ``decorator_list[index]`` connects: the function with the
        decorators below it applied, known only when each of those is another connect decorator."""
        if not all(self.transparent(d) for d in node.decorator_list[index + 1 :]):
            return None
        return shape_of_function(node, f"'{node.name}'")

    # -- names ----------------------------------------------------------------------------
    def _of_name(self, name: str, scope: Scope, depth: int) -> Shape | None:
        found = self.scopes.single_binding(name, scope)
        if found is None:
            return None
        where, binding = found
        if binding.kind == "def" and isinstance(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = binding.node
            if not all(self.transparent(d) for d in function.decorator_list):
                return None
            return shape_of_function(function, f"'{name}'")
        if binding.kind == "assign" and binding.value is not None:
            shape = self.of_expression(binding.value, where, depth + 1)
            if shape is not None and isinstance(binding.value, ast.Lambda):
                return Shape(f"lambda '{name}'", shape.params, shape.varargs, shape.varkw, False)
            return shape
        return None

    # -- partials -------------------------------------------------------------------------
    def _of_partial(self, call: ast.Call, scope: Scope, depth: int) -> Shape | None:
        if not call.args or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        if any(k.arg is None for k in call.keywords):
            return None
        inner = self.of_expression(call.args[0], scope, depth + 1)
        if inner is None:
            return None
        wrapped = inner.label.removeprefix("functools.partial of ")
        return inner.bind(
            tuple(BOUND for _ in call.args[1:]),
            frozenset(k.arg for k in call.keywords if k.arg is not None),
            f"functools.partial of {wrapped}",
        )

    # -- methods --------------------------------------------------------------------------
    def _of_attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> Shape | None:
        owner = expr.value
        if isinstance(owner, ast.Name):
            method_owner = self._method_owner(owner.id, scope)
            if method_owner is not None:
                cls, access = method_owner
                if access == INSTANCE and _assigns_self_attribute(cls, expr.attr):
                    return None
                return self._method(cls, expr.attr, access, f"'{owner.id}.{expr.attr}'")
            found = self.scopes.single_binding(owner.id, scope)
            if found is None:
                return None
            where, binding = found
            if binding.kind == "class" and isinstance(binding.node, ast.ClassDef):
                if not _plain_class_def(binding.node):
                    return None
                return self._method(binding.node, expr.attr, CLASS, f"'{owner.id}.{expr.attr}'")
            if binding.kind == "assign" and isinstance(binding.value, ast.Call):
                made = self._plain_class(binding.value.func, where)
                if made is None or _assigns_self_attribute(made, expr.attr):
                    return None
                return self._method(made, expr.attr, INSTANCE, f"'{owner.id}.{expr.attr}'")
            return None
        if isinstance(owner, ast.Call):
            made = self._plain_class(owner.func, scope)
            if made is None or _assigns_self_attribute(made, expr.attr):
                return None
            return self._method(made, expr.attr, INSTANCE, f"'{made.name}().{expr.attr}'")
        return None

    def _method_owner(self, name: str, scope: Scope) -> tuple[ast.ClassDef, str] | None:
        """``self`` in a plain method, ``cls`` in a classmethod: (the class, how it is bound)."""
        if scope.kind != "function" or scope.parent is None or scope.parent.kind != "class":
            return None
        function = scope.node
        cls = scope.parent.node
        if not isinstance(function, FunctionNode) or not isinstance(cls, ast.ClassDef):
            return None
        positional = [*function.args.posonlyargs, *function.args.args]
        if not positional or positional[0].arg != name:
            return None
        if len(scope.bindings.get(name, ())) != 1:
            return None  # reassigned in the method
        names = {self._decorator_name(d, scope.parent) for d in function.decorator_list}
        if not names:
            return cls, INSTANCE
        if names <= _CLASSMETHOD:
            return cls, CLASS
        return None

    def _method(self, cls: ast.ClassDef, name: str, access: str, label: str) -> Shape | None:
        """``name`` looked up on an instance (``INSTANCE``) or on the class itself (``CLASS``)."""
        found = self._class_attribute(cls, name)
        if found is None:
            return None
        function, owner = found
        decorators = {self._decorator_name(d, owner) for d in function.decorator_list}
        shape = shape_of_function(function, label)
        if not decorators:
            return shape.bind((INSTANCE,), frozenset(), label) if access == INSTANCE else shape
        if decorators <= _STATIC:
            return shape
        if decorators <= _CLASSMETHOD:
            return shape.bind((CLASS,), frozenset(), label)
        return None

    def _class_attribute(self, cls: ast.ClassDef, name: str) -> tuple[FunctionNode, Scope] | None:
        """The method ``name`` defined in ``cls`` or, following single same-file bases, a base."""
        seen: set[int] = set()
        current: ast.ClassDef | None = cls
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            class_scope = self.scopes.scope_of_node.get(id(current))
            if class_scope is None:
                return None
            bindings = class_scope.bindings.get(name)
            if bindings is not None:
                if len(bindings) != 1 or bindings[0].kind != "def":
                    return None
                node = bindings[0].node
                return (node, class_scope) if isinstance(node, FunctionNode) else None
            try:
                current = self._single_base(current)
            except _Unknown:
                return None
        return None

    def _single_base(self, cls: ast.ClassDef) -> ast.ClassDef | None:
        bases = [b for b in cls.bases if not (isinstance(b, ast.Name) and b.id == "object")]
        if not bases:
            return None
        if len(bases) != 1 or not isinstance(bases[0], ast.Name):
            raise _Unknown
        found = self.scopes.single_binding(bases[0].id, self.scopes.scope_containing(cls))
        if found is None or found[1].kind != "class" or not isinstance(found[1].node, ast.ClassDef):
            raise _Unknown
        if not _plain_class_def(found[1].node):
            raise _Unknown
        return found[1].node

    def _plain_class(self, func: ast.expr, scope: Scope) -> ast.ClassDef | None:
        """The same-file class ``func`` names when calling it surely makes an ordinary instance:
        no decorator, no metaclass, no ``__new__``, only same-file bases of the same kind."""
        if not isinstance(func, ast.Name):
            return None
        found = self.scopes.single_binding(func.id, scope)
        if found is None or found[1].kind != "class" or not isinstance(found[1].node, ast.ClassDef):
            return None
        cls = found[1].node
        current: ast.ClassDef | None = cls
        seen: set[int] = set()
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            if not _plain_class_def(current) or "__new__" in _class_body_names(current):
                return None
            try:
                current = self._single_base(current)
            except _Unknown:
                return None
        return cls

    def _decorator_name(self, decorator: ast.expr, scope: Scope) -> str:
        if isinstance(decorator, ast.Name) and self.scopes.resolve(decorator.id, scope) is None:
            return decorator.id  # a builtin, not shadowed in the module
        return self.scopes.qualified_name(decorator, scope) or "?"


class _Unknown(Exception):
    """A class hierarchy the file alone cannot follow."""


def _plain_class_def(cls: ast.ClassDef) -> bool:
    return not cls.decorator_list and not cls.keywords


def _class_body_names(cls: ast.ClassDef) -> set[str]:
    names = set()
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return names


def _assigns_self_attribute(cls: ast.ClassDef, attribute: str) -> bool:
    """Some method stores ``self.<attribute> = ...``: the instance attribute hides the method."""
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, (ast.Store, ast.Del))
            and node.attr == attribute
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            return True
    return False


# -- binding ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """Why a call fails: ``code`` is SIG301 (the call itself) or SIG302 (a keyword of the signal)."""

    code: str
    reason: str
    keyword: str = ""
    # The keywords of the call that fails (None: not known); not part of what makes two equal.
    sent: frozenset[str] | None = field(default=None, compare=False)


def call_problems(shape: Shape, keywords: frozenset[str] | None, call: ReceiverCall) -> list[Problem]:
    """Every reason why the library's call of the receiver (``call``: for blinker
    ``receiver(sender, **{k: ... for k in keywords})``) raises TypeError.

    ``keywords`` None: the signal's keywords are not known; only what fails whatever they are is
    reported (no parameter for the sender, a required positional-only parameter, a partial's own
    keyword the function rejects, a keyword the library always passes).
    """
    problems: list[Problem] = []
    positional = [p for p in shape.params if p.kind != KEYWORD_ONLY]
    filled: dict[str, str] = {}
    senders = tuple(SENDER for _ in call.positional)
    for index, origin in enumerate((*shape.leading, *senders)):
        if index < len(positional):
            filled[positional[index].name] = origin
        elif not shape.varargs:
            if origin == SENDER:
                problems.append(Problem("SIG301", _no_room_for_sender(shape, len(positional))))
            break
    by_name = {p.name: p for p in shape.params if p.kind != POSITIONAL_ONLY}
    always = tuple(call.keywords)
    sent = sorted(k for k in (keywords or ()) if k not in always)
    # functools.partial merges its keywords with the caller's; the caller's win.
    passed = [(k, BOUND) for k in sorted(shape.bound_keywords) if k not in always and k not in sent]
    passed += [(k, LIBRARY) for k in always]
    passed += [(k, SIGNAL) for k in sent]
    for name, origin in passed:
        param = by_name.get(name)
        if param is not None:
            holder = filled.get(name)
            if holder is None:
                filled[name] = origin
            elif holder == SENDER:
                problems.append(
                    Problem(
                        "SIG301",
                        f"the sender lands in parameter '{name}', which is also passed by keyword",
                    )
                )
            elif origin == SIGNAL:
                problems.append(
                    Problem(
                        "SIG302", f"parameter '{name}' is already filled by a bound positional argument", name
                    )
                )
            elif origin == LIBRARY:
                problems.append(
                    Problem("SIG301", f"parameter '{name}' is already filled by a bound positional argument")
                )
            else:
                problems.append(
                    Problem("SIG301", f"functools.partial passes '{name}' both positionally and by keyword")
                )
        elif not shape.varkw:
            if origin == SIGNAL:
                problems.append(Problem("SIG302", _unexpected_reason(shape, name), name))
            elif origin == LIBRARY:
                problems.append(Problem("SIG301", _unexpected_reason(shape, name)))
            else:
                problems.append(
                    Problem("SIG301", f"functools.partial binds keyword '{name}', which it does not accept")
                )
    for param in shape.params:
        if not param.required or param.name in filled:
            continue
        if keywords is None and param.kind != POSITIONAL_ONLY:
            continue  # the signal may well send it by keyword
        how = "positional-only parameter" if param.kind == POSITIONAL_ONLY else "parameter"
        problems.append(Problem("SIG301", f"required {how} '{param.name}' is never passed"))
    return problems


def _no_room_for_sender(shape: Shape, slots: int) -> str:
    if not shape.leading:
        return "it has no positional parameter for the sender"
    taken = [f"the {origin}" for origin in (INSTANCE, CLASS) if origin in shape.leading]
    bound = sum(1 for origin in shape.leading if origin == BOUND)
    if bound:
        taken.append(f"{bound} bound argument{'s' if bound != 1 else ''}")
    return (
        f"its {slots} positional parameter{'s' if slots != 1 else ''} are taken by {' and '.join(taken)}"
        if slots != 1
        else f"its only positional parameter is taken by {' and '.join(taken)}"
    )


def _unexpected_reason(shape: Shape, name: str) -> str:
    if any(p.name == name and p.kind == POSITIONAL_ONLY for p in shape.params):
        return f"'{name}' is positional-only"
    return f"it has no parameter '{name}' and no **kwargs"


# -- sends ------------------------------------------------------------------------------------
class SentBy(NamedTuple):
    """One send a contract is made of, in the linted file or elsewhere in the project."""

    method: str  # "send" | "send_async"
    line: int
    path: str | None  # None: the linted file
    keywords: frozenset[str]
    plain: bool  # send() with no _async_wrapper
    # The sender is passed as ``sender=`` (for a send in another file: a ``sender`` keyword is
    # passed); such a send reaches receivers only where the library's send takes it by keyword.
    sender_by_keyword: bool = False


class SendContract(NamedTuple):
    """How the receivers of one signal are called, as far as the linter can see."""

    keyword_sets: tuple[frozenset[str], ...]  # the keywords of each distinct send
    plain_send: bool  # some send() passes no _async_wrapper: coroutine receivers make it raise
    # Who sends it: a library that defines it (e.g. "Flask"), or "" for the project's own sends.
    sent_by_library: str = ""
    sends: tuple[SentBy, ...] = ()  # the project's sends seen, the linted file's first

    def sends_passing(self, keyword: str) -> tuple[SentBy, ...]:
        return tuple(s for s in self.sends if keyword in s.keywords)

    @property
    def first_plain_send(self) -> SentBy | None:
        return next((s for s in self.sends if s.plain), None)


# The project's sends, in other files, of the signal an expression names (of the library given,
# when it is known or hinted): () when there are none or they cannot be known; None when one of
# them may pass anything (``**kwargs``, a re-broadcast).
RemoteSends = Callable[[ast.expr, "Library | None"], "tuple[SentBy, ...] | None"]


@dataclass(frozen=True, eq=False)
class SendCall:
    node: ast.Call
    signal: ast.expr
    method: str  # "send" | "send_async"
    scope: Scope
    key: str | None
    keywords: frozenset[str]  # passed by name, the wrapper keyword excluded
    unpacked_keywords: bool  # a **mapping: the keywords are not known
    wrapper: bool | None  # an _async_wrapper/_sync_wrapper is passed; None: cannot tell
    positional: int  # positional arguments, starred ones excluded
    starred: bool

    @property
    def sender(self) -> ast.expr | None:
        if self.node.args and not isinstance(self.node.args[0], ast.Starred):
            return self.node.args[0]
        return None

    @property
    def plain(self) -> bool:
        """A synchronous send with no coroutine wrapper (blinker's ``_async_wrapper``)."""
        return self.method not in _ASYNC_SENDS and self.wrapper is False

    @property
    def malformed(self) -> bool:
        """The shapes SIG304 is about, whatever the library: a second positional argument, or
        the sender given only as ``sender=`` (with a positional sender, a ``sender`` keyword is
        just one more keyword, as blinker's own ``receiver_connected`` sends it). Whether the
        library allows the keyword sender is the caller's question."""
        if self.positional > 1:
            return True
        return self.sender_by_keyword_only

    @property
    def sender_by_keyword_only(self) -> bool:
        return "sender" in self.keywords and self.positional == 0 and not self.starred

    def reaches_receivers(self, library: Library | None) -> bool:
        """Whether the library calls the receivers with this send as written (not SIG304's
        shapes); ``library`` None: for some library."""
        if self.positional > 1:
            return False
        return not self.sender_by_keyword_only or takes_keyword_sender(self.method, library)

    def sender_for(self, library: Library | None) -> ast.expr | None:
        """The sender expression, positional or (where the library takes it) ``sender=``."""
        if self.sender is not None or not self.sender_by_keyword_only:
            return self.sender
        if not takes_keyword_sender(self.method, library):
            return None
        return next(k.value for k in self.node.keywords if k.arg == "sender")


def takes_keyword_sender(method: str, library: Library | None) -> bool:
    """Whether ``sig.<method>(sender=...)`` passes the sender to receivers: in ``library``'s send
    of that name (or, for a name it does not declare, its sends of the same kind, sync or async),
    or, while the library is not known yet, in any library's."""
    for candidate in LIBRARIES if library is None else (library,):
        forms = [f for f in candidate.sends if f.method == method] or [
            f for f in candidate.sends if f.is_async == (method in _ASYNC_SENDS)
        ]
        if any(f.sender_by_keyword for f in forms):
            return True
    return False


def _calls_method(call: ast.Call, methods: Collection[str]) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in methods


def find_send_calls(tree: ast.AST, scopes: ModuleScopes, found: ModuleCalls | None = None) -> list[SendCall]:
    """Every call of a send method the libraries declare (``x.send(...)``...), signal or not."""
    calls = []
    for node in (found if found is not None else ModuleCalls.of(tree)).calls:
        if not _calls_method(node, SEND_METHODS):
            continue
        try:
            calls.append(_send_call(node, scopes))
        except (RecursionError, ValueError, TypeError):  # absurdly deep code: skip this send
            continue
    return calls


def _send_call(node: ast.Call, scopes: ModuleScopes) -> SendCall:
    assert isinstance(node.func, ast.Attribute)
    method = node.func.attr
    scope = scopes.scope_containing(node)
    wrapper_name = _WRAPPER_KEYWORD.get(method)
    wrapper: bool | None = False
    keywords = set()
    for keyword in node.keywords:
        if keyword.arg is None:
            continue
        if keyword.arg == wrapper_name:
            value = keyword.value
            wrapper = not (isinstance(value, ast.Constant) and value.value is None)
        else:
            keywords.add(keyword.arg)
    unpacked = any(k.arg is None for k in node.keywords)
    if unpacked and wrapper is False:
        wrapper = None
    return SendCall(
        node,
        node.func.value,
        method,
        scope,
        signal_key(scopes, node.func.value, scope),
        frozenset(keywords),
        unpacked,
        wrapper,
        sum(1 for a in node.args if not isinstance(a, ast.Starred)),
        any(isinstance(a, ast.Starred) for a in node.args),
    )


def signal_key(scopes: ModuleScopes, expr: ast.expr, scope: Scope, depth: int = 0) -> str | None:
    """A name for the object ``expr`` refers to, equal for two expressions only when they refer to
    the same signal: an import's full name, a module-level name, a named ``signal("x")``, or
    ``self.x`` within one class. None when the file alone cannot tell."""
    if depth > _MAX_FOLLOW:
        return None
    if isinstance(expr, ast.Call):
        return _named_signal(scopes, expr, scope)
    qualname = scopes.qualified_name(expr, scope)
    if qualname is not None:
        return qualname
    if isinstance(expr, ast.Name):
        found = scopes.resolve(expr.id, scope)
        if found is None or len(found[1]) != 1:
            return None
        where, (binding,) = found
        if binding.kind == "assign" and isinstance(binding.value, ast.Call):
            named = _named_signal(scopes, binding.value, where)
            if named is not None:
                return named
        if binding.kind == "param":
            return None
        if where.kind == "module":
            return f"{scopes.module_name or '<module>'}.{expr.id}"
        return f"<{where.kind}@{id(where.node)}>.{expr.id}"
    if isinstance(expr, ast.Attribute):
        owner = expr.value
        if (
            isinstance(owner, ast.Name)
            and scope.kind == "function"
            and scope.parent is not None
            and scope.parent.kind == "class"
        ):
            function = scope.node
            positional = (
                [*function.args.posonlyargs, *function.args.args]
                if isinstance(function, FunctionNode)
                else []
            )
            if positional and positional[0].arg == owner.id and not getattr(function, "decorator_list", None):
                return f"{scopes.module_name or '<module>'}.{scope.parent.qualname}.<self>.{expr.attr}"
        base = signal_key(scopes, owner, scope, depth + 1)
        return f"{base}.{expr.attr}" if base is not None else None
    return None


def _named_signal(scopes: ModuleScopes, call: ast.Call, scope: Scope) -> str | None:
    if (
        scopes.qualified_name(call.func, scope) in _NAMED_SIGNAL_FACTORIES
        and len(call.args) >= 1
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    ):
        return f"<default-namespace signal {call.args[0].value!r}>"
    return None


class SendIndex:
    """The sends of one file, by signal, plus what ``remote`` knows of the rest of the project."""

    def __init__(
        self, scopes: ModuleScopes, sends: list[SendCall], remote: RemoteSends | None = None
    ) -> None:
        self.scopes = scopes
        self.remote = remote
        self.by_key: dict[str, list[SendCall]] = {}
        for send in sends:
            if send.key is not None:
                self.by_key.setdefault(send.key, []).append(send)

    def contract(
        self,
        signal: ast.expr,
        scope: Scope,
        sender: ast.expr | None,
        *,
        project: bool = True,
        library: Library | None = None,
        owner: Library | None = None,
    ) -> SendContract | None:
        """How receivers connected to ``signal`` for ``sender`` (None: any sender) are called.

        None when the sends cannot be seen: none found, or one passes ``**kwargs`` (it may carry
        any keyword, or an ``_async_wrapper``). Sends in other files count only for a connection
        to any sender (their sender expressions are not known) and only with ``project``. Which
        sends reach receivers depends on ``library`` (``sender=`` does in Django, not in
        blinker); None: the library is not known yet, and every send some library accepts counts.
        ``owner`` is the library the signal is known or hinted to be of (``library`` when given):
        whether other files' sends can be known depends on it.
        """
        known = KNOWN_SIGNALS.get(self.scopes.qualified_name(signal, scope) or "")
        if known is not None:
            if known.signal.send_keywords is None:
                return None
            keywords = frozenset(known.signal.send_keywords)
            return SendContract((keywords,), known.signal.sent_plainly, known.signal.library)
        local: list[SendCall] = []
        key = signal_key(self.scopes, signal, scope)
        if key is not None:
            local = [s for s in self.by_key.get(key, []) if s.reaches_receivers(library)]
            if sender is not None:
                local = [s for s in local if _sent_by(s.sender_for(library), sender)]
        if any(s.unpacked_keywords for s in local):
            return None
        sends = [
            SentBy(s.method, s.node.lineno, None, s.keywords, s.plain, s.sender_by_keyword_only)
            for s in local
        ]
        if project and sender is None and self.remote is not None:
            remote = self.remote(signal, library or owner)
            if remote is None:
                return None  # a send elsewhere may pass anything, an _async_wrapper included
            sends += [s for s in remote if not s.sender_by_keyword or takes_keyword_sender(s.method, library)]
        if not sends:
            return None
        keyword_sets = tuple(dict.fromkeys(s.keywords for s in sends))
        return SendContract(keyword_sets, any(s.plain for s in sends), "", tuple(sends))


def sends_from_index(infos: Iterable[SendInfo], linted_path: str) -> tuple[SentBy, ...] | None:
    """:class:`.project_index.SendInfo` records of other files as :class:`SentBy`; None when one of
    them may pass any keyword. A send with a ``sender`` keyword is marked: it may be one that
    passes the sender only by keyword, which reaches receivers only in some libraries (SIG304)."""
    sends = []
    for info in infos:
        if info.path == linted_path:
            continue  # the linted file's own sends are read with their sender expressions
        if info.has_double_star:
            return None
        keywords = frozenset(info.keywords)
        method = "send_async" if info.is_async else "send"
        plain = not info.is_async and not info.has_async_wrapper
        sends.append(SentBy(method, info.line, info.path, keywords, plain, "sender" in keywords))
    return tuple(sends)


def _same_expression(a: ast.expr, b: ast.expr) -> bool:
    return ast.dump(a) == ast.dump(b)


def _sent_by(found: ast.expr | None, sender: ast.expr) -> bool:
    return found is not None and _same_expression(found, sender)


# -- connection sites -------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ReceiverSite(ReportedAt):
    """One connection: where to report it, the signal, what gets connected."""

    report_node: ast.expr
    signal: ast.expr
    scope: Scope  # where the signal (and a call-form receiver) is evaluated
    receiver: ast.expr | None  # call forms
    decorated: tuple[ast.FunctionDef | ast.AsyncFunctionDef, int] | None  # (def, decorator index)
    connect: ConnectSite

    @property
    def calls(self) -> tuple[ReceiverCall, ...]:
        """How each library this site could belong to calls its receivers (nothing resolved)."""
        found = {use.library.receiver_call for use in candidates(self.connect)}
        return tuple(call for call in found if call is not None)


def find_receiver_sites(connect_sites: Sequence[ConnectSite], scopes: ModuleScopes) -> list[ReceiverSite]:
    """Every connection whose signal is written out: ``sig.connect(fn, ...)``, every connect
    decorator of a def (stacked ones too), ``@receiver(sig)`` and ``sig.connected_to(fn, ...)``."""
    sites = []
    for site in connect_sites:
        signal = site.target if site.target is not None and site.method in CONNECT_METHODS else None
        if signal is None:
            signal = _signal_argument(site)
        if signal is None:
            continue
        if site.decorated is not None:
            scope = scopes.scope_containing(site.decorated)
            decorated = (site.decorated, site.decorator_index)
            sites.append(ReceiverSite(site.report_node, signal, scope, None, decorated, site))
        elif site.receiver is not None:
            scope = scopes.scope_containing(site.report_node)
            sites.append(ReceiverSite(site.report_node, signal, scope, site.receiver, None, site))
    return sites


def _signal_argument(site: ConnectSite) -> ast.expr | None:
    """The signal a function form or a decorator function is given, when it is one expression."""
    for use in candidates(site):
        if use.signal is not None and site.call is not None:
            found = use.signal.find(site.call)
            if found is not None and not isinstance(found, (ast.List, ast.Tuple, ast.Starred)):
                return found
    return None


def sender_argument(call: ast.Call | None, parameter: Parameter | None) -> ast.expr | None:
    """The sender a connection passes; a stand-in that matches no send when ``*args`` or
    ``**kwargs`` may hide it; None when it is left out."""
    if call is None or parameter is None:
        return None
    if parameter.position is not None and any(
        isinstance(a, ast.Starred) for a in call.args[: parameter.position + 1]
    ):
        return _UNKNOWN_SENDER
    found = parameter.find(call)
    if found is None and any(k.arg is None for k in call.keywords):
        return _UNKNOWN_SENDER
    return found


# Stands for an argument hidden in *args/**kwargs: matches no send's sender.
_UNKNOWN_SENDER = ast.Name(id="<unknown sender>", ctx=ast.Load())


def _specific(sender: ast.expr | None, scopes: ModuleScopes, scope: Scope) -> ast.expr | None:
    """The sender a connection is limited to; None for any sender (left out, or ``ANY``)."""
    if sender is None:
        return None
    if isinstance(sender, ast.Attribute) and sender.attr == "ANY":
        return None
    qualname = scopes.qualified_name(sender, scope)
    if qualname in _ANY_NAMES:
        return None
    return sender


# -- judging ----------------------------------------------------------------------------------
class ReceiverVerdict(NamedTuple):
    site: ReceiverSite
    library: Library | None  # None while the library is not resolved yet
    shape: Shape
    contract: SendContract | None
    problems: tuple[Problem, ...]  # SIG301/SIG302, in order
    coroutine_on_plain_send: bool  # SIG303


class Bound(NamedTuple):
    """What the resolver says of a connection: its library and the sender it is made for."""

    library: Library
    sender: Parameter | None


@dataclass
class ContractAnalysis:
    """Judges every connection and send of one module.

    ``bind(site)`` says which library a connection belongs to (asked last, only of connections
    that would fail); ``transparent(decorator)`` whether a decorator stacked on a receiver is a
    connect decorator that returns the function unchanged.
    """

    scopes: ModuleScopes
    tree: ast.AST
    bind: Callable[[ConnectSite], Bound | None]
    transparent: Callable[[ast.expr], bool]
    connect_sites: Sequence[ConnectSite]
    remote: RemoteSends | None = None
    calls: ModuleCalls | None = None  # the module's calls, when the caller already has them
    # The library a signal plainly comes from (an import, a name bound to a library's call),
    # before anything is resolved; None when the file does not say.
    hint: Callable[[ast.expr, Scope], Library | None] = lambda expr, scope: None
    sends: list[SendCall] = field(init=False)
    index: SendIndex = field(init=False)
    shapes: ShapeResolver = field(init=False)

    def __post_init__(self) -> None:
        self.sends = find_send_calls(self.tree, self.scopes, self.calls)
        self.index = SendIndex(self.scopes, self.sends, self.remote)
        self.shapes = ShapeResolver(self.scopes, self.transparent)

    def receiver_sites(self) -> list[ReceiverSite]:
        return find_receiver_sites(self.connect_sites, self.scopes)

    def judge(self, site: ReceiverSite) -> ReceiverVerdict | None:
        """The verdict on one connection; None when it is fine or cannot be judged. Which library
        the signal belongs to is asked last, only of connections that would fail."""
        calls = site.calls
        hinted = self.hint(site.signal, site.scope)
        if hinted is not None:
            calls = tuple(call for call in calls if call is hinted.receiver_call)
        if not calls:
            return None
        shape = self._shape(site)
        if shape is None:
            return None
        if not any(self._verdict(site, shape, call, None, any_sender=True, owner=hinted) for call in calls):
            return None
        bound = self.bind(site.connect)
        if bound is None or bound.library.receiver_call is None:
            return None
        sender = _specific(sender_argument(site.connect.call, bound.sender), self.scopes, site.scope)
        return self._verdict(site, shape, bound.library.receiver_call, sender, library=bound.library)

    def _verdict(
        self,
        site: ReceiverSite,
        shape: Shape,
        call: ReceiverCall,
        sender: ast.expr | None,
        *,
        any_sender: bool = False,
        library: Library | None = None,
        owner: Library | None = None,
    ) -> ReceiverVerdict | None:
        # The rest of the project is read only for a receiver that some keyword could break.
        project = not (shape.varkw and not shape.is_coroutine and not call_problems(shape, frozenset(), call))
        sender = None if any_sender else sender
        contract = self.index.contract(
            site.signal, site.scope, sender, project=project, library=library, owner=owner
        )
        problems: list[Problem] = []
        if contract is None:
            problems += call_problems(shape, None, call)
        else:
            for keywords in contract.keyword_sets:
                problems += [replace(p, sent=keywords) for p in call_problems(shape, keywords, call)]
        unique = tuple(dict.fromkeys(problems))
        coroutine = (
            shape.is_coroutine
            and call.coroutines is CoroutineReceivers.RAISE_WITHOUT_WRAPPER
            and contract is not None
            and contract.plain_send
        )
        if not unique and not coroutine:
            return None
        return ReceiverVerdict(site, library, shape, contract, unique, coroutine)

    def _shape(self, site: ReceiverSite) -> Shape | None:
        if site.decorated is not None:
            node, index = site.decorated
            return self.shapes.of_decorated(node, index)
        assert site.receiver is not None
        return self.shapes.of_expression(site.receiver, site.scope)

    def malformed_sends(self) -> Iterator[SendCall]:
        """Sends shaped as SIG304 describes, before asking whether they are signals."""
        for send in self.sends:
            if send.malformed:
                yield send
