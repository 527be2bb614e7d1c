"""blinker, and the signals Flask and the Flask extensions define with it.

blinker: ``Signal.connect(receiver, sender=ANY, weak=True)`` returns the receiver, so the bare
``@sig.connect`` decorator works; ``connect_via(sender, weak=False)`` is a decorator that connects
strongly by default; ``connected_to(receiver, sender=ANY)`` connects strongly for a ``with``
block. ``send(sender=None, /, *, _async_wrapper=None, **kwargs)`` calls ``receiver(sender,
**kwargs)``. Named signals live in a ``Namespace`` (``ns.signal("name")`` creates the name when it
is missing), or in the default namespace (``blinker.signal("name")``).
"""

from __future__ import annotations

from .model import (
    Binds,
    CalledDecorator,
    ConnectForm,
    CoroutineReceivers,
    KnownNamespace,
    KnownSignal,
    Library,
    Namespaces,
    Parameter,
    ReceiverCall,
    RuntimeDisconnect,
    RuntimeHook,
    SendForm,
    Weakness,
)


def _namespace(library: str, path: str, entries: tuple[tuple[str, str, bool], ...]) -> KnownNamespace:
    """``entries``: (attribute, name, whether the top-level package re-exports it)."""
    package = path.split(".")[0]
    module = path.rsplit(".", 1)[0]
    signals = tuple(
        KnownSignal(
            attribute,
            (package, module) if exported and module != package else (module,),
            library,
            name=name,
            namespace=path,
        )
        for attribute, name, exported in entries
    )
    return KnownNamespace(library, path, signals)


# Flask sends each of these from its own code, always with these keywords and an _async_wrapper
# (flask/app.py, ctx.py, helpers.py, templating.py; checked by tests/test_contracts_runtime.py).
FLASK_SIGNALS = tuple(
    KnownSignal(
        attribute,
        ("flask", "flask.signals"),
        "Flask",
        name=attribute.replace("_", "-"),
        namespace="flask.signals._signals",
        send_keywords=keywords,
    )
    for attribute, keywords in (
        ("appcontext_popped", ()),
        ("appcontext_pushed", ()),
        ("appcontext_tearing_down", ("exc",)),
        ("before_render_template", ("template", "context")),
        ("got_request_exception", ("exception",)),
        ("message_flashed", ("message", "category")),
        ("request_finished", ("response",)),
        ("request_started", ()),
        ("request_tearing_down", ("exc",)),
        ("template_rendered", ("template", "context")),
    )
)

