"""What the analyses need to know about a signal library, as data.

A library is described once, by a :class:`Library` in its own module of this package: how its
signal objects are recognised, how receivers are connected (and which of those connections hold
the receiver weakly), what ``connect`` returns, how signals are sent and how receivers are then
called, and which signals it ships, by import path. The analyses read these declarations and
never name a library themselves.

The records are named tuples, not frozen dataclasses: flake8 imports every plugin before its
first file, and creating a frozen dataclass costs about 1 ms on CPython 3.11 (six methods compiled
from source), a named tuple a tenth of that (``bench/startup.py``). A named tuple equals any tuple
of the same values; no record here is compared with, or kept beside, a record of another kind.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Sequence
from typing import NamedTuple


class ReceiverKind(enum.Enum):
    """What kind of object is connected: decides the rule and whether a library holds it weakly."""

    FUNCTION = "function"  # a def (module level, nested, or a staticmethod/classmethod's function)
    LAMBDA = "lambda"
    PARTIAL = "partial"  # functools.partial(...)
    INSTANCE = "instance"  # a callable instance
    CLOSURE = "closure"  # a function or lambda returned by a factory
    BOUND_METHOD = "bound method"


ALL_KINDS = frozenset(ReceiverKind)


class Binds(enum.Enum):
    """What a connect call gives back, which is what a decorator form binds the function's name to."""

    RECEIVER = "the receiver"
    NOTHING = "None"


class Parameter(NamedTuple):
    """An argument of a connect or send call: its keyword name and, when it may be passed
    positionally, its index among the positional arguments."""

    name: str
    position: int | None = None

    def find(self, call: ast.Call) -> ast.expr | None:
        """The argument ``call`` passes for this parameter, if it is written out."""
        if (
            self.position is not None
            and not _starred_before(call, self.position)
            and len(call.args) > self.position
        ):
            return call.args[self.position]
        return next((k.value for k in call.keywords if k.arg == self.name), None)


def _starred_before(call: ast.Call, position: int) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args[: position + 1])


def hides_arguments(call: ast.Call, up_to: int | None = None) -> bool:
    """Whether ``*args`` (before ``up_to``, if given) or ``**kwargs`` may pass any argument."""
    args = call.args if up_to is None else call.args[: up_to + 1]
    return any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in call.keywords)


class Weakness(NamedTuple):
    """How a connection decides between a weak and a strong reference to its receiver."""

    parameter: Parameter | None  # None: the form has no weak parameter
    default: bool  # weak when the parameter is not passed (or when there is none)
    # Arguments that make the connection strong when true, whatever ``weak`` says (celery's retry).
    strong_when: tuple[Parameter, ...] = ()

    def of(self, call: ast.Call | None) -> bool | None:
        """True (weak), False (strong) or None (the arguments cannot be evaluated); ``call`` is
        None for a bare decorator, which passes the receiver only."""
        if call is None:
            return self.default
        for parameter in self.strong_when:
            if parameter.position is not None and _starred_before(call, parameter.position):
                return None
            value = parameter.find(call)
            if value is not None:
                truth = _literal_truth(value)
                if truth is None:
                    return None
                if truth:
                    return False
        if self.parameter is None:
            return None if self.strong_when and hides_arguments(call) else self.default
        if self.parameter.position is not None and _starred_before(call, self.parameter.position):
            return None
        value = self.parameter.find(call)
        if value is None:
            return None if hides_arguments(call) else self.default
        return _literal_truth(value)


def _literal_truth(value: ast.expr) -> bool | None:
    if isinstance(value, ast.Constant):
        return bool(value.value)
    return None


class ConnectForm(NamedTuple):
    """A call that connects a receiver: ``sig.connect(receiver, ...)`` when ``function`` is None
    (``method`` called on a signal object), or a module-level function such as
    ``pydispatch.dispatcher.connect(receiver, signal, ...)``."""

    method: str  # the attribute called, or the function's own name
    receiver: Parameter | None  # None: a decorator-only method (blinker's connect_via)
    weakness: Weakness
    sender: Parameter | None = None
    # Where the signal is passed when it is an argument rather than the object called.
    signal: Parameter | None = None
    function: frozenset[str] = frozenset()  # qualified names of the function (module-level forms)
    returns: Binds = Binds.RECEIVER  # also what the bare decorator binds the function's name to
    # Usable as ``@sig.connect`` (bare) and as ``@sig.connect(...)`` (called).
    bare_decorator: bool = False
    called_decorator: CalledDecorator | None = None
    # How to connect a decorated function when the bare decorator binds its name to None;
    # ``{signal}`` is the signal's expression.
    bare_decorator_fix: str = ""


