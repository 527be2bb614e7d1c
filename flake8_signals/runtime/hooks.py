"""What the recorder wraps: one description per signal library's connect and disconnect callables.

Everything the recorder knows about a library is here: which callables to wrap, at which
argument position (or keyword) the signal, the receiver, the sender and ``weak`` are passed, what
``weak`` defaults to, and which value means "any sender". Only blinker is described so far; other
libraries get a :class:`ConnectHook` of their own (from the library models once they exist)
without changes to :mod:`flake8_signals.runtime.recorder`.

Importing this module imports no signal library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["BLINKER", "DEFAULT_HOOKS", "MISSING", "Argument", "ConnectHook"]

#: Returned by :meth:`Argument.pick` for an argument the call did not pass.
MISSING: Any = object()


@dataclass(frozen=True)
class Argument:
    """Where a call passes one value: its position among the callable's arguments (0 is ``self``
    for a method) or its keyword."""

    position: int
    keyword: str

    def pick(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """The value this call passed, or :data:`MISSING`."""
        if self.position < len(args):
            return args[self.position]
        return kwargs.get(self.keyword, MISSING)


@dataclass(frozen=True)
class ConnectHook:
    """One library's connect/disconnect callables, as the recorder wraps them.

    ``module`` is imported on install; ``owner`` is the dotted attribute path (in ``module``) of
    the object holding the callables (a class for methods; empty for module-level functions).
    ``internal_packages`` are the modules whose frames are skipped when looking for the connect
    site (the first frame outside the library). ``any_sender`` names the attribute of ``module``
    that means "every sender"; a call that passes no sender connects to every sender.
    """

    library: str
    module: str
    owner: str
    connect: str
    disconnect: str | None
    signal: Argument
    receiver: Argument
    sender: Argument | None
    weak: Argument | None
    weak_default: bool
    disconnect_signal: Argument | None
    disconnect_receiver: Argument | None
    disconnect_sender: Argument | None
    any_sender: str | None
    internal_packages: tuple[str, ...]


#: blinker's ``Signal.connect(self, receiver, sender=ANY, weak=True)`` and
#: ``Signal.disconnect(self, receiver, sender=ANY)``. ``connect_via`` calls ``connect``;
#: ``connected_to`` connects with ``weak=False``.
BLINKER = ConnectHook(
    library="blinker",
    module="blinker",
    owner="Signal",
    connect="connect",
    disconnect="disconnect",
    signal=Argument(0, "self"),
    receiver=Argument(1, "receiver"),
    sender=Argument(2, "sender"),
    weak=Argument(3, "weak"),
    weak_default=True,
    disconnect_signal=Argument(0, "self"),
    disconnect_receiver=Argument(1, "receiver"),
    disconnect_sender=Argument(2, "sender"),
    any_sender="ANY",
    internal_packages=("blinker",),
)

DEFAULT_HOOKS: tuple[ConnectHook, ...] = (BLINKER,)