# Regenerated from the installed libraries' source by tests/test_known_namespaces.py (Flask-Login
# 0.6.3, Flask-Principal 0.4.0, Flask-SQLAlchemy 3.1.1, Flask-Security-Too 5.9.2, mongoengine
# 0.29.3, Flask-Mail 0.10.0), which fails when this table drifts from them.
KNOWN_NAMESPACES: tuple[KnownNamespace, ...] = (
    KnownNamespace("Flask", "flask.signals._signals", FLASK_SIGNALS),
    _namespace(
        "Flask-Login",
        "flask_login.signals._signals",
        (
            ("user_logged_in", "logged-in", True),
            ("user_logged_out", "logged-out", True),
            ("user_loaded_from_cookie", "loaded-from-cookie", True),
            ("_user_loaded_from_header", "loaded-from-header", False),
            ("user_loaded_from_request", "loaded-from-request", True),
            ("user_login_confirmed", "login-confirmed", True),
            ("user_unauthorized", "unauthorized", True),
            ("user_needs_refresh", "needs-refresh", True),
            ("user_accessed", "accessed", True),
            ("session_protected", "session-protected", True),
        ),
    ),
    _namespace(
        "Flask-Principal",
        "flask_principal.signals",
        (
            ("identity_changed", "identity-changed", False),
            ("identity_loaded", "identity-loaded", False),
        ),
    ),
    _namespace(
        "Flask-SQLAlchemy",
        "flask_sqlalchemy.track_modifications._signals",
        (
            ("models_committed", "models-committed", False),
            ("before_models_committed", "before-models-committed", False),
        ),
    ),
    _namespace(
        "Flask-Security-Too",
        "flask_security.signals.signals",
        (
            ("user_authenticated", "user-authenticated", True),
            ("user_unauthenticated", "user-unauthenticated", True),
            ("user_failed_authn", "user-failed-authn", True),
            ("user_registered", "user-registered", True),
            ("user_not_registered", "user-not-registered", True),
            ("user_confirmed", "user-confirmed", True),
            ("confirm_instructions_sent", "confirm-instructions-sent", True),
            ("login_instructions_sent", "login-instructions-sent", True),
            ("password_reset", "password-reset", True),
            ("password_changed", "password-changed", True),
            ("refresh_tracker_created", "refresh-tracker-created", True),
            ("refresh_tracker_revoked", "refresh-tracker-revoked", True),
            ("reset_password_instructions_sent", "password-reset-instructions-sent", True),
            ("tf_code_confirmed", "tf-code-confirmed", True),
            ("tf_profile_changed", "tf-profile-changed", True),
            ("tf_security_token_sent", "tf-security-token-sent", True),
            ("tf_disabled", "tf-disabled", True),
            ("us_security_token_sent", "us-security-token-sent", True),
            ("us_profile_changed", "us-profile-changed", True),
            ("wan_registered", "wan-registered", True),
            ("wan_deleted", "wan-deleted", True),
            ("change_email_instructions_sent", "change-email-instructions-sent", True),
            ("change_email_confirmed", "change-email", True),
            ("username_recovery_email_sent", "username-recovery-email-sent", True),
            ("username_changed", "username-changed", True),
        ),
    ),
    _namespace(
        "mongoengine",
        "mongoengine.signals._signals",
        (
            ("pre_init", "pre_init", True),
            ("post_init", "post_init", True),
            ("pre_save", "pre_save", True),
            ("pre_save_post_validation", "pre_save_post_validation", True),
            ("post_save", "post_save", True),
            ("pre_delete", "pre_delete", True),
            ("post_delete", "post_delete", True),
            ("pre_bulk_insert", "pre_bulk_insert", False),
            ("post_bulk_insert", "post_bulk_insert", False),
        ),
    ),
    _namespace(
        "Flask-Mail",
        "flask_mail.signals",
        (("email_dispatched", "email-dispatched", False),),
    ),
)

# pelican's signals live in blinker's default namespace (``signal("pelican_initialized")``); pelican
# sends them itself. Checked against the installed pelican (4.12) by tests/test_known_signals.py.
PELICAN_SIGNALS = tuple(
    KnownSignal(
        attribute,
        ("pelican.plugins.signals", "pelican.signals"),
        "pelican",
        name=name,
        namespace="blinker.default_namespace",
    )
    for attribute, name in (
        ("initialized", "pelican_initialized"),
        ("get_generators", "get_generators"),
        ("all_generators_finalized", "all_generators_finalized"),
        ("get_writer", "get_writer"),
        ("finalized", "pelican_finalized"),
        ("readers_init", "readers_init"),
        ("generator_init", "generator_init"),
        ("article_generator_init", "article_generator_init"),
        ("article_generator_pretaxonomy", "article_generator_pretaxonomy"),
        ("article_generator_finalized", "article_generator_finalized"),
        ("article_generator_write_article", "article_generator_write_article"),
        ("article_writer_finalized", "article_writer_finalized"),
        ("page_generator_init", "page_generator_init"),
        ("page_generator_finalized", "page_generator_finalized"),
        ("page_generator_write_page", "page_generator_write_page"),
        ("page_writer_finalized", "page_writer_finalized"),
        ("static_generator_init", "static_generator_init"),
        ("static_generator_finalized", "static_generator_finalized"),
        ("article_generator_preread", "article_generator_preread"),
        ("article_generator_context", "article_generator_context"),
        ("page_generator_preread", "page_generator_preread"),
        ("page_generator_context", "page_generator_context"),
        ("static_generator_preread", "static_generator_preread"),
        ("static_generator_context", "static_generator_context"),
        ("content_object_init", "content_object_init"),
        ("content_written", "content_written"),
        ("feed_generated", "feed_generated"),
        ("feed_written", "feed_written"),
    )
)

_CONNECT = Weakness(Parameter("weak", 2), default=True)
_STRONG = Weakness(None, default=False)

