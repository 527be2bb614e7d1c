"""Record weak signal connections and notice when a receiver dies while still connected.

:class:`Recorder` wraps the connect and disconnect callables that :mod:`.hooks` describes (for
blinker: ``Signal.connect`` and ``Signal.disconnect``, which also covers ``connect_via``, whose
decorator calls ``connect``; ``connected_to`` connects strongly and is therefore never recorded).
Nothing library-specific lives in this module. For every weak connection it keeps:

* a weak reference to the receiver with its own callback (``weakref.WeakMethod`` for bound
  methods, as blinker does), never a strong one;
* the receiver's and the signal's names, as strings;
* the connect site: the first stack frame outside the library and this package.

When the receiver dies while the connection is still in place (it was not explicitly
disconnected), the callback notes the death. A death is an *orphan* rather than a loss when the
signal or the (weakly referenced) sender had already been freed: nothing could have sent to that
receiver any more, so its death changes nothing.

Importing this module does not import blinker; :meth:`Recorder.install` does.

The pytest plugin asks, per test, whether the death of a receiver happened while the test
function was running (``watch_code``): on the thread that runs the test, or on any other thread
(a worker the test started) while the test function is on the test thread's stack.
"""

from __future__ import annotations

import functools
import gc
import importlib
import inspect
import itertools
import os
import sys
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from ..libraries.model import Parameter
from .hooks import DEFAULT_HOOKS, MISSING, ConnectHook, pick

__all__ = ["Connection", "Death", "Recorder", "Site", "describe_receiver"]

#: ``Connection.state`` values.
ALIVE = "alive"
LOST = "lost"
DISCONNECTED = "disconnected"
ORPHANED = "orphaned"

_WRAPPER_MARK = "__flake8_signals_wrapper__"
_RUNTIME_DIR = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))


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
    receiver: str
    signal: str
    sender: str
    tag: Any
    receiver_key: Hashable
    signal_id: int
    sender_key: Hashable
    receiver_ref: weakref.ref[Any] = field(repr=False)
    signal_ref: weakref.ref[Any] | None = field(repr=False)
    sender_ref: weakref.ref[Any] | None = field(repr=False)
    disconnected: bool = False
    death: Death | None = None

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
            "receiver": self.receiver,
            "signal": self.signal,
            "sender": self.sender,
            "state": self.state,
        }


class _AnyKey:
    """Sender key for blinker's ``ANY``."""

    def __repr__(self) -> str:
        return "ANY"


_ANY_KEY = _AnyKey()


def _identity_key(obj: object) -> Hashable:
    """blinker's ``make_id``: bound methods by (function, instance), str/int by value, else id()."""
    if inspect.ismethod(obj):
        return (id(obj.__func__), id(obj.__self__))
    if isinstance(obj, (str, int)):
        return obj
    return id(obj)


def _make_weak(obj: object, callback: Callable[[Any], None] | None = None) -> weakref.ref[Any] | None:
    """A weak reference as blinker makes it, or None when the object does not support one."""
    try:
        if inspect.ismethod(obj):
            return weakref.WeakMethod(obj, callback)
        return weakref.ref(obj, callback)
    except TypeError:
        return None


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


def _describe_signal(signal: object) -> str:
    name = getattr(signal, "name", None)
    if isinstance(name, str):
        return name
    return f"anonymous {type(signal).__qualname__}"


def _describe_sender(sender: object, any_marker: object) -> str:
    if sender is any_marker:
        return "ANY"
    if sender is None or isinstance(sender, (str, int, float, bool)):
        return repr(sender)[:80]
    return f"{type(sender).__qualname__} object"


def _code_name(code: CodeType) -> str:
    return getattr(code, "co_qualname", code.co_name)


