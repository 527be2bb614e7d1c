"""psygnal: ``Signal`` descriptors on classes, ``SignalInstance`` on their instances.

``SignalInstance.connect(slot, *, thread=None, check_nargs=None, ...)`` has no weak parameter and
returns the slot (also as ``@sig.connect`` and ``@sig.connect(...)``). Functions, lambdas and
``functools.partial`` objects are held strongly; bound methods and callable instances are held
by weak reference, so a temporary object's method is lost.
"""

from __future__ import annotations

from .model import (
    Binds,
    CalledDecorator,
    ConnectForm,
    Library,
    Parameter,
    ReceiverKind,
    RuntimeDisconnect,
    RuntimeHook,
    Weakness,
    WeakTarget,
)

_ALWAYS = Weakness(None, default=True)
# disconnect() without a slot disconnects every slot.
_DISCONNECT = RuntimeDisconnect(Parameter("slot", 0), everything_without_receiver=True)

LIBRARY = Library(
    name="psygnal",
    key="psygnal",
    short="psygnal",
    packages=("psygnal",),
    summary="psygnal's Signal / SignalInstance (bound methods and callable objects are held weakly)",
    signal_classes=frozenset(
        {
            "psygnal.Signal",
            "psygnal._signal.Signal",
            "psygnal.SignalInstance",
            "psygnal._signal.SignalInstance",
        }
    ),
    connects=(
        ConnectForm(
            "connect",
            receiver=Parameter("slot", 0),
            weakness=_ALWAYS,
            returns=Binds.RECEIVER,
            bare_decorator=True,
            called_decorator=CalledDecorator(_ALWAYS),
        ),
    ),
    weakly_held=frozenset({ReceiverKind.BOUND_METHOD, ReceiverKind.INSTANCE}),
    # The decorator forms call connect() again with the function. psygnal is compiled: its own
    # calls between methods bypass Python attributes, so SignalGroup.connect (which hands the slot
    # to the group's relay inside psygnal) is a hook of its own.
    runtime_hooks=tuple(
        RuntimeHook(
            module,
            f"{owner}.connect",
            Parameter("slot", 0),
            _ALWAYS,
            f"{owner}.disconnect",
            disconnect_arguments=_DISCONNECT,
            weak_target=WeakTarget.PARTS,
        )
        for module, owner in (("psygnal._signal", "SignalInstance"), ("psygnal._group", "SignalGroup"))
    ),
    weak_phrase="by weak reference",
    strong_fix="connect a function that holds the object instead",
    recognised=(
        "`sig = Signal(...)` in a class body, used as `self.sig.connect(...)` in its methods or as "
        "`obj.sig.connect(...)` where `obj = Cls()` is an instance of that class made in the file; "
        "signals of other classes through astroid (psygnal itself is compiled, so astroid often "
        "cannot see inside it).",
        "Bound methods and callable instances of temporary objects (SIG103, SIG104). Functions, "
        "lambdas and `functools.partial` objects are held strongly by psygnal and never reported.",
    ),
    not_recognised=(
        "`SignalGroup` members and `@evented` dataclasses' `events`, unless reached through an "
        "instance of a class of the file that declares the signal.",
        "A signal reached through a parameter.",
    ),
)
