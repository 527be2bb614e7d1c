"""How long a connected receiver lives when the signal holds it weakly.

Everything here works on the stdlib ``ast`` (through :mod:`.scopes`). The only questions handed to
astroid are the ones the source of this module cannot answer: is ``Handler`` (imported) a class whose
constructor keeps nothing, and does ``make_handler()`` return a fresh closure? Those come back as a
``resolve`` callback on the :class:`Loss`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import NamedTuple

from ..libraries import SEND_METHODS
from ..libraries.model import ReceiverKind
from .connect_sites import ConnectSite
from .display import dotted_name, short_source
from .reaching import BindingFlow, Reaching
from .scopes import Binding, FunctionNode, ModuleScopes, Scope

IMMEDIATELY = "as soon as connect() returns"
_FUNCTION = frozenset({ReceiverKind.FUNCTION})
_LAMBDA = frozenset({ReceiverKind.LAMBDA})
_PARTIAL = frozenset({ReceiverKind.PARTIAL})
_INSTANCE = frozenset({ReceiverKind.INSTANCE})
_CLOSURE = frozenset({ReceiverKind.CLOSURE})
_BOUND_METHOD = frozenset({ReceiverKind.BOUND_METHOD})

# Reading these from a function does not keep a reference to it.
_HARMLESS_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__doc__", "__module__", "__wrapped__"})
# Calls on a local container that store into it or inspect it, without letting its items out.
_CONTAINER_STORES = frozenset({"append", "add", "insert", "appendleft"})
_CONTAINER_HARMLESS = _CONTAINER_STORES | {"clear", "sort", "reverse", "remove", "discard"}
# A function that calls one of these after connecting is likely still running when the signal is
# sent (a script's main loop, a server): its local receivers are alive while it matters.
_BLOCKING_CALLS = frozenset(
    {
        "run",
        "run_forever",
        "run_until_complete",
        "serve_forever",
        "serve",
        "run_simple",
        "mainloop",
        "exec",
        "exec_",
        "join",
        "wait",
        "sleep",
        "start_polling",
        "idle",
        "loop_forever",
    }
)
# Awaiting one of these can hold a coroutine's frame for the program's life (a server, a shutdown
# event, a future resolved at exit); any other await completes and the coroutine goes on.
_HOLDING_AWAITS = frozenset(
    {
        "serve_forever",
        "run_forever",
        "wait",
        "wait_closed",
        "serve",
        "start_polling",
        "idle",
        "Future",
        "create_future",
    }
)
_GATHERS = frozenset({"gather", "wait"})
# Class decorators that return the class itself and keep no instances.
_SAFE_CLASS_DECORATORS = frozenset(
    {
        "dataclass",
        "dataclasses.dataclass",
        "total_ordering",
        "functools.total_ordering",
        "final",
        "typing.final",
        "attr.s",
        "attr.attrs",
        "attrs.define",
        "attr.define",
        "attrs.frozen",
    }
)
_CONSTRUCTORS = ("__init__", "__new__", "__post_init__")
_DATACLASS = frozenset({"dataclass", "dataclasses.dataclass"})


class Resolved(NamedTuple):
    """What astroid found a receiver to be."""

    label: str
    kind: ReceiverKind


class Loss(NamedTuple):
    """A receiver that is lost if the connection holds it weakly, and how to say so."""

    code: str
    kinds: frozenset[ReceiverKind]  # what the receiver may be (one kind, unless ``resolve`` decides)
    receiver: str | None  # None: ask ``resolve`` (needs astroid)
    when: str
    function: str  # qualname of the function whose return frees it ("" when immediate)
    resolve: Callable[[Inference], Resolved | None] | None = None
    # connect()'s result is stored: that keeps the receiver only where connect returns it.
    result_kept: bool = False
    # The path on which the name is bound to what is lost, when it is bound several ways.
    path: str = ""


class Inference:
    """What the lifetime analysis may ask astroid (implemented in :mod:`.inference`)."""

    def class_of_call(self, call: ast.Call) -> tuple[ast.ClassDef, ModuleScopes] | None:
        """The class ``call`` instantiates, as stdlib ``ast`` with its module's scopes."""
        raise NotImplementedError

    def fresh_closure_factory(self, call: ast.Call) -> str | None:
        """The factory's name when ``call`` returns a new nested function or lambda each time."""
        raise NotImplementedError


