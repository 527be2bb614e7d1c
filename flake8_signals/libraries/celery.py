"""celery's signals (``celery.utils.dispatch.Signal``, a fork of Django's dispatcher).

``Signal.connect(receiver, sender=None, weak=True, dispatch_uid=None, retry=False)`` connects at
once when its first argument is callable and returns it; otherwise it returns a decorator, so
``@sig.connect`` and ``@sig.connect(sender=..., weak=...)`` both return the function.
``retry=True`` wraps the receiver in a strongly held retrying proxy. ``send(sender, **named)``
calls ``receiver(signal=signal, sender=sender, **named)``; a coroutine receiver is called and its
coroutine never awaited.
"""

from __future__ import annotations

from .model import (
    Binds,
    CalledDecorator,
    ConnectForm,
    CoroutineReceivers,
    KnownSignal,
    Library,
    Parameter,
    ReceiverCall,
    RuntimeDisconnect,
    RuntimeHook,
    SendForm,
    Weakness,
)

# tests/test_library_models.py checks this table against the installed celery: every module-level
# Signal of the package.
KNOWN_SIGNALS = (
    *(
        KnownSignal(attribute, ("celery.signals",), "celery")
        for attribute in (
            "before_task_publish",
            "after_task_publish",
            "task_received",
            "task_prerun",
            "task_postrun",
            "task_success",
            "task_retry",
            "task_failure",
            "task_internal_error",
            "task_revoked",
            "task_rejected",
            "task_unknown",
            "task_sent",
            "celeryd_init",
            "celeryd_after_setup",
            "import_modules",
            "worker_init",
            "worker_before_create_process",
            "worker_process_init",
            "worker_process_shutdown",
            "worker_ready",
            "worker_shutdown",
            "worker_shutting_down",
            "heartbeat_sent",
            "setup_logging",
            "after_setup_logger",
            "after_setup_task_logger",
            "beat_init",
            "beat_embedded_init",
            "eventlet_pool_started",
            "eventlet_pool_preshutdown",
            "eventlet_pool_postshutdown",
            "eventlet_pool_apply",
            "user_preload_options",
        )
    ),
    *(
        KnownSignal(attribute, ("celery.contrib.testing.worker",), "celery")
        for attribute in ("test_worker_starting", "test_worker_started", "test_worker_stopped")
    ),
)

LIBRARY = Library(
    name="celery",
    key="celery",
    short="celery",
    packages=("celery",),
    summary="celery's signals: celery.signals.* and celery.utils.dispatch.Signal",
    signal_classes=frozenset({"celery.utils.dispatch.Signal", "celery.utils.dispatch.signal.Signal"}),
    connects=(
        ConnectForm(
            "connect",
            receiver=Parameter("receiver", 0),
            weakness=Weakness(Parameter("weak", 2), default=True, strong_when=(Parameter("retry", 4),)),
            sender=Parameter("sender", 1),
            returns=Binds.RECEIVER,
            bare_decorator=True,
            called_decorator=CalledDecorator(
                Weakness(Parameter("weak", 1), default=True, strong_when=(Parameter("retry", 3),)),
                sender=Parameter("sender", 0),
            ),
        ),
    ),
    sends=(SendForm("send"), SendForm("send_robust")),
    receiver_call=ReceiverCall(
        positional=(),
        keywords=("signal", "sender"),
        shown="receiver(signal=..., sender=..., **kwargs)",
        fix=(
            "give it **kwargs (or parameters 'signal' and 'sender' and one for every keyword it is "
            "sent), none of them positional-only"
        ),
        coroutines=CoroutineReceivers.NEVER_AWAITED,
    ),
    # Every form of connect ends in _connect_signal(receiver, sender, weak, dispatch_uid), with
    # weak=False and a retrying wrapper for retry=True.
    runtime_hooks=(
        RuntimeHook(
            "celery.utils.dispatch.signal",
            "Signal._connect_signal",
            Parameter("receiver", 0),
            Weakness(Parameter("weak", 2), default=True),
            "Signal.disconnect",
            sender=Parameter("sender", 1),
            any_sender="None",
            key=Parameter("dispatch_uid", 3),
            disconnect_arguments=RuntimeDisconnect(
                Parameter("receiver", 0), sender=Parameter("sender", 1), key=Parameter("dispatch_uid", 3)
            ),
            internal_modules=("celery.utils.dispatch",),
        ),
    ),
    known_signals=KNOWN_SIGNALS,
    known_signals_complete=True,
    recognised=(
        "celery's own signals by import path (`celery.signals.*`): celery does not need to be "
        "installed where flake8 runs.",
        "`celery.utils.dispatch.Signal()` objects of the project.",
        "`sig.connect(receiver, sender, weak, dispatch_uid, retry)`, `@sig.connect` and "
        "`@sig.connect(sender=..., weak=..., retry=...)`; `retry=True` connects strongly and is "
        "never reported.",
    ),
    not_recognised=("Signals reached through a parameter or any value astroid cannot infer.",),
)
