"""Record weak signal connections and notice when a receiver dies while still connected.

:class:`Recorder` wraps the connect and disconnect callables that each library model declares
(:mod:`.hooks`; for blinker ``Signal.connect`` and ``Signal.disconnect``, which also cover
``connect_via``, whose decorator calls ``connect``; ``connected_to`` connects strongly and is
therefore never recorded). Nothing library-specific lives in this module. A library is wrapped
only once the program imports it: installing imports none, and a library that is not installed
is never looked at. For every weak connection it keeps:

* a weak reference of its own to what the library refers to weakly (the receiver, a bound method
  through ``weakref.WeakMethod``; for a library that holds the parts of a callable, a partial's
  function and a method's instance), never a strong one; receivers of a kind the library holds
  strongly (psygnal's functions) are not recorded;
* the receiver's, the signal's and the sender's names, as strings;
* the connect site: the first stack frame outside the library's plumbing and this package.

When the receiver dies while the connection is still in place (it was not explicitly
disconnected), the callback notes the death. A death is an *orphan* rather than a loss when the
signal or the (weakly referenced) sender had already been freed: nothing could have sent to that
receiver any more, so its death changes nothing.

The pytest plugin asks, per test, whether the death of a receiver happened while the test
function was running (``watch_code``): on the thread that runs the test, or on any other thread
(a worker the test started) while the test function is on the test thread's stack.
"""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.util
import inspect
import itertools
import os
import sys
import threading
import types
import weakref
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from types import CodeType, FrameType, ModuleType
from typing import Any

from ..libraries.model import ALL_KINDS, Parameter, ReceiverKind, WeakTarget
from .hooks import DEFAULT_HOOKS, MISSING, ConnectHook, pick, resolve

__all__ = ["Connection", "Death", "Recorder", "Site", "describe_receiver"]

#: ``Connection.state`` values.
ALIVE = "alive"
LOST = "lost"
DISCONNECTED = "disconnected"
ORPHANED = "orphaned"

_WRAPPER_MARK = "__flake8_signals_wrapper__"
_RUNTIME_DIR = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
#: The "every sender" value of a library without one: nothing a program passes is it.
_NO_SENDER = object()


@dataclass(frozen=True)
class Site:
    """Where ``connect()`` was called from: absolute path, 1-based line, the function's name."""

    path: str
    line: int
    function: str


@dataclass(frozen=True)
class Death:
    """What was true when a still-connected receiver was garbage-collected."""

    seq: int  # position in the recorder's event order (connects and deaths share one counter)
    signal_alive: bool
    sender_alive: bool
    phase: str  # Recorder.phase at the time
    during_watched: bool | None  # Recorder.watch_code was on the stack (None: nothing watched)


