"""What the recorder wraps: a library model's runtime hook, with what the recorder needs besides.

The callable every connect of a library goes through, where its receiver and weak flag are, and
the matching disconnect come from the library's model (:class:`~flake8_signals.libraries.model.
RuntimeHook`). The recorder also needs where the sender is passed (to tell a death after the
sender's from a loss, and to match a disconnect), which value means "any sender", and, for a
connect function rather than a method, where the signal is; the models do not declare these
(yet), so :class:`ConnectHook` adds them. Positions never count ``self``, as in the models.

Only blinker is watched so far (:data:`DEFAULT_HOOKS`). Importing this module imports no signal
library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..libraries import blinker as blinker_model
from ..libraries.model import Parameter, RuntimeHook

__all__ = ["BLINKER", "DEFAULT_HOOKS", "MISSING", "ConnectHook", "pick"]

#: Returned by :func:`pick` for an argument the call did not pass.
MISSING: Any = object()


def pick(parameter: Parameter | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The value a call passed for ``parameter`` (``args`` without ``self``), or :data:`MISSING`."""
    if parameter is None:
        return MISSING
    if parameter.name in kwargs:
        return kwargs[parameter.name]
    if parameter.position is not None and parameter.position < len(args):
        return args[parameter.position]
    return MISSING


@dataclass(frozen=True)
class ConnectHook:
    """One library's connect/disconnect callables, as the recorder wraps them.

    ``runtime.attribute`` is ``"Class.method"`` (the signal is the object the method is called
    on) or ``"function"`` (the signal is the argument ``signal``). ``any_sender`` is the dotted
    path of the value that means "every sender"; a call that passes no sender connects to every
    sender. ``internal_packages`` are the packages whose frames are skipped when looking for the
    connect site (the first frame outside the library).
    """

    library: str
    runtime: RuntimeHook
    sender: Parameter | None
    disconnect_sender: Parameter | None
    any_sender: str | None
    internal_packages: tuple[str, ...]
    signal: Parameter | None = None
    disconnect_signal: Parameter | None = None

    @property
    def owner(self) -> str:
        """The dotted path, inside ``runtime.module``, of what holds the connect callable."""
        return self.runtime.attribute.rpartition(".")[0]


def _blinker() -> ConnectHook:
    library = blinker_model.LIBRARY
    (runtime,) = library.runtime_hooks
    (connect,) = (form for form in library.connects if form.method == runtime.attribute.rpartition(".")[2])
    return ConnectHook(
        library=library.key,
        runtime=runtime,
        sender=connect.sender,  # Signal.connect(receiver, sender=ANY, weak=True)
        disconnect_sender=Parameter("sender", 1),  # Signal.disconnect(receiver, sender=ANY)
        any_sender=min(library.any_sender, key=len),  # blinker.ANY
        internal_packages=("blinker",),
    )


BLINKER = _blinker()

DEFAULT_HOOKS: tuple[ConnectHook, ...] = (BLINKER,)