LIBRARY = Library(
    name="blinker / Flask",
    key="blinker",
    short="blinker",
    packages=("blinker", "flask", *sorted({n.package for n in KNOWN_NAMESPACES} - {"flask"}), "pelican"),
    summary="blinker's signals, Flask's built-in signals and the signals of Flask extensions",
    signal_classes=frozenset(
        {"blinker.Signal", "blinker.base.Signal", "blinker.NamedSignal", "blinker.base.NamedSignal"}
    ),
    signal_factories=frozenset(
        {
            "blinker.signal",
            "blinker.base.signal",
            "blinker.default_namespace.signal",
            "blinker.base.default_namespace.signal",
        }
    ),
    connects=(
        ConnectForm(
            "connect",
            receiver=Parameter("receiver", 0),
            weakness=_CONNECT,
            sender=Parameter("sender", 1),
            returns=Binds.RECEIVER,
            bare_decorator=True,
        ),
        ConnectForm(
            "connect_via",
            receiver=None,
            weakness=Weakness(Parameter("weak", 1), default=False),
            called_decorator=CalledDecorator(
                Weakness(Parameter("weak", 1), default=False), sender=Parameter("sender", 0)
            ),
        ),
        *(
            # Strong for the duration of a `with` block.
            ConnectForm(
                method, receiver=Parameter("receiver", 0), weakness=_STRONG, sender=Parameter("sender", 1)
            )
            for method in ("connected_to", "temporarily_connected_to")
        ),
    ),
    any_sender=frozenset({"blinker.ANY", "blinker.base.ANY"}),
    # connect_via and connected_to go through connect() too.
    runtime_hooks=(
        RuntimeHook(
            "blinker.base",
            "Signal.connect",
            Parameter("receiver", 0),
            _CONNECT,
            "Signal.disconnect",
            sender=Parameter("sender", 1),
            any_sender="blinker.base.ANY",
            disconnect_arguments=RuntimeDisconnect(
                Parameter("receiver", 0), sender=Parameter("sender", 1), any_sender_is_every_sender=True
            ),
            internal_modules=("blinker",),
        ),
    ),
    sends=(
        SendForm("send", sender_by_keyword=False, wrapper_keyword="_async_wrapper"),
        SendForm("send_async", is_async=True, sender_by_keyword=False, wrapper_keyword="_sync_wrapper"),
    ),
    receiver_call=ReceiverCall(
        positional=("sender",),
        shown="receiver(sender, **kwargs)",
        fix="give it a first positional parameter for the sender and a default for every other parameter",
        coroutines=CoroutineReceivers.RAISE_WITHOUT_WRAPPER,
    ),
    known_signals=(*(s for namespace in KNOWN_NAMESPACES for s in namespace.signals), *PELICAN_SIGNALS),
    known_signals_complete=True,
    namespaces=Namespaces(
        classes=frozenset(
            {
                "blinker.Namespace",
                "blinker.base.Namespace",
                "blinker.WeakNamespace",
                "blinker.base.WeakNamespace",
                "flask.signals.Namespace",
            }
        ),
        lookup_method="signal",
        lookup_returns="blinker.base.NamedSignal",
        default_lookups=frozenset(
            {
                "blinker.signal",
                "blinker.base.signal",
                "blinker.default_namespace.signal",
                "blinker.base.default_namespace.signal",
            }
        ),
        default_namespace=frozenset({"blinker.default_namespace", "blinker.base.default_namespace"}),
        known=KNOWN_NAMESPACES,
    ),
    recognised=(
        '`Signal()` and `NamedSignal` objects; `blinker.signal("name")`; `ns.signal("name")` on a '
        "`Namespace()` or `WeakNamespace()`; a `self.x` attribute the class sets to one of those.",
        "Signals of other modules of the project, through astroid.",
        "Flask's built-in signals and those of Flask-Login, Flask-Principal, Flask-SQLAlchemy, "
        "Flask-Security-Too, Flask-Mail and mongoengine, by import path: neither the library nor "
        "Flask needs to be installed.",
        "`sig.connect(receiver, sender, weak)`, `@sig.connect`, "
        "`@sig.connect_via(sender, weak=True)`; `connect_via` and `connected_to` are strong by "
        "default and never reported.",
    ),
    not_recognised=(
        "A signal reached through a parameter, a container or any value astroid cannot infer: "
        "the linter stays silent.",
    ),
)