@dataclass(eq=False)
class Connection:
    """One weak ``connect()`` call and what became of its receiver."""

    index: int
    seq: int
    site: Site
    library: str  # how reports name the library, e.g. "Django"
    receiver: str
    signal: str
    sender: str
    tag: Any
    identity: Hashable  # the receiver's identity, or ("key", key) for a connection named by a key
    signal_key: Hashable
    sender_key: Hashable
    receiver_ref: weakref.ref[Any] = field(repr=False)
    signal_ref: weakref.ref[Any] | None = field(repr=False)
    sender_ref: weakref.ref[Any] | None = field(repr=False)
    disconnected: bool = False
    death: Death | None = None

    @property
    def connected(self) -> bool:
        """Neither disconnected nor dead (yet)."""
        return not self.disconnected and self.death is None

    @property
    def state(self) -> str:
        """``lost``, ``alive``, ``disconnected`` or ``orphaned`` (see the module docstring)."""
        if self.disconnected:
            return DISCONNECTED
        if self.death is None:
            # A dead referent without a recorded death cannot normally happen (the callback always
            # runs); count it as lost rather than hide it.
            return ALIVE if self.receiver_ref() is not None else LOST
        if not (self.death.signal_alive and self.death.sender_alive):
            return ORPHANED
        return LOST

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (used to send results from the child process)."""
        return {
            "path": self.site.path,
            "line": self.site.line,
            "function": self.site.function,
            "library": self.library,
            "receiver": self.receiver,
            "signal": self.signal,
            "sender": self.sender,
            "state": self.state,
        }


class _AnyKey:
    """Sender key for a connection to every sender."""

    def __repr__(self) -> str:
        return "ANY"


_ANY_KEY = _AnyKey()


def _identity_key(obj: object) -> Hashable:
    """How the libraries tell objects apart: bound methods by (function, instance), str/int by
    value, everything else by id()."""
    if inspect.ismethod(obj):
        return (id(obj.__func__), id(obj.__self__))
    if isinstance(obj, (str, int)):
        return obj
    return id(obj)


def _make_weak(obj: object, callback: Callable[[Any], None] | None = None) -> weakref.ref[Any] | None:
    """A weak reference as the libraries make it, or None when the object does not support one."""
    try:
        if inspect.ismethod(obj):
            return weakref.WeakMethod(obj, callback)
        return weakref.ref(obj, callback)
    except TypeError:
        return None


def _builtin_bound(obj: object) -> bool:
    """A method of a C type bound to an object, such as ``[].append`` (not ``print``)."""
    if not isinstance(obj, (types.BuiltinMethodType, types.MethodWrapperType)):
        return False
    owner = getattr(obj, "__self__", None)
    return owner is not None and not inspect.ismodule(owner)


def receiver_kind(obj: object) -> ReceiverKind | None:
    """The kind of a receiver at run time, as the library models name kinds; None for a callable
    of no such kind (a class, a C-level callable object)."""
    if isinstance(obj, functools.partial):
        return ReceiverKind.PARTIAL
    if inspect.ismethod(obj) or _builtin_bound(obj):
        return ReceiverKind.BOUND_METHOD
    if inspect.isfunction(obj):
        return ReceiverKind.LAMBDA if obj.__name__ == "<lambda>" else ReceiverKind.FUNCTION
    if inspect.isfunction(inspect.getattr_static(type(obj), "__call__", None)):
        return ReceiverKind.INSTANCE
    return None


def _weak_target(receiver: object, how: WeakTarget) -> tuple[object, ReceiverKind | None]:
    """What a weak connection of ``receiver`` refers to weakly, and its kind."""
    target = receiver
    if how is WeakTarget.PARTS:
        if isinstance(target, functools.partial):
            target = target.func
        if _builtin_bound(target):
            return getattr(target, "__self__", None), ReceiverKind.BOUND_METHOD
    return target, receiver_kind(target)


def _held_weakly(kind: ReceiverKind | None, weakly_held: frozenset[ReceiverKind]) -> bool:
    # A callable of no known kind is held weakly only by a library that holds every kind weakly.
    return weakly_held == ALL_KINDS if kind is None else kind in weakly_held


def describe_receiver(receiver: object) -> str:
    """A readable name for a receiver: qualified name, bound method, partial, instance."""
    try:
        if inspect.ismethod(receiver):
            return f"bound method {receiver.__func__.__qualname__}"
        if isinstance(receiver, functools.partial):
            return f"partial({describe_receiver(receiver.func)})"
        if inspect.isbuiltin(receiver):
            owner = getattr(receiver, "__self__", None)
            if owner is not None and not inspect.ismodule(owner):
                return f"bound builtin {type(owner).__qualname__}.{receiver.__name__}"
            return f"builtin {receiver.__name__}"
        qualname = getattr(receiver, "__qualname__", None)
        if isinstance(qualname, str) and (inspect.isfunction(receiver) or inspect.isclass(receiver)):
            return qualname
        return f"{type(receiver).__qualname__} instance"
    except Exception:
        return f"{type(receiver).__qualname__} object"


def _name_in(namespace: dict[str, Any], obj: object) -> str | None:
    """The name ``obj`` has in a module's globals, or as ``module.attribute`` of a module there."""
    entries = list(namespace.items())
    for name, value in entries:
        if value is obj:
            return name
    for name, value in entries:
        if isinstance(value, ModuleType):
            for attribute, member in list(vars(value).items()):
                if member is obj:
                    return f"{name}.{attribute}"
    return None


