"""Signals of libraries, known by import path so they are recognised where the library is not installed
(a pre-commit venv has flake8 and this plugin, rarely Flask). ``tests/test_known_signals.py`` checks
this table against the installed libraries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownSignal:
    attribute: str  # the module attribute, e.g. "request_finished"
    name: str  # the name it has in its namespace, e.g. "request-finished"
    modules: tuple[str, ...]  # every module that exposes it
    namespace: str  # whose namespace it lives in, e.g. "flask"
    # The keywords the library sends it with (SIG302); None: not known.
    send_keywords: tuple[str, ...] | None = None


_FLASK_MODULES = ("flask", "flask.signals")
# Flask sends each of these from its own code, always with these keywords and an _async_wrapper
# (flask/app.py, ctx.py, helpers.py, templating.py; checked by tests/test_contracts_runtime.py).
FLASK_SIGNALS = tuple(
    KnownSignal(attribute, attribute.replace("_", "-"), _FLASK_MODULES, "flask", keywords)
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


@dataclass(frozen=True)
class KnownNamespace:
    """A library's private ``Namespace()`` and the signals it declares in it."""

    library: str  # the distribution's name, e.g. "Flask-Login"
    package: str  # its top-level import name, e.g. "flask_login"
    path: str  # the namespace object, e.g. "flask_login.signals._signals"
    signals: tuple[KnownSignal, ...]


def _namespace(library: str, path: str, entries: tuple[tuple[str, str, bool], ...]) -> KnownNamespace:
    """``entries``: (attribute, name, whether the top-level package re-exports it)."""
    package = path.split(".")[0]
    module = path.rsplit(".", 1)[0]
    signals = tuple(
        KnownSignal(
            attribute, name, (package, module) if exported and module != package else (module,), package
        )
        for attribute, name, exported in entries
    )
    return KnownNamespace(library, package, path, signals)


# Regenerated from the installed libraries' source by tests/test_known_namespaces.py (Flask-Login
# 0.6.3, Flask-Principal 0.4.0, Flask-SQLAlchemy 3.1.1, Flask-Security-Too 5.9.2, mongoengine
# 0.29.3, Flask-Mail 0.10.0), which fails when this table drifts from them.
KNOWN_NAMESPACES: tuple[KnownNamespace, ...] = (
    KnownNamespace("Flask", "flask", "flask.signals._signals", FLASK_SIGNALS),
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
    _namespace("Flask-Mail", "flask_mail.signals", (("email_dispatched", "email-dispatched", False),)),
)

KNOWN_SIGNALS: dict[str, KnownSignal] = {
    f"{module}.{known.attribute}": known
    for namespace in KNOWN_NAMESPACES
    for known in namespace.signals
    for module in known.modules
}

# Callables whose result is a blinker signal, by the full name they are imported under.
SIGNAL_FACTORIES = frozenset(
    {
        "blinker.Signal",
        "blinker.base.Signal",
        "blinker.NamedSignal",
        "blinker.base.NamedSignal",
        "blinker.signal",
        "blinker.base.signal",
        "blinker.default_namespace.signal",
        "blinker.base.default_namespace.signal",
    }
)
# Classes whose instances' ``.signal(name)`` returns a blinker signal.
NAMESPACE_CLASSES = frozenset(
    {
        "blinker.Namespace",
        "blinker.base.Namespace",
        "blinker.WeakNamespace",
        "blinker.base.WeakNamespace",
        "flask.signals.Namespace",
    }
)
# Fully qualified names of the classes astroid reports for blinker signals.
SIGNAL_CLASS_QNAMES = frozenset({"blinker.base.Signal", "blinker.base.NamedSignal"})
NAMESPACE_CLASS_QNAMES = frozenset({"blinker.base.Namespace", "blinker.base.WeakNamespace"})

# Top-level packages whose signal objects are their own kind, never blinker's (Django's and
# celery's dispatchers, Qt, PyDispatcher, psygnal), and that never re-export blinker signals:
# an expression imported from one of them is decided "not a blinker signal" without astroid.
NON_BLINKER_PACKAGES = frozenset(
    {
        "django",
        "celery",
        "kombu",
        "scrapy",
        "pydispatch",
        "psygnal",
        "PyQt5",
        "PyQt6",
        "PySide2",
        "PySide6",
        "qtpy",
        "gi",
        "twisted",
        "tornado",
        "sqlalchemy",
        "zope",
    }
)