class CalledDecorator(NamedTuple):
    """``@sig.<method>(...)``, or ``@<function>(signal, ...)``: arguments without the receiver."""

    weakness: Weakness
    sender: Parameter | None = None
    signal: Parameter | None = None  # function decorators: where the signal (or a list of them) is
    binds: Binds = Binds.RECEIVER


class DecoratorFunction(NamedTuple):
    """A decorator function that connects what it decorates, e.g. Django's ``@receiver(sig)``."""

    qualnames: frozenset[str]
    decorator: CalledDecorator


class CoroutineReceivers(enum.Enum):
    """What happens to an ``async def`` receiver on a plain send."""

    RAISE_WITHOUT_WRAPPER = "raise"  # blinker: send() raises unless given an _async_wrapper
    NEVER_AWAITED = "never awaited"  # the coroutine is created and dropped
    SUPPORTED = "supported"


class ReceiverCall(NamedTuple):
    """How a send calls each receiver: ``receiver(*positional, **keywords, **sent keywords)``."""

    positional: tuple[str, ...]  # what fills the positional arguments, e.g. ("sender",)
    keywords: tuple[str, ...] = ()  # keywords always passed, e.g. ("signal", "sender")
    shown: str = ""  # the call as messages show it, e.g. "receiver(sender, **kwargs)"
    fix: str = ""  # how to make a receiver's signature fit, for SIG301
    coroutines: CoroutineReceivers = CoroutineReceivers.SUPPORTED


class SendForm(NamedTuple):
    """``sig.send(...)``: how the sender and keywords are passed."""

    method: str
    is_async: bool = False
    # The one positional parameter (the sender) and whether it may also be passed by keyword.
    sender: Parameter = Parameter("sender", 0)
    sender_by_keyword: bool = True
    # A keyword that is not sent to receivers but runs coroutine receivers (blinker's _async_wrapper).
    wrapper_keyword: str | None = None


class WeakTarget(enum.Enum):
    """What a weak connection refers to weakly at run time: what must stay alive for it to work."""

    # The object connected; a bound method through ``weakref.WeakMethod`` (its instance and function).
    RECEIVER = "receiver"
    # The callable inside a ``functools.partial``, and the instance of a bound method (also of a
    # builtin one): the partial or method object itself may die without loss (psygnal).
    PARTS = "parts"


class RuntimeDisconnect(NamedTuple):
    """Where a disconnect callable takes its arguments (positions do not count ``self``)."""

    receiver: Parameter
    sender: Parameter | None = None
    signal: Parameter | None = None  # a disconnect function: where the signal is
    key: Parameter | None = None  # what names the connection in place of the receiver
    # True: leaving the sender out (or passing the any-sender value) disconnects the receiver from
    # every sender (blinker); False: only the connection made for every sender.
    any_sender_is_every_sender: bool = False
    # Called with neither receiver nor key, it disconnects every receiver of the signal.
    everything_without_receiver: bool = False


class RuntimeHook(NamedTuple):
    """Where the runtime checks watch connections as they happen: the callable every connect of
    the library goes through (``attribute`` of ``module``: ``"Signal.connect"`` for a method,
    ``"connect"`` for a function), and where its receiver and weak flag are; for a method the
    positions do not count ``self``. ``disconnect`` is the matching callable, receiver first
    unless ``disconnect_arguments`` says otherwise.

    Values are named by import path (``"blinker.base.ANY"``), or ``"None"`` for None.
    """

    module: str
    attribute: str
    receiver: Parameter
    weakness: Weakness
    disconnect: str | None = None
    # Where the sender is passed (None: the library has no senders). Leaving it out, or passing
    # ``any_sender``, connects to every sender.
    sender: Parameter | None = None
    any_sender: str | None = None
    # A connect function: where the signal is, and what leaving it out connects to.
    signal: Parameter | None = None
    any_signal: str | None = None
    # An argument that, when true, names the connection in place of the receiver (Django's
    # dispatch_uid): a connect whose name is already connected for that sender adds nothing.
    key: Parameter | None = None
    disconnect_arguments: RuntimeDisconnect | None = None
    weak_target: WeakTarget = WeakTarget.RECEIVER
    # Modules (or packages) whose frames are the library's plumbing around the connect, besides
    # ``module`` itself: the connect site is the first frame outside them.
    internal_modules: tuple[str, ...] = ()
    # functools caches that connect may fill with the receiver, keeping it alive where the
    # library otherwise would not (Django's DEBUG check): emptied after each watched connect.
    connect_caches: tuple[str, ...] = ()

    def receiver_of(self, args: Sequence[object], kwargs: dict[str, object]) -> object:
        return _runtime_value(self.receiver, args, kwargs, None)

    def weak_at_run_time(self, args: Sequence[object], kwargs: dict[str, object]) -> bool:
        if self.weakness.parameter is None:
            return self.weakness.default
        return bool(_runtime_value(self.weakness.parameter, args, kwargs, self.weakness.default))

    @property
    def disconnect_call(self) -> RuntimeDisconnect:
        """Where the disconnect callable takes its arguments."""
        return self.disconnect_arguments or RuntimeDisconnect(self.receiver)