def _describe_signal(signal: object, any_signal: object, namespace: dict[str, Any] | None) -> str:
    """The signal's own name; else the string it is; else its name where connect was called."""
    if signal is any_signal:
        return "ANY"
    try:
        name = getattr(signal, "name", None)
        if isinstance(name, str) and name:
            return name
        if isinstance(signal, str):
            return signal
        found = _name_in(namespace, signal) if namespace is not None else None
    except Exception:  # a signal object with an odd __getattr__: still worth recording
        found = None
    return found or f"anonymous {type(signal).__qualname__}"


def _describe_sender(sender: object, any_marker: object) -> str:
    if sender is any_marker:
        return "ANY"
    if sender is None or isinstance(sender, (str, int, float, bool)):
        return repr(sender)[:80]
    if inspect.isclass(sender):
        return f"class {sender.__qualname__}"
    return f"{type(sender).__qualname__} object"


def _code_name(code: CodeType) -> str:
    return getattr(code, "co_qualname", code.co_name)


@dataclass(frozen=True)
class _Hooked:
    """What a hook's library gave once it was imported."""

    any_sender: object
    any_signal: object
    caches: tuple[Any, ...]  # functools caches to empty after each connect


class Recorder:
    """Wraps the libraries' connect/disconnect while installed and remembers every weak connection.

    Use as a context manager, or call :meth:`install` and :meth:`uninstall`. Nothing here keeps a
    receiver alive: the recorder holds receivers, signals and senders by weak reference only.

    ``phase``, ``watch_code`` and ``watch_thread`` are free for the caller (the pytest plugin) to
    set; they are copied into each :class:`Death`. ``tag`` is copied into each :class:`Connection`.
    ``problems`` lists the hooks that could not be wrapped (another version of their library).
    """

    def __init__(self, hooks: Sequence[ConnectHook] = DEFAULT_HOOKS) -> None:
        self.hooks = tuple(hooks)
        self.phase: str = ""
        self.tag: Any = None
        self.watch_code: CodeType | None = None
        self.watch_thread: int | None = None
        self.problems: list[str] = []
        self._records: dict[int, Connection] = {}
        self._by_key: dict[tuple[Hashable, Hashable], list[Connection]] = {}
        self._counter = itertools.count()
        self._seq = itertools.count(1)
        self._lock = threading.RLock()
        self._active = False
        # (owner, attribute name, original or MISSING if inherited, wrapper) per callable replaced.
        self._patched: list[tuple[Any, str, Any, Any]] = []
        # Hooks whose module the program has not imported yet, by module name.
        self._waiting: dict[str, list[ConnectHook]] = {}
        self._watcher: _AfterImport | None = None
        self._internal_dirs: tuple[str, ...] = (_RUNTIME_DIR,)
        self._internal_files: frozenset[str] = frozenset()
        self._internal_cache: dict[str, bool] = {}

    # -- installing -------------------------------------------------------------------------

    @property
    def installed(self) -> bool:
        return self._active

    def install(self) -> Recorder:
        """Wrap every hook whose library is installed: now if the program has imported it, else as
        soon as it does. Imports no library. Raises ImportError when none is installed."""
        if self._active:
            return self
        present = [hook for hook in self.hooks if _installed(hook.package)]
        if not present:
            packages = sorted({hook.package for hook in self.hooks})
            raise ImportError(f"none of the signal libraries is installed ({', '.join(packages)})")
        with self._lock:
            self._active = True
            self.problems.clear()
            self._waiting = {}
            for hook in present:
                self._waiting.setdefault(hook.runtime.module, []).append(hook)
            # Each hook's module and the packages it is in ("django", "django.dispatch", ...).
            watched = frozenset(
                ".".join(parts[:end])
                for parts in (name.split(".") for name in self._waiting)
                for end in range(1, len(parts) + 1)
            )
            self._watcher = _AfterImport(watched, self._on_import)
            sys.meta_path.insert(0, self._watcher)
            self._on_import()
        return self

    def _on_import(self, executed: str = "") -> None:
        """A hook's module or one of its packages (``executed``) has just run: wrap the callables
        of every hook whose module is now there. (A compiled package, such as psygnal built with
        mypyc, puts its modules in ``sys.modules`` without the import system when it is imported.)"""
        with self._lock:
            if not self._active:
                return
            for name in list(self._waiting):
                module = sys.modules.get(name)
                running = getattr(getattr(module, "__spec__", None), "_initializing", False)
                if module is None or (running and name != executed):
                    continue  # not there, or still running: handled once its own import is done
                for hook in self._waiting.pop(name):
                    try:
                        self._hook_up(hook, module)
                    except Exception as problem:  # another version of the library: not watched
                        self.problems.append(f"{hook.library}: {type(problem).__name__}: {problem}")

    def _hook_up(self, hook: ConnectHook, module: ModuleType) -> None:
        runtime = hook.runtime
        owner = _resolve(module, hook.owner)
        connect_name = runtime.attribute.rpartition(".")[2]
        connect = getattr(owner, connect_name)
        disconnect_owner: Any = None
        disconnect_name = ""
        if runtime.disconnect:
            owner_path, _, disconnect_name = runtime.disconnect.rpartition(".")
            disconnect_owner = _resolve(module, owner_path)
        disconnect = getattr(disconnect_owner, disconnect_name) if disconnect_name else None
        caches = []
        for path in runtime.connect_caches:
            with suppress(Exception):  # without it, DEBUG-only survivors are simply not seen
                cache = resolve(path)
                if callable(getattr(cache, "cache_clear", None)):
                    caches.append(cache)
        hooked = _Hooked(
            any_sender=resolve(runtime.any_sender) if runtime.any_sender else _NO_SENDER,
            any_signal=resolve(runtime.any_signal) if runtime.any_signal else MISSING,
            caches=tuple(caches),
        )
        self._patch(owner, connect_name, self._make_connect_wrapper(hook, hooked, connect))
        if disconnect is not None:
            self._patch(
                disconnect_owner, disconnect_name, self._make_disconnect_wrapper(hook, hooked, disconnect)
            )
        dirs, files = _locations(runtime.internal_modules)
        self._internal_dirs = (*self._internal_dirs, *dirs)
        self._internal_files = self._internal_files | files
        self._internal_cache = {}

    def _patch(self, owner: Any, name: str, wrapper: Any) -> None:
        original = vars(owner).get(name, MISSING)
        self._patched.append((owner, name, original, wrapper))
        setattr(owner, name, wrapper)

    def uninstall(self) -> None:
        """Put the original callables back (where nobody wrapped them again on top of ours)."""
        with self._lock:
            if not self._active:
                return
            self._active = False
            if self._watcher is not None:
                with suppress(ValueError):
                    sys.meta_path.remove(self._watcher)
                self._watcher = None
            self._waiting = {}
            for owner, name, original, wrapper in reversed(self._patched):
                if vars(owner).get(name) is wrapper:
                    if original is MISSING:
                        delattr(owner, name)  # it was inherited
                    else:
                        setattr(owner, name, original)
                # Otherwise someone wrapped ours; our wrapper stays in their chain but is inactive
                # (it only delegates), so their restore puts the original back in place.
            self._patched.clear()
            self._internal_dirs = (_RUNTIME_DIR,)
            self._internal_files = frozenset()
            self._internal_cache = {}

    def __enter__(self) -> Recorder:
        return self.install()

    def __exit__(self, *exc_info: object) -> None:
        self.uninstall()

    def _make_connect_wrapper(
        self, hook: ConnectHook, hooked: _Hooked, original: Callable[..., Any]
    ) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(original)
        def connect(*args: Any, **kwargs: Any) -> Any:
            try:
                result = original(*args, **kwargs)
            finally:
                if recorder._active:
                    for cache in hooked.caches:
                        with suppress(Exception):
                            cache.cache_clear()
            if recorder._active:
                # The recorder must never break the program it watches.
                with suppress(Exception):
                    recorder._on_connect(hook, hooked, args, kwargs)
            return result

        setattr(connect, _WRAPPER_MARK, True)
        return connect

    def _make_disconnect_wrapper(
        self, hook: ConnectHook, hooked: _Hooked, original: Callable[..., Any]
    ) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(original)
        def disconnect(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if recorder._active:
                with suppress(Exception):
                    recorder._on_disconnect(hook, hooked, args, kwargs)
            return result

        setattr(disconnect, _WRAPPER_MARK, True)
        return disconnect

    # -- events -----------------------------------------------------------------------------

    @staticmethod
    def _split(
        hook: ConnectHook,
        signal_at: Parameter | None,
        any_signal: object,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> tuple[Any, tuple[Any, ...]]:
        """The signal and the arguments without ``self`` (the models' positions do not count it)."""
        if hook.owner:  # a method: the signal is the object it is called on
            return (args[0] if args else MISSING), args[1:]
        signal = pick(signal_at, args, kwargs)
        return (any_signal if signal is MISSING else signal), args

    @staticmethod
    def _key(parameter: Parameter | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
        """The connection's key when the call names it by one (a true value), else None."""
        key = pick(parameter, args, kwargs)
        return ("key", key) if key is not MISSING and key else None

    def _on_connect(
        self, hook: ConnectHook, hooked: _Hooked, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        runtime = hook.runtime
        signal, args = self._split(hook, runtime.signal, hooked.any_signal, args, kwargs)
        receiver = pick(runtime.receiver, args, kwargs)
        if signal is MISSING or receiver is MISSING or receiver is None:
            return
        if not runtime.weak_at_run_time(args, kwargs):
            return
        target, kind = _weak_target(receiver, runtime.weak_target)
        if not _held_weakly(kind, hook.weakly_held):
            return  # the library holds this kind strongly
        sender = pick(runtime.sender, args, kwargs)
        if sender is MISSING:
            sender = hooked.any_sender
        key = self._key(runtime.key, args, kwargs)
        frame = self._site_frame()
        try:
            site = _site_of(frame)
            signal_name = _describe_signal(
                signal, hooked.any_signal, frame.f_globals if frame is not None else None
            )
        finally:
            del frame
        with self._lock:
            index = next(self._counter)
            receiver_ref = _make_weak(target, functools.partial(self._on_death, index))
            if receiver_ref is None:
                return  # the library could not have connected it weakly either
            any_sender = sender is hooked.any_sender
            signal_key = _identity_key(signal)
            sender_key = _ANY_KEY if any_sender else _identity_key(sender)
            identity = key if key is not None else _identity_key(target)
            bucket = self._by_key.setdefault((signal_key, identity), [])
            # A key already connected for this sender: the library adds nothing (Django's dispatch_uid).
            taken = key is not None and any(
                record.connected and record.sender_key == sender_key and _same_signal(record, signal)
                for record in bucket
            )
            record = Connection(
                index=index,
                seq=next(self._seq),
                site=site,
                library=hook.name or hook.library,
                receiver=describe_receiver(receiver),
                signal=signal_name,
                sender=_describe_sender(sender, hooked.any_sender),
                tag=self.tag,
                identity=identity,
                signal_key=signal_key,
                sender_key=sender_key,
                receiver_ref=receiver_ref,
                signal_ref=_make_weak(signal),
                sender_ref=None if any_sender else _make_weak(sender),
                disconnected=taken,
            )
            self._records[index] = record
            bucket.append(record)

    def _on_disconnect(
        self, hook: ConnectHook, hooked: _Hooked, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        call = hook.disconnect
        signal, args = self._split(hook, call.signal, hooked.any_signal, args, kwargs)
        if signal is MISSING:
            return
        signal_key = _identity_key(signal)
        sender = pick(call.sender, args, kwargs)
        any_sender = sender is MISSING or sender is hooked.any_sender
        every_sender = any_sender and call.any_sender_is_every_sender
        sender_key = _ANY_KEY if any_sender else _identity_key(sender)
        key = self._key(call.key, args, kwargs)
        receiver = pick(call.receiver, args, kwargs)
        with self._lock:
            candidates: Iterable[Connection]
            if key is not None:
                candidates = self._by_key.get((signal_key, key), ())
            elif receiver is MISSING or receiver is None:
                if not call.everything_without_receiver:
                    return
                candidates = [r for r in self._records.values() if r.signal_key == signal_key]
                every_sender = True
            else:
                identity = _identity_key(_weak_target(receiver, hook.runtime.weak_target)[0])
                candidates = [
                    record
                    for record in self._by_key.get((signal_key, identity), ())
                    if (current := record.receiver_ref()) is not None and _identity_key(current) == identity
                ]
            for record in candidates:
                if not record.connected or not _same_signal(record, signal):
                    continue
                if every_sender or record.sender_key == sender_key:
                    record.disconnected = True

    def _on_death(self, index: int, _ref: object) -> None:
        try:
            record = self._records.get(index)
            if record is None or record.disconnected or record.death is not None:
                return
            record.death = Death(
                seq=next(self._seq),
                signal_alive=record.signal_ref is None or record.signal_ref() is not None,
                sender_alive=record.sender_ref is None or record.sender_ref() is not None,
                phase=self.phase,
                during_watched=self._watched_on_stack(),
            )
        except Exception:
            pass

    # -- stack inspection -------------------------------------------------------------------

    def _is_internal(self, filename: str) -> bool:
        cached = self._internal_cache.get(filename)
        if cached is None:
            normalized = os.path.normcase(os.path.abspath(filename))
            cached = normalized in self._internal_files or any(
                normalized == directory or normalized.startswith(directory + os.sep)
                for directory in self._internal_dirs
                if directory
            )
            self._internal_cache[filename] = cached
        return cached

    def _site_frame(self) -> FrameType | None:
        """The first frame outside the libraries' plumbing and this package."""
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and self._is_internal(frame.f_code.co_filename):
            frame = frame.f_back
        return frame

    def _watched_on_stack(self) -> bool | None:
        """Whether ``watch_code`` is running: on this thread, or on ``watch_thread``."""
        code = self.watch_code
        if code is None:
            return None
        if _runs(sys._getframe(1), code):
            return True
        thread = self.watch_thread
        if thread is None or thread == threading.get_ident():
            return False
        # Another thread (one the test started) is where the receiver died: the test thread is
        # paused somewhere while this runs, so its stack can be read as it is.
        return _runs(sys._current_frames().get(thread), code)

    # -- results ----------------------------------------------------------------------------

    def connections(self, since_seq: int = 0) -> list[Connection]:
        """Weak connections recorded so far (after ``since_seq``), in connect order."""
        with self._lock:
            return [record for record in self._records.values() if record.seq > since_seq]

    def lost(self, since_seq: int = 0) -> list[Connection]:
        """Connections whose receiver died while still connected (orphans excluded)."""
        return [record for record in self.connections(since_seq) if record.state == LOST]

    def mark(self) -> int:
        """A position in the event order; pass it to :meth:`connections` as ``since_seq``."""
        with self._lock:
            return next(self._seq)

    def forget(self) -> None:
        """Drop every record (and its weak references, so no more callbacks arrive for them)."""
        with self._lock:
            self._records.clear()
            self._by_key.clear()

    def pending(self, since_seq: int = 0) -> list[Connection]:
        """Connections (after ``since_seq``) whose receiver is alive and still connected: the
        only ones a garbage collection could still turn into losses."""
        with self._lock:
            return [
                record
                for record in self._records.values()
                if record.seq > since_seq and not record.disconnected and record.death is None
            ]

    def collect(self, phase: str | None = None, until: Callable[[], bool] | None = None) -> None:
        """Run the garbage collector until it finds nothing more (at most a few rounds), or until
        ``until()`` is true after a round."""
        previous = self.phase
        if phase is not None:
            self.phase = phase
        try:
            for _ in range(4):
                if gc.collect() == 0 or (until is not None and until()):
                    break
        finally:
            self.phase = previous


def is_wrapped(method: object) -> bool:
    """True for a library callable currently replaced by a recorder's wrapper."""
    return bool(getattr(method, _WRAPPER_MARK, False))


def _runs(frame: FrameType | None, code: CodeType) -> bool:
    """Whether ``code`` is running in ``frame`` or one of its callers."""
    try:
        while frame is not None:
            if frame.f_code is code:
                return True
            frame = frame.f_back
        return False
    finally:
        del frame


def _resolve(module: Any, path: str) -> Any:
    """``module`` itself for an empty ``path``, else the object at that dotted path inside it."""
    owner = module
    for part in filter(None, path.split(".")):
        owner = getattr(owner, part)
    return owner


def _same_signal(record: Connection, signal: object) -> bool:
    """Not another signal that got the id of the record's dead one."""
    return record.signal_ref is None or record.signal_ref() is signal


def _site_of(frame: FrameType | None) -> Site:
    if frame is None:
        return Site("<unknown>", 0, "<unknown>")
    filename = frame.f_code.co_filename
    path = filename if filename.startswith("<") else os.path.abspath(filename)
    return Site(path, frame.f_lineno or 0, _code_name(frame.f_code))


def _installed(package: str) -> bool:
    """Whether a top-level package is imported or can be (finding it imports nothing)."""
    if package in sys.modules:
        return True
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def _locations(names: Iterable[str]) -> tuple[list[str], frozenset[str]]:
    """The directories of packages and the files of modules with these names, normalised for
    prefix tests, found without importing them."""
    dirs: list[str] = []
    files: set[str] = set()
    for name in names:
        module = sys.modules.get(name)
        if module is not None:
            paths = list(getattr(module, "__path__", None) or [])
            if paths:
                dirs.extend(paths)
            elif getattr(module, "__file__", None):
                files.add(module.__file__ or "")
            continue
        top, _, rest = name.partition(".")
        try:
            spec = importlib.util.find_spec(top)  # top-level: imports nothing
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        if not spec.submodule_search_locations:
            if not rest and spec.origin:
                files.add(spec.origin)
            continue
        for root in spec.submodule_search_locations:
            base = os.path.join(root, *rest.split(".")) if rest else root
            if os.path.isdir(base):
                dirs.append(base)
            elif os.path.isfile(base + ".py"):
                files.add(base + ".py")
    return (
        [os.path.normcase(os.path.abspath(path)) for path in dirs],
        frozenset(os.path.normcase(os.path.abspath(path)) for path in files),
    )


class _AfterImport:
    """A ``sys.meta_path`` finder that lets the usual finders find the modules named in ``watched``
    and calls ``then(name)`` right after each has been executed, before the importer gets it."""

    def __init__(self, watched: frozenset[str], then: Callable[[str], None]) -> None:
        self._watched = watched
        self._then = then

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if fullname not in self._watched:
            return None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is not None and hasattr(loader, "exec_module"):
            spec.loader = _ThenLoader(loader, self._then)
        return spec

    def invalidate_caches(self) -> None:
        pass


class _ThenLoader:
    """Runs a module with its own loader, puts that loader back in its place, then calls ``then``."""

    def __init__(self, loader: Any, then: Callable[[str], None]) -> None:
        self._loader = loader
        self._then = then

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self._loader
        spec = getattr(module, "__spec__", None)
        if spec is not None:
            spec.loader = self._loader
        self._loader.exec_module(module)
        self._then(module.__name__)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)
