"""Libraries whose ``.connect`` is not a weakly held signal receiver: never reported."""

from __future__ import annotations

from .model import Library

LIBRARY = Library(
    name="Other callback APIs",
    key="unrelated",
    short="",
    packages=(
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
        "kombu",
    ),
    summary="Qt, GObject, Twisted, Tornado, SQLAlchemy, zope and kombu: their connect calls are not judged",
    known_signals_complete=True,
    recognised=(
        "Anything imported from these packages is known not to be a weakly held signal, without "
        "astroid: Qt's and GObject's `.connect` hold their slots strongly (or by their own rules), "
        "and the others' `connect` are connections to servers or event systems of their own.",
    ),
)