class Recorder:
    """Wraps the libraries' connect/disconnect while installed and remembers every weak connection.

    Use as a context manager, or call :meth:`install` and :meth:`uninstall`. Nothing here keeps a
    receiver alive: the recorder holds receivers, signals and senders by weak reference only.

    ``phase``, ``watch_code`` and ``watch_thread`` are free for the caller (the pytest plugin) to
    set; they are copied into each :class:`Death`. ``tag`` is copied into each :class:`Connection`.
    """

    def __init__(self, hooks: Sequence[ConnectHook] = DEFAULT_HOOKS) -> None:
        self.hooks = tuple(hooks)
        self.phase: str = ""
        self.tag: Any = None
        self.watch_code: CodeType | None = None
        self.watch_thread: int | None = None
        self._records: dict[int, Connection] = {}
        self._by_key: dict[tuple[int, Hashable], list[Connection]] = {}
        self._counter = itertools.count()
        self._seq = itertools.count(1)
        self._lock = threading.RLock()
        self._active = False
        # (owner, attribute name, original or MISSING if inherited, wrapper) per callable replaced.
        self._patched: list[tuple[Any, str, Any, Any]] = []
        self._any: dict[ConnectHook, object] = {}
        self._internal_dirs: tuple[str, ...] = (_RUNTIME_DIR,)
        self._internal_cache: dict[str, bool] = {}

    # -- installing -------------------------------------------------------------------------

    @property
    def installed(self) -> bool:
        return self._active

    def install(self) -> Recorder:
        """Wrap every hook's callables. Raises ImportError when no hook's library can be imported."""
        if self._active:
            return self
        error: ImportError | None = None
        internal = [_RUNTIME_DIR]
        for hook in self.hooks:
            runtime = hook.runtime
            try:
                module = importlib.import_module(runtime.module)
                owner = _resolve(module, hook.owner)
                any_marker = object()
                if hook.any_sender:
                    marker_module, _, marker_name = hook.any_sender.rpartition(".")
                    any_marker = getattr(importlib.import_module(marker_module), marker_name)
                connect_name = runtime.attribute.rpartition(".")[2]
                connect = getattr(owner, connect_name)
                disconnect_owner, _, disconnect_name = (runtime.disconnect or "").rpartition(".")
                disconnect = (
                    getattr(_resolve(module, disconnect_owner), disconnect_name) if disconnect_name else None
                )
            except (ImportError, AttributeError) as problem:  # not installed, or another version
                if error is None:
                    error = (
                        problem
                        if isinstance(problem, ImportError)
                        else ImportError(f"{hook.library}: {problem}")
                    )
                continue
            for package in hook.internal_packages:
                internal.extend(_package_dirs(package))
            self._any[hook] = any_marker
            self._patch(owner, connect_name, self._make_connect_wrapper(hook, connect))
            if disconnect is not None:
                self._patch(
                    _resolve(module, disconnect_owner),
                    disconnect_name,
                    self._make_disconnect_wrapper(hook, disconnect),
                )
        if not self._patched:
            raise error or ImportError("no signal library to watch")
        self._internal_dirs = tuple(internal)
        self._internal_cache.clear()
        self._active = True
        return self

    def _patch(self, owner: Any, name: str, wrapper: Any) -> None:
        original = vars(owner).get(name, MISSING)
        self._patched.append((owner, name, original, wrapper))
        setattr(owner, name, wrapper)

    def uninstall(self) -> None:
        """Put the original callables back (where nobody wrapped them again on top of ours)."""
        if not self._active:
            return
        self._active = False
        for owner, name, original, wrapper in reversed(self._patched):
            if vars(owner).get(name) is wrapper:
                if original is MISSING:
                    delattr(owner, name)  # it was inherited
                else:
                    setattr(owner, name, original)
            # Otherwise someone wrapped ours; our wrapper stays in their chain but is inactive
            # (it only delegates), so their restore puts the original back in place.
        self._patched.clear()

    def __enter__(self) -> Recorder:
        return self.install()

    def __exit__(self, *exc_info: object) -> None:
        self.uninstall()

    def _make_connect_wrapper(self, hook: ConnectHook, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(original)
        def connect(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if recorder._active:
                # The recorder must never break the program it watches.
                with suppress(Exception):
                    recorder._on_connect(hook, args, kwargs)
            return result

        setattr(connect, _WRAPPER_MARK, True)
        return connect

    def _make_disconnect_wrapper(self, hook: ConnectHook, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(original)
        def disconnect(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if recorder._active:
                with suppress(Exception):
                    recorder._on_disconnect(hook, args, kwargs)
            return result

        setattr(disconnect, _WRAPPER_MARK, True)
        return disconnect

    # -- events -----------------------------------------------------------------------------

    @staticmethod
    def _split(
        hook: ConnectHook, signal_at: Parameter | None, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Any, tuple[Any, ...]]:
        """The signal and the arguments without ``self`` (the models' positions do not count it)."""
        if hook.owner:  # a method: the signal is the object it is called on
            return (args[0] if args else MISSING), args[1:]
        return pick(signal_at, args, kwargs), args

    def _on_connect(self, hook: ConnectHook, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        signal, args = self._split(hook, hook.signal, args, kwargs)
        receiver = pick(hook.runtime.receiver, args, kwargs)
        if signal is MISSING or receiver is MISSING or not hook.runtime.weak_at_run_time(args, kwargs):
            return
        any_marker = self._any[hook]
        sender = pick(hook.sender, args, kwargs)
        if sender is MISSING:
            sender = any_marker
        site = self._find_site()
        with self._lock:
            index = next(self._counter)
            receiver_ref = _make_weak(receiver, functools.partial(self._on_death, index))
            if receiver_ref is None:
                return  # the library could not have connected it weakly either
            any_sender = sender is any_marker
            record = Connection(
                index=index,
                seq=next(self._seq),
                site=site,
                receiver=describe_receiver(receiver),
                signal=_describe_signal(signal),
                sender=_describe_sender(sender, any_marker),
                tag=self.tag,
                receiver_key=_identity_key(receiver),
                signal_id=id(signal),
                sender_key=_ANY_KEY if any_sender else _identity_key(sender),
                receiver_ref=receiver_ref,
                signal_ref=_make_weak(signal),
                sender_ref=None if any_sender else _make_weak(sender),
            )
            self._records[index] = record
            self._by_key.setdefault((record.signal_id, record.receiver_key), []).append(record)

    def _on_disconnect(self, hook: ConnectHook, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        signal, args = self._split(hook, hook.disconnect_signal, args, kwargs)
        receiver = pick(hook.runtime.receiver, args, kwargs)  # the receiver comes first in both
        if signal is MISSING or receiver is MISSING:
            return
        sender = pick(hook.disconnect_sender, args, kwargs)
        any_sender = sender is MISSING or sender is self._any[hook]
        sender_key = _ANY_KEY if any_sender else _identity_key(sender)
        with self._lock:
            for record in self._by_key.get((id(signal), _identity_key(receiver)), ()):
                if record.disconnected or record.death is not None:
                    continue
                if record.signal_ref is not None and record.signal_ref() is not signal:
                    continue  # an id reused by a new signal
                current = record.receiver_ref()
                if current is None or _identity_key(current) != _identity_key(receiver):
                    continue
                if sender_key is _ANY_KEY or record.sender_key == sender_key:
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
            cached = any(
                normalized == directory or normalized.startswith(directory + os.sep)
                for directory in self._internal_dirs
                if directory
            )
            self._internal_cache[filename] = cached
        return cached

    def _find_site(self) -> Site:
        frame: FrameType | None = sys._getframe(1)
        try:
            while frame is not None and self._is_internal(frame.f_code.co_filename):
                frame = frame.f_back
            if frame is None:
                return Site("<unknown>", 0, "<unknown>")
            filename = frame.f_code.co_filename
            path = filename if filename.startswith("<") else os.path.abspath(filename)
            return Site(path, frame.f_lineno or 0, _code_name(frame.f_code))
        finally:
            del frame

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


def _package_dirs(name: str) -> list[str]:
    """Where an imported package's (or module's) files are, normalised for prefix tests."""
    module = sys.modules.get(name)
    if module is None:
        return []
    paths = list(getattr(module, "__path__", []) or [])
    if not paths and getattr(module, "__file__", None):
        paths = [os.path.dirname(module.__file__ or "")]
    return [os.path.normcase(os.path.abspath(path)) for path in paths]
