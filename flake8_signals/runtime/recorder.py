"""Record blinker's weak connections and notice when a receiver dies while still connected.

:class:`Recorder` wraps ``blinker.Signal.connect`` and ``blinker.Signal.disconnect`` (which also
covers ``connect_via``, whose decorator calls ``connect``; ``connected_to`` connects strongly and is
therefore never recorded). For every weak connection it keeps:

* a weak reference to the receiver with its own callback (``weakref.WeakMethod`` for bound
  methods, as blinker does), never a strong one;
* the receiver's and the signal's names, as strings;
* the connect site: the first stack frame outside blinker and this package.

When the receiver dies while the connection is still in place (it was not explicitly
disconnected), the callback notes the death. A death is an *orphan* rather than a loss when the
signal or the (weakly referenced) sender had already been freed: nothing could have sent to that
receiver any more, so its death changes nothing.

Importing this module does not import blinker; :meth:`Recorder.install` does.
"""

from __future__ import annotations

import functools
import gc
import inspect
import itertools
import os
import sys
import threading
import weakref
from collections.abc import Callable, Hashable
from contextlib import suppress
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

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
    """Wraps blinker while installed and remembers every weak connection.

    Use as a context manager, or call :meth:`install` and :meth:`uninstall`. Nothing here keeps a
    receiver alive: the recorder holds receivers, signals and senders by weak reference only.

    ``phase`` and ``watch_code`` are free for the caller (the pytest plugin) to set; they are copied
    into each :class:`Death`. ``tag`` is copied into each :class:`Connection`.
    """

    def __init__(self) -> None:
        self.phase: str = ""
        self.tag: Any = None
        self.watch_code: CodeType | None = None
        self._records: dict[int, Connection] = {}
        self._by_key: dict[tuple[int, Hashable], list[Connection]] = {}
        self._counter = itertools.count()
        self._seq = itertools.count(1)
        self._lock = threading.RLock()
        self._active = False
        self._signal_class: type | None = None
        self._originals: dict[str, Any] = {}
        self._wrappers: dict[str, Any] = {}
        self._any: object = object()
        self._internal_dirs: tuple[str, ...] = (_RUNTIME_DIR,)
        self._internal_cache: dict[str, bool] = {}
        self._connect_signature: inspect.Signature | None = None
        self._disconnect_signature: inspect.Signature | None = None

    # -- installing -------------------------------------------------------------------------

    @property
    def installed(self) -> bool:
        return self._active

    def install(self) -> Recorder:
        """Wrap ``blinker.Signal.connect`` and ``disconnect``. Raises ImportError without blinker."""
        if self._active:
            return self
        import blinker

        signal_class = blinker.Signal
        self._signal_class = signal_class
        self._any = blinker.ANY
        blinker_dir = os.path.normcase(os.path.dirname(os.path.abspath(blinker.__file__ or "")))
        self._internal_dirs = (_RUNTIME_DIR, blinker_dir)
        self._internal_cache.clear()
        connect = signal_class.connect
        disconnect = signal_class.disconnect
        self._originals = {"connect": connect, "disconnect": disconnect}
        self._connect_signature = inspect.signature(connect)
        self._disconnect_signature = inspect.signature(disconnect)
        self._wrappers = {
            "connect": self._make_connect_wrapper(connect),
            "disconnect": self._make_disconnect_wrapper(disconnect),
        }
        self._active = True
        for name, wrapper in self._wrappers.items():
            setattr(signal_class, name, wrapper)
        return self

    def uninstall(self) -> None:
        """Put blinker's methods back (when nobody wrapped them again on top of ours)."""
        if not self._active:
            return
        self._active = False
        signal_class = self._signal_class
        if signal_class is None:
            return
        for name, wrapper in self._wrappers.items():
            if signal_class.__dict__.get(name) is wrapper:
                setattr(signal_class, name, self._originals[name])
            # Otherwise someone wrapped ours; our wrapper stays in their chain but is inactive
            # (it only delegates), so their restore puts the original back in place.

    def __enter__(self) -> Recorder:
        return self.install()

    def __exit__(self, *exc_info: object) -> None:
        self.uninstall()

    def _make_connect_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(original)
        def connect(self: Any, receiver: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, receiver, *args, **kwargs)
            if recorder._active:
                # The recorder must never break the program it watches.
                with suppress(Exception):
                    recorder._on_connect(self, receiver, args, kwargs)
            return result

        setattr(connect, _WRAPPER_MARK, True)
        return connect

    def _make_disconnect_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(original)
        def disconnect(self: Any, receiver: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, receiver, *args, **kwargs)
            if recorder._active:
                with suppress(Exception):
                    recorder._on_disconnect(self, receiver, args, kwargs)
            return result

        setattr(disconnect, _WRAPPER_MARK, True)
        return disconnect

    # -- events -----------------------------------------------------------------------------

    def _bind(
        self, signature: inspect.Signature | None, signal: Any, receiver: Any, args: Any, kwargs: Any
    ) -> dict[str, Any] | None:
        if signature is None:
            return None
        try:
            bound = signature.bind(signal, receiver, *args, **kwargs)
        except TypeError:
            return None
        bound.apply_defaults()
        return dict(bound.arguments)

    def _on_connect(self, signal: Any, receiver: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        arguments = self._bind(self._connect_signature, signal, receiver, args, kwargs)
        if arguments is None or not arguments.get("weak", True):
            return
        sender = arguments.get("sender", self._any)
        site = self._find_site()
        with self._lock:
            index = next(self._counter)
            receiver_ref = _make_weak(receiver, functools.partial(self._on_death, index))
            if receiver_ref is None:
                return  # blinker could not have connected it weakly either
            any_sender = sender is self._any
            record = Connection(
                index=index,
                seq=next(self._seq),
                site=site,
                receiver=describe_receiver(receiver),
                signal=_describe_signal(signal),
                sender=_describe_sender(sender, self._any),
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

    def _on_disconnect(
        self, signal: Any, receiver: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        arguments = self._bind(self._disconnect_signature, signal, receiver, args, kwargs)
        if arguments is None:
            return
        sender = arguments.get("sender", self._any)
        sender_key = _ANY_KEY if sender is self._any else _identity_key(sender)
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
        code = self.watch_code
        if code is None:
            return None
        frame: FrameType | None = sys._getframe(1)
        try:
            while frame is not None:
                if frame.f_code is code:
                    return True
                frame = frame.f_back
            return False
        finally:
            del frame

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

    def collect(self, phase: str | None = None) -> None:
        """Run the garbage collector until it finds nothing more (at most a few rounds)."""
        previous = self.phase
        if phase is not None:
            self.phase = phase
        try:
            for _ in range(4):
                if gc.collect() == 0:
                    break
        finally:
            self.phase = previous


def is_wrapped(method: object) -> bool:
    """True for a blinker method currently replaced by a recorder's wrapper."""
    return bool(getattr(method, _WRAPPER_MARK, False))