def _runtime_value(
    parameter: Parameter, args: Sequence[object], kwargs: dict[str, object], default: object
) -> object:
    if parameter.name in kwargs:
        return kwargs[parameter.name]
    if parameter.position is not None and len(args) > parameter.position:
        return args[parameter.position]
    return default


class KnownSignal(NamedTuple):
    """A signal the library (or one built on it) defines at module level, known by import path so
    it is recognised where the library is not installed."""

    attribute: str  # the module attribute, e.g. "request_finished"
    modules: tuple[str, ...]  # every module that exposes it, the public one first
    library: str  # who defines it, as users know it: "Flask", "Django", "Flask-Login"
    name: str | None = None  # its name in a namespace (blinker's named signals)
    namespace: str | None = None  # that namespace's import path, e.g. "flask.signals._signals"
    # The keywords it is always sent with (None: not known), for SIG302.
    send_keywords: tuple[str, ...] | None = None
    # The keywords it is sent with do not include an _async_wrapper-like keyword (SIG303).
    sent_plainly: bool = False
    # The library's release that added it (its distribution's version, e.g. "6.0"): tables cover
    # every supported release, and the tests check an entry only against releases that have it.
    since: str = ""

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(f"{module}.{self.attribute}" for module in self.modules)


class KnownNamespace(NamedTuple):
    """A library's private namespace of named signals and the names it declares there."""

    library: str  # e.g. "Flask-Login"
    path: str  # the namespace object, e.g. "flask_login.signals._signals"
    signals: tuple[KnownSignal, ...]

    @property
    def package(self) -> str:
        return self.path.split(".")[0]


class Namespaces(NamedTuple):
    """Signals made and found by name in a namespace object (SIG2xx)."""

    classes: frozenset[str]  # import paths (and astroid qualified names) of namespace classes
    lookup_method: str  # ns.<lookup_method>("name")
    lookup_returns: str  # astroid qualified name of the class of what a lookup returns
    default_lookups: frozenset[str]  # functions that look a name up in the default namespace
    default_namespace: frozenset[str]  # import paths of the default namespace object itself
    known: tuple[KnownNamespace, ...] = ()


class Library(NamedTuple):
    """One signal library. See the module docstring; each field says what it is used for."""

    name: str  # as users know it, e.g. "Django", "blinker / Flask"
    key: str  # a short identifier, e.g. "django"
    short: str  # how messages name it, e.g. "blinker"
    # Top-level packages whose objects this model describes (their other names are not signals,
    # unless ``known_signals_complete`` is False).
    packages: tuple[str, ...]
    summary: str  # one line for the docs
    # Import paths (and astroid qualified names) of classes whose instances are signals.
    signal_classes: frozenset[str] = frozenset()
    # Other callables returning a signal, e.g. blinker.signal.
    signal_factories: frozenset[str] = frozenset()
    connects: tuple[ConnectForm, ...] = ()
    decorator_functions: tuple[DecoratorFunction, ...] = ()
    # Senders that mean "any sender" (blinker.ANY), besides leaving the sender out.
    any_sender: frozenset[str] = frozenset()
    sends: tuple[SendForm, ...] = ()
    receiver_call: ReceiverCall | None = None  # None: contracts are not judged for this library
    # Receiver kinds held by weak reference by a weak connection (psygnal: methods and instances).
    weakly_held: frozenset[ReceiverKind] = ALL_KINDS
    known_signals: tuple[KnownSignal, ...] = ()
    # Every module-level signal of ``packages`` is in ``known_signals``: anything else imported
    # from them is not a signal (tests/test_library_models.py checks it against the library).
    known_signals_complete: bool = False
    namespaces: Namespaces | None = None
    runtime_hooks: tuple[RuntimeHook, ...] = ()  # for the runtime checks (confirm, pytest, the tests)
    # How messages say that the connection is weak, and how to make it strong.
    weak_phrase: str = "with weak=True"
    strong_fix: str = "pass weak=False"
    # Prose for the library's docs page: what is recognised and what is not.
    recognised: Sequence[str] = ()
    not_recognised: Sequence[str] = ()
    notes: Sequence[str] = ()
    # Per rule code, what that rule's page says of this library (e.g. Django's DEBUG cache).
    rule_notes: tuple[tuple[str, str], ...] = ()

    def connect_forms(self, method: str) -> tuple[ConnectForm, ...]:
        return tuple(f for f in self.connects if not f.function and f.method == method)

    def send_form(self, method: str) -> SendForm | None:
        return next((s for s in self.sends if s.method == method), None)