class LifetimeAnalysis:
    """``weak_signal_site`` tells whether another site is a weak connection to a real signal: a
    receiver used there too is still held by nothing strong."""

    def __init__(
        self,
        scopes: ModuleScopes,
        sites: list[ConnectSite],
        weak_signal_site: Callable[[ConnectSite], bool],
        *,
        test_module: bool = False,
    ) -> None:
        self.scopes = scopes
        self.test_module = test_module
        self._site_of_receiver = {id(s.receiver): s for s in sites if s.receiver is not None}
        self._running: dict[int, _RunningFacts] = {}  # per function, found by one walk
        self._holders: dict[tuple[int, str], list[ast.expr] | None] = {}
        self._flows: dict[tuple[int, str], BindingFlow] = {}
        self._weak_signal_site = weak_signal_site

    # -- entry point ----------------------------------------------------------------------
    def loss(self, site: ConnectSite) -> Loss | None:
        """The receiver's loss if the site's connection is weak; whether it is, is not asked here."""
        scope = self.scopes.scope_containing(site.report_node)
        if site.decorated is not None:
            # Below another decorator, what the name ends up bound to is not ours to tell.
            if site.decorator_index != 0:
                return None
            if scope.kind != "function" or len(scope.bindings.get(site.decorated.name, ())) != 1:
                return None
            return self._local_function(site, scope, site.decorated.name)
        loss = self._call_loss(site, scope)
        if loss is None or self._result_discarded(site):
            return loss
        return loss._replace(result_kept=True)  # e.g. `self._keep = sig.connect(fn)`

    def _call_loss(self, site: ConnectSite, scope: Scope) -> Loss | None:
        receiver = site.receiver
        if isinstance(receiver, ast.Lambda):
            return Loss("SIG102", _LAMBDA, "lambda", IMMEDIATELY, "")
        if isinstance(receiver, ast.Call):
            return self._temporary(receiver, scope, IMMEDIATELY, "", None)
        if isinstance(receiver, ast.Attribute):
            return self._bound_method(site, receiver, scope)
        if isinstance(receiver, ast.Name):
            return self._local_name(site, receiver.id, scope)
        return None

    # -- receiver shapes ------------------------------------------------------------------
    def _local_name(self, site: ConnectSite, name: str, scope: Scope) -> Loss | None:
        found = self.scopes.resolve(name, scope)
        if found is None or found[0] is not scope or scope.kind != "function":
            return None  # module, class and closure variables outlive this call
        bindings = found[1]
        if len(bindings) != 1:
            return self._on_some_path(site, name, scope, bindings)
        loss = self._binding_loss(bindings[0], name, scope)
        if not isinstance(loss, Loss):
            return None
        if self._used_while_running(scope, site, name) or self._escapes(name, scope, site):
            return None
        return loss

    def _binding_loss(self, binding: Binding, name: str, scope: Scope) -> Loss | bool | None:
        """What connecting the object of this binding of ``name`` loses: a Loss, True when the
        object survives the function (a module-level function, a method of ``self``), None when
        the linter cannot tell."""
        when, function = self._at_return(scope)
        if binding.kind == "def":
            return Loss("SIG101", _FUNCTION, name, when, function)
        if binding.kind != "assign" or binding.value is None:
            return None
        value = binding.value
        if isinstance(value, ast.Lambda):
            return Loss("SIG102", _LAMBDA, f"lambda '{name}'", when, function)
        if isinstance(value, ast.Call):
            return self._temporary(value, scope, when, function, name)
        return True if self._survives(value, scope) else None

    def _survives(self, value: ast.expr, scope: Scope) -> bool:
        """A module-level (or builtin) name, or ``self.x`` in a method: lives beyond this call."""
        if isinstance(value, ast.Name):
            found = self.scopes.resolve(value.id, scope)
            return found is None or found[0].kind == "module"
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
            return value.value.id == "self" and scope.parent is not None and scope.parent.kind == "class"
        return False

    def _on_some_path(
        self, site: ConnectSite, name: str, scope: Scope, bindings: list[Binding]
    ) -> Loss | None:
        """A name bound several ways: lost when a binding that may reach the connect is lost and
        every other one is known (lost or surviving)."""
        key = (id(scope), name)
        if key not in self._flows:
            self._flows[key] = BindingFlow(self.scopes, scope.node, name, bindings)
        reaching = self._flows[key].at(site.report_node)
        if not reaching:
            return None
        lost: list[tuple[Reaching, Loss]] = []
        for candidate in reaching:
            verdict = self._binding_loss(candidate.binding, name, scope)
            if verdict is None or (isinstance(verdict, Loss) and verdict.receiver is None):
                return None  # not known without astroid: one unknown path is enough for silence
            if isinstance(verdict, Loss):
                lost.append((candidate, verdict))
        if not lost or self._used_while_running(scope, site, name) or self._escapes(name, scope, site):
            return None
        first, loss = lost[0]
        if len(reaching) == 1:
            return loss  # rebound before the connect: only one binding is current
        line = getattr(first.binding.node, "lineno", 0)
        where = f", {first.branch}" if first.branch else ""
        return loss._replace(path=f" (as bound on line {line}{where})")

    def _local_function(self, site: ConnectSite, scope: Scope, name: str) -> Loss | None:
        if self._used_while_running(scope, site, name) or self._escapes(name, scope, site):
            return None
        when, function = self._at_return(scope)
        return Loss("SIG101", _FUNCTION, name, when, function)

    def _temporary(
        self, call: ast.Call, scope: Scope, when: str, function: str, local: str | None
    ) -> Loss | None:
        """A callable made by ``call``: a partial, an instance, or a factory's closure (SIG103)."""
        held = f" '{local}'" if local else ""
        if self.scopes.qualified_name(call.func, scope) == "functools.partial":
            return Loss("SIG103", _PARTIAL, f"functools.partial object{held}", when, function)
        local_class = self._local_class(call.func, scope)
        if local_class is not None:
            if not lost_with_its_instance(local_class, self.scopes):
                return None
            return Loss("SIG103", _INSTANCE, _instance_text(local_class.name, local), when, function)
        if _is_builtin_name(call.func, self.scopes, scope) or dotted_name(call.func) is None:
            return None

        def resolve(inference: Inference) -> Resolved | None:
            found = inference.class_of_call(call)
            if found is not None:
                cls, cls_scopes = found
                if lost_with_its_instance(cls, cls_scopes):
                    return Resolved(_instance_text(cls.name, local), ReceiverKind.INSTANCE)
                return None
            factory = inference.fresh_closure_factory(call)
            if not factory:
                return None
            return Resolved(f"closure returned by '{factory}()'{held}", ReceiverKind.CLOSURE)

        return Loss("SIG103", _INSTANCE | _CLOSURE, None, when, function, resolve)

    def _bound_method(self, site: ConnectSite, attribute: ast.Attribute, scope: Scope) -> Loss | None:
        owner = attribute.value
        method = attribute.attr
        if isinstance(owner, ast.Call):
            if dotted_name(owner.func) is None:
                return None  # `a.m().n`: not an instantiation of a class
            shown = f"bound method '{short_source(owner)}.{method}'"
            return self._method_of_instance(owner, scope, method, shown, IMMEDIATELY, "")
        if not isinstance(owner, ast.Name) or scope.kind != "function":
            return None
        found = self.scopes.single_binding(owner.id, scope)
        if found is None or found[0] is not scope:
            return None
        binding = found[1]
        if binding.kind != "assign" or not isinstance(binding.value, ast.Call):
            return None
        if self._used_while_running(scope, site, owner.id) or self._escapes(owner.id, scope, site):
            return None
        when, function = self._at_return(scope)
        shown = f"bound method '{owner.id}.{method}' of local object '{owner.id}'"
        return self._method_of_instance(binding.value, scope, method, shown, when, function)

    def _method_of_instance(
        self, call: ast.Call, scope: Scope, method: str, shown: str, when: str, function: str
    ) -> Loss | None:
        local_class = self._local_class(call.func, scope)
        if local_class is not None:
            ok = lost_with_its_instance(local_class, self.scopes) and _is_plain_method(
                local_class, method, self.scopes
            )
            return Loss("SIG104", _BOUND_METHOD, shown, when, function) if ok else None
        if _is_builtin_name(call.func, self.scopes, scope):
            return None

        def resolve(inference: Inference) -> Resolved | None:
            found = inference.class_of_call(call)
            if found is None:
                return None
            cls, cls_scopes = found
            if lost_with_its_instance(cls, cls_scopes) and _is_plain_method(cls, method, cls_scopes):
                return Resolved(shown, ReceiverKind.BOUND_METHOD)
            return None

        return Loss("SIG104", _BOUND_METHOD, None, when, function, resolve)

    # -- helpers --------------------------------------------------------------------------
    def _local_class(self, func: ast.expr, scope: Scope) -> ast.ClassDef | None:
        return self.scopes.class_named(func, scope)

    @staticmethod
    def _at_return(scope: Scope) -> tuple[str, str]:
        return f"when '{scope.qualname}' returns", scope.qualname

    def _result_discarded(self, site: ConnectSite) -> bool:
        return isinstance(self.scopes.parent(site.report_node), ast.Expr)

    def _escapes(self, name: str, scope: Scope, site: ConnectSite) -> bool:
        """Whether anything but this connection may keep ``name``'s object alive."""
        key = (id(scope), name)
        if key not in self._holders:
            self._holders[key] = self._holding_uses(name, scope)
        holders = self._holders[key]
        return holders is None or any(node is not site.receiver for node in holders)

    def _holding_uses(self, name: str, scope: Scope) -> list[ast.expr] | None:
        """The uses of ``name`` that may keep its object alive, besides weak connections; None
        when a closure captures it. Found once per name and scope, whatever the site."""
        loads, captured = self.scopes.loads_of(name, scope)
        if captured:
            return None  # a closure holds it; whether the closure lives is another question
        holders: list[ast.expr] = []
        for load in loads:
            if self._is_weak_receiver(load):
                continue
            parent = self.scopes.parent(load)
            if isinstance(parent, ast.Call) and parent.func is load:
                continue
            if isinstance(parent, ast.Attribute) and parent.value is load:
                if isinstance(parent.ctx, ast.Store) or parent.attr in _HARMLESS_ATTRIBUTES:
                    continue
                if not self._is_weak_receiver(parent):  # `sig.connect(obj.method)`: the method is it
                    holders.append(parent)
                continue
            if self._stored_in_local_container(load, parent, scope):
                continue
            if _is_disconnect_argument(load, parent):
                continue  # handled by _used_while_running
            holders.append(load)
        return holders

    def _is_weak_receiver(self, node: ast.AST) -> bool:
        other = self._site_of_receiver.get(id(node))
        return other is not None and self._weak_signal_site(other)

    def _stored_in_local_container(self, load: ast.Name, parent: ast.AST | None, scope: Scope) -> bool:
        container: ast.expr | None = None
        if (
            isinstance(parent, ast.Call)
            and load in parent.args
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in _CONTAINER_STORES
        ):
            container = parent.func.value
        elif isinstance(parent, ast.Assign) and parent.value is load and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Subscript):
                container = target.value
        if not isinstance(container, ast.Name):
            return False
        return self._is_local_container(container.id, scope)

    def _is_local_container(self, name: str, scope: Scope) -> bool:
        """A list/dict/set made in this function that nothing outside can reach."""
        found = self.scopes.single_binding(name, scope)
        if found is None or found[0] is not scope or found[1].kind != "assign":
            return False
        if not _is_fresh_container(found[1], self.scopes, scope):
            return False
        loads, captured = self.scopes.loads_of(name, scope)
        if captured:
            return False
        for load in loads:
            parent = self.scopes.parent(load)
            grandparent = self.scopes.parent(parent) if parent is not None else None
            if (
                isinstance(parent, ast.Attribute)
                and parent.attr in _CONTAINER_HARMLESS
                and isinstance(grandparent, ast.Call)
                and grandparent.func is parent
            ):
                continue
            if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store):
                continue
            if isinstance(parent, ast.Compare):
                continue
            if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "len":
                continue
            return False
        return True

    def _used_while_running(self, scope: Scope, site: ConnectSite, name: str) -> bool:
        """Evidence that the connection is meant to last only while ``scope`` runs, or that the
        function is still running when the signal is sent."""
        function = scope.node
        if scope.is_generator or self.test_module or is_test_name(getattr(function, "name", "")):
            return True  # tests use their receivers while they run
        running = self._running.get(id(function))
        if running is None:
            running = self._running[id(function)] = _RunningFacts.of(function)
        start = (site.line, site.col)
        if running.last_blocking > start or name in running.disconnected:
            return True
        if site.target is None:
            return False
        target = ast.dump(site.target)
        if target in running.disconnected_by_key or running.last_send.get(target, _NOWHERE) > start:
            return True
        # `crawler.signals.connect(h, ...)` then `await crawler.crawl()`: a call into the object
        # that owns the signal, after connecting, is what the connection is for (it may send it).
        owner = site.target.value if isinstance(site.target, ast.Attribute) else None
        if owner is None or (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
            return False
        return running.last_call_on.get(ast.dump(owner), _NOWHERE) > start


_NOWHERE = (0, 0)


class _RunningFacts(NamedTuple):
    """What a function does that keeps its local receivers in use, from one walk of its body:
    where it last blocks (an await, an endless loop, a blocking call), the names it disconnects,
    the signals it disconnects by key alone (Django's ``sig.disconnect(dispatch_uid=uid)``), and
    where it last sends each signal expression or calls a method of each object."""

    last_blocking: tuple[int, int]
    disconnected: frozenset[str]
    disconnected_by_key: frozenset[str]  # ast.dump of the signal expression
    last_send: dict[str, tuple[int, int]]
    last_call_on: dict[str, tuple[int, int]]  # ast.dump of the object a method is called on

    @classmethod
    def of(cls, function: ast.AST) -> _RunningFacts:
        last_blocking = _NOWHERE
        disconnected: set[str] = set()
        by_key: set[str] = set()
        last_send: dict[str, tuple[int, int]] = {}
        last_call_on: dict[str, tuple[int, int]] = {}
        awaited: set[int] = set()  # calls judged as awaits, not as blocking calls
        for node in _own_nodes(function):  # a node comes before its children
            where = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
            blocking = isinstance(node, ast.AsyncFor) or (
                isinstance(node, ast.While) and _always_true(node.test)
            )
            if isinstance(node, ast.Await):
                awaited.add(id(node.value))
                blocking = _holds_frame(node.value)
            if isinstance(node, ast.Call):
                callee = _callee_name(node.func)
                if isinstance(node.func, ast.Attribute):
                    on = ast.dump(node.func.value)
                    last_call_on[on] = max(last_call_on.get(on, _NOWHERE), where)
                if callee == "disconnect":
                    values = [*node.args, *(k.value for k in node.keywords if k.arg == "receiver")]
                    disconnected.update(name for arg in values if (name := _mentioned(arg)) is not None)
                    if not values and isinstance(node.func, ast.Attribute):
                        by_key.add(ast.dump(node.func.value))
                elif callee in SEND_METHODS and isinstance(node.func, ast.Attribute):
                    key = ast.dump(node.func.value)
                    last_send[key] = max(last_send.get(key, _NOWHERE), where)
                blocking = blocking or (callee in _BLOCKING_CALLS and id(node) not in awaited)
            if blocking:
                last_blocking = max(last_blocking, where)
        return cls(last_blocking, frozenset(disconnected), frozenset(by_key), last_send, last_call_on)


def _holds_frame(awaited: ast.expr) -> bool:
    """Whether awaiting ``awaited`` may keep the coroutine suspended until the program ends: a
    future, task or event awaited as such, a server's serve_forever(), an event's wait(), or
    gathering any of those."""
    if isinstance(awaited, (ast.Name, ast.Attribute)):
        return True
    if not isinstance(awaited, ast.Call):
        return False
    callee = _callee_name(awaited.func)
    if callee in _GATHERS and any(
        _holds_frame(arg) for arg in awaited.args if not isinstance(arg, ast.Starred)
    ):
        return True
    return callee in _HOLDING_AWAITS


def is_test_name(name: str) -> bool:
    """``test_x`` (pytest, unittest) and private helpers such as ``_test_x``."""
    return name.lstrip("_").startswith("test")


def is_test_module(filename: str) -> bool:
    import os

    base = os.path.basename(filename)
    return base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"


def lost_with_its_instance(cls: ast.ClassDef, scopes: ModuleScopes) -> bool:
    """An instance made for a weak connection (or its bound method) is lost with it: nothing else
    keeps the instance, and it can be weakly referenced at all."""
    return instances_stay_temporary(cls, scopes) and weakly_referenceable(cls, scopes)


def weakly_referenceable(
    cls: ast.ClassDef, scopes: ModuleScopes, _seen: frozenset[int] = frozenset()
) -> bool:
    """False when the class and each of its bases declare ``__slots__`` without ``__weakref__``:
    a weak connection of such an object raises TypeError at connect() (blinker, Django, celery,
    PyDispatcher) or holds it strongly (psygnal); either way it is not silently lost. A base the
    module does not define counts as referenceable (``instances_stay_temporary`` rejects it)."""
    slots = _declared_slots(cls, scopes)
    if slots is None or "__weakref__" in slots or id(cls) in _seen:
        return True
    outer = scopes.scope_containing(cls)
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id == "object" and scopes.resolve("object", outer) is None:
            continue
        base_class = scopes.class_named(base, outer)
        if base_class is None:
            return True
        if weakly_referenceable(base_class, scopes, _seen | {id(cls)}):
            return True
    return False


def _declared_slots(cls: ast.ClassDef, scopes: ModuleScopes) -> frozenset[str] | None:
    """The names a class's ``__slots__`` declares (empty when they cannot be read); None when it
    declares none, so that its instances have a ``__dict__`` and a ``__weakref__``."""
    outer = scopes.scope_containing(cls)
    for decorator in cls.decorator_list:
        if isinstance(decorator, ast.Call) and scopes.qualified_name(decorator.func, outer) in _DATACLASS:
            keywords = {k.arg: k.value for k in decorator.keywords}
            if _is_true(keywords.get("slots")):
                return frozenset({"__weakref__"}) if _is_true(keywords.get("weakref_slot")) else frozenset()
    for statement in cls.body:
        if not isinstance(statement, ast.Assign):
            continue
        if not any(isinstance(t, ast.Name) and t.id == "__slots__" for t in statement.targets):
            continue
        value = statement.value
        items: list[ast.expr | None]
        if isinstance(value, ast.Dict):
            items = list(value.keys)
        elif isinstance(value, (ast.Tuple, ast.List, ast.Set)):
            items = list(value.elts)
        else:
            items = [value]
        names = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
        return frozenset(names) if len(names) == len(items) else frozenset()
    return None


def _is_true(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Constant) and value.value is True


def instances_stay_temporary(
    cls: ast.ClassDef, scopes: ModuleScopes, _seen: frozenset[int] = frozenset()
) -> bool:
    """Whether creating an instance provably leaves no reference to it behind.

    The class, its bases (which must be ``object`` or classes of the same module) and its
    decorators are checked; constructors must use ``self`` only to read or set attributes or to
    call methods that pass the same test. Anything else — a metaclass, a base the module does not
    define, ``registry.append(self)`` — means the instance may outlive the call.
    """
    if id(cls) in _seen or cls.keywords:
        return False
    seen = _seen | {id(cls)}
    class_scope = scopes.scope_of_node.get(id(cls))
    outer = scopes.scope_containing(cls)
    for decorator in cls.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = scopes.qualified_name(target, outer) or ast.unparse(target)
        if name not in _SAFE_CLASS_DECORATORS:
            return False
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id == "object" and scopes.resolve("object", outer) is None:
            continue
        base_class = scopes.class_named(base, outer)
        if base_class is None or not instances_stay_temporary(base_class, scopes, seen):
            return False
    if class_scope is None:
        return False
    methods = _methods(cls)
    checked: set[str] = set()
    pending = [name for name in _CONSTRUCTORS if name in methods]
    while pending:
        name = pending.pop()
        if name in checked:
            continue
        checked.add(name)
        called = _self_uses(methods[name], set(methods))
        if called is None:
            return False
        pending.extend(called)
    return True


def _methods(cls: ast.ClassDef) -> dict[str, FunctionNode]:
    return {node.name: node for node in cls.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _self_uses(method: FunctionNode, method_names: set[str]) -> set[str] | None:
    """The methods a constructor calls on ``self``; None when ``self`` may leak."""
    params = [*method.args.posonlyargs, *method.args.args]
    if not params:
        return None
    this = params[0].arg
    called: set[str] = set()
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(method):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    for node in ast.walk(method):
        if not (isinstance(node, ast.Name) and node.id == this and isinstance(node.ctx, ast.Load)):
            continue
        if _inside_nested_scope(node, method, parents):
            return None  # a closure over self may be stored anywhere
        parent = parents.get(id(node))
        if not isinstance(parent, ast.Attribute):
            if _is_super_call_argument(node, parents):
                continue
            return None
        grandparent = parents.get(id(parent))
        is_call = isinstance(grandparent, ast.Call) and grandparent.func is parent
        if parent.attr in method_names:
            if not is_call:
                return None  # a bound method of self handed out
            called.add(parent.attr)
        elif is_call:
            return None  # calls something self holds, e.g. an inherited method we cannot see
    return called


def _is_super_call_argument(node: ast.Name, parents: dict[int, ast.AST]) -> bool:
    """``super(Cls, self)``: self is passed to super() only to find the next class."""
    parent = parents.get(id(node))
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "super"


def _inside_nested_scope(node: ast.AST, method: ast.AST, parents: dict[int, ast.AST]) -> bool:
    current = parents.get(id(node))
    while current is not None and current is not method:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return True
        current = parents.get(id(current))
    return False


def _is_plain_method(cls: ast.ClassDef, name: str, scopes: ModuleScopes) -> bool:
    """``name`` is an ordinary method: ``Instance().name`` is bound to the instance."""
    method = _methods(cls).get(name)
    if method is None:
        outer = scopes.scope_containing(cls)
        for base in cls.bases:
            base_class = scopes.class_named(base, outer)
            if base_class is not None:
                return _is_plain_method(base_class, name, scopes)
        return False
    # staticmethod, classmethod, property, or a wrapper we cannot follow: not a plain method
    return all(
        isinstance(d, ast.Name) and d.id in ("override", "abstractmethod") for d in method.decorator_list
    )


def _is_fresh_container(binding: Binding, scopes: ModuleScopes, scope: Scope) -> bool:
    value = binding.value
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("list", "dict", "set")
        and not value.args
        and scopes.resolve(value.func.id, scope) is None
    )


def _is_builtin_name(func: ast.expr, scopes: ModuleScopes, scope: Scope) -> bool:
    return isinstance(func, ast.Name) and scopes.resolve(func.id, scope) is None


def _instance_text(class_name: str, local: str | None) -> str:
    return f"'{class_name}' instance '{local}'" if local else f"temporary '{class_name}' instance"


def _is_disconnect_argument(load: ast.AST, parent: ast.AST | None) -> bool:
    return isinstance(parent, ast.Call) and load in parent.args and _callee_name(parent.func) == "disconnect"


def _callee_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _mentioned(expr: ast.expr) -> str | None:
    """``name`` for ``name`` or ``name.attr``: the receiver a disconnect() call is about."""
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _always_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and bool(test.value)


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function's body, not descending into nested functions, lambdas or classes."""
    stack = list(getattr(function, "body", []))
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(child)
