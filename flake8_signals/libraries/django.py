"""Django's dispatcher (``django.dispatch``).

``Signal.connect(receiver, sender=None, weak=True, dispatch_uid=None)`` returns None, so
``@sig.connect`` binds the function's name to None and ``keep = sig.connect(f)`` keeps nothing;
``dispatch_uid`` does not keep the receiver alive either. ``@receiver(signal or [signals],
**kwargs)`` connects with those keywords and returns the function. ``send(sender, **named)``
calls ``receiver(signal=signal, sender=sender, **named)``, all by keyword.
"""

from __future__ import annotations

from .model import (
    Binds,
    CalledDecorator,
    ConnectForm,
    DecoratorFunction,
    KnownSignal,
    Library,
    Parameter,
    ReceiverCall,
    RuntimeDisconnect,
    RuntimeHook,
    SendForm,
    Weakness,
)


def _signals(module: str, attributes: tuple[str, ...], *also: str) -> tuple[KnownSignal, ...]:
    return tuple(KnownSignal(attribute, (module, *also), "Django") for attribute in attributes)


# tests/test_library_models.py checks this table against the installed Django: every module-level
# Signal of the package, defined where it says and exported where it says.
KNOWN_SIGNALS = (
    *_signals(
        "django.db.models.signals",
        (
            "class_prepared",
            "pre_init",
            "post_init",
            "pre_save",
            "post_save",
            "pre_delete",
            "post_delete",
            "m2m_changed",
            "pre_migrate",
            "post_migrate",
        ),
    ),
    *_signals("django.core.signals", ("request_started", "request_finished", "got_request_exception")),
    KnownSignal("setting_changed", ("django.core.signals", "django.test.signals"), "Django"),
    *_signals("django.test.signals", ("template_rendered",)),
    *(
        KnownSignal(attribute, ("django.contrib.auth.signals", "django.contrib.auth"), "Django")
        for attribute in ("user_logged_in", "user_login_failed", "user_logged_out")
    ),
    *_signals("django.db.backends.signals", ("connection_created",)),
    *_signals("django.utils.autoreload", ("autoreload_started", "file_changed")),
    *(
        KnownSignal(attribute, ("django.tasks.signals",), "Django", since="6.0")
        for attribute in ("task_enqueued", "task_started", "task_finished")
    ),
)

LIBRARY = Library(
    name="Django",
    key="django",
    short="Django",
    packages=("django",),
    summary="Django's signal dispatcher: django.dispatch.Signal, ModelSignal and Django's own signals",
    signal_classes=frozenset(
        {
            "django.dispatch.Signal",
            "django.dispatch.dispatcher.Signal",
            "django.db.models.signals.ModelSignal",
        }
    ),
    connects=(
        ConnectForm(
            "connect",
            receiver=Parameter("receiver", 0),
            weakness=Weakness(Parameter("weak", 2), default=True),
            sender=Parameter("sender", 1),
            returns=Binds.NOTHING,
            bare_decorator=True,
            bare_decorator_fix="decorate it with @receiver({signal}) instead",
        ),
    ),
    decorator_functions=(
        DecoratorFunction(
            frozenset({"django.dispatch.receiver", "django.dispatch.dispatcher.receiver"}),
            CalledDecorator(
                Weakness(Parameter("weak"), default=True),
                sender=Parameter("sender"),
                signal=Parameter("signal", 0),
            ),
        ),
    ),
    sends=(
        SendForm("send"),
        SendForm("send_robust"),
        SendForm("asend", is_async=True),
        SendForm("asend_robust", is_async=True),
    ),
    receiver_call=ReceiverCall(
        positional=(),
        keywords=("signal", "sender"),
        shown="receiver(signal=..., sender=..., **kwargs)",
        fix=(
            "give it **kwargs (or parameters 'signal' and 'sender' and one for every keyword it is "
            "sent), none of them positional-only"
        ),
    ),
    # ModelSignal.connect and @receiver go through Signal.connect (a ModelSignal with a lazy
    # "app_label.Model" sender through the app registry). With DEBUG=True, connect() checks the
    # receiver's parameters through an lru_cache that holds it: emptied after each watched connect,
    # so the runtime checks see what DEBUG=False does.
    runtime_hooks=(
        RuntimeHook(
            "django.dispatch.dispatcher",
            "Signal.connect",
            Parameter("receiver", 0),
            Weakness(Parameter("weak", 2), default=True),
            "Signal.disconnect",
            sender=Parameter("sender", 1),
            any_sender="None",
            key=Parameter("dispatch_uid", 3),
            disconnect_arguments=RuntimeDisconnect(
                Parameter("receiver", 0), sender=Parameter("sender", 1), key=Parameter("dispatch_uid", 2)
            ),
            internal_modules=("django.dispatch", "django.db.models.signals", "django.apps.registry"),
            connect_caches=("django.utils.inspect._get_func_parameters",),
        ),
    ),
    known_signals=KNOWN_SIGNALS,
    known_signals_complete=True,
    recognised=(
        "`django.dispatch.Signal()` and `ModelSignal()` objects, and instances of the project's "
        "subclasses of them (in the same module, or through astroid in other modules).",
        "Django's own signals by import path (`django.db.models.signals.*`, "
        "`django.core.signals.*`, `django.test.signals.*`, `django.contrib.auth.signals.*`, "
        "`django.db.backends.signals.connection_created`, `django.utils.autoreload.*`, Django 6's "
        "`django.tasks.signals.*`): Django "
        "does not need to be installed where flake8 runs.",
        "`sig.connect(receiver, sender, weak, dispatch_uid)`, `@receiver(sig, **kwargs)`, "
        "`@receiver([sig1, sig2], ...)` and `@sig.connect` used as a bare decorator (SIG105).",
    ),
    not_recognised=(
        "Signals reached through a parameter, a container, `apps.get_model(...)` or any value astroid "
        "cannot infer.",
        "`dispatch_uid` is not an escape: it does not keep the receiver alive.",
    ),
    rule_notes=tuple(
        (
            code,
            "Django: with `DEBUG = True`, `Signal.connect()` checks that the receiver accepts "
            "`**kwargs` through an `lru_cache` (512 entries) that holds the function strongly, so a "
            "lost receiver keeps working in development and is lost in production (`DEBUG = False`); "
            "the cache holds functions only, so bound methods of temporary objects (SIG104) are lost "
            "either way. "
            "Run `flake8-signals confirm` or `pytest --signals-check` to see the losses as "
            "production does.",
        )
        for code in ("SIG101", "SIG102", "SIG103", "SIG105")
    ),
)
