"""What the recorder wraps: every library model's runtime hooks, as the recorder uses them.

Each library describes its hooks once, in its model (:class:`~flake8_signals.libraries.model.
RuntimeHook`): the callable every connect goes through, where its receiver, weak flag, sender,
signal and key are, the matching disconnect, what it refers to weakly, and which of the library's
modules are plumbing. :class:`ConnectHook` adds the model's name for the library and the receiver
kinds it holds weakly. Positions never count ``self``, as in the models.

Importing this module imports no signal library: :func:`resolve` imports one only when called.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from ..libraries import LIBRARIES
from ..libraries.model import ALL_KINDS, Library, Parameter, ReceiverKind, RuntimeDisconnect, RuntimeHook

__all__ = ["DEFAULT_HOOKS", "MISSING", "ConnectHook", "hooks_of", "pick", "resolve"]

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


def resolve(path: str) -> Any:
    """The value a model names: ``"None"``, or ``module.attribute`` (the module is imported)."""
    if path == "None":
        return None
    module, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class ConnectHook:
    """One connect callable of a library (and its disconnect), as the recorder wraps it.

    ``runtime.attribute`` is ``"Class.method"`` (the signal is the object the method is called
    on) or ``"function"`` (the signal is the argument ``runtime.signal``). ``name`` is how reports
    name the library; ``weakly_held`` are the receiver kinds a weak connection holds weakly.
    """

    library: str
    runtime: RuntimeHook
    name: str = ""
    weakly_held: frozenset[ReceiverKind] = ALL_KINDS

    @property
    def owner(self) -> str:
        """The dotted path, inside ``runtime.module``, of what holds the connect callable."""
        return self.runtime.attribute.rpartition(".")[0]

    @property
    def disconnect(self) -> RuntimeDisconnect:
        return self.runtime.disconnect_call

    @property
    def package(self) -> str:
        """The top-level package to find before anything of the library is imported."""
        return self.runtime.module.partition(".")[0]


def hooks_of(library: Library) -> tuple[ConnectHook, ...]:
    return tuple(
        ConnectHook(library.key, runtime, library.short, library.weakly_held)
        for runtime in library.runtime_hooks
    )


#: Every library model's hooks.
DEFAULT_HOOKS: tuple[ConnectHook, ...] = tuple(hook for library in LIBRARIES for hook in hooks_of(library))
