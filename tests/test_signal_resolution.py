"""Which library's signal an expression is, decided from the file alone (analysis/signals.py)."""

from __future__ import annotations

import ast

import pytest

from flake8_signals.analysis.scopes import ModuleScopes
from flake8_signals.analysis.signals import UNDECIDED, SignalResolver


def verdict(source: str):
    """The cheap verdict on the last line's expression (astroid is never asked)."""
    tree = ast.parse(source)
    scopes = ModuleScopes(tree, "case")
    expr = tree.body[-1]
    assert isinstance(expr, ast.Expr)
    resolver = SignalResolver(scopes, lambda expr: pytest.fail("astroid was asked"))
    result = resolver.cheap_verdict(expr.value, scopes.module)
    return result.key if result not in (None, UNDECIDED) else result


PSYGNAL_DOCUMENT = "from psygnal import Signal\n\nclass Document:\n    changed = Signal(int)\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (PSYGNAL_DOCUMENT + "document = Document()\ndocument.changed\n", "psygnal"),
        (
            "from blinker import Signal\nclass Cart:\n    def __init__(self):\n"
            "        self.changed = Signal()\ncart = Cart()\ncart.changed\n",
            "blinker",
        ),
        (
            "from psygnal import SignalGroup, Signal\nclass Events(SignalGroup):\n"
            "    saved = Signal()\nevents = Events()\nevents.saved\n",
            "psygnal",
        ),
    ],
)
def test_an_instance_of_a_class_of_the_file_has_its_signals(source, expected):
    assert verdict(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # the name is bound twice: which object it holds is not known
        PSYGNAL_DOCUMENT + "document = Document()\ndocument = object()\ndocument.changed\n",
        # a decorator or a metaclass may make Document() something else
        PSYGNAL_DOCUMENT.replace("class Document", "@register\nclass Document")
        + "document = Document()\ndocument.changed\n",
        PSYGNAL_DOCUMENT.replace("class Document:", "class Document(metaclass=Meta):")
        + "document = Document()\ndocument.changed\n",
        # not a signal of the class
        PSYGNAL_DOCUMENT + "document = Document()\ndocument.title\n",
        # a class the file does not define
        "from shop import Document\ndocument = Document()\ndocument.changed\n",
        # not an instantiation
        PSYGNAL_DOCUMENT + "document = make_document()\ndocument.changed\n",
    ],
)
def test_other_objects_are_left_to_astroid(source):
    assert verdict(source) is UNDECIDED
