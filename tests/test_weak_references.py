"""Objects that cannot be weakly referenced are never reported as lost (SIG103/SIG104): a weak
connection of one raises TypeError at connect() (blinker, Django, celery, PyDispatcher) or holds it
strongly (psygnal; tests/fixtures/libraries/psygnal/sig1xx_left_alone.py proves that one)."""

from __future__ import annotations

import sys
import textwrap

import pytest
from blinker import Signal

from flake8_signals.api import check_source

HEADER = "from dataclasses import dataclass\nfrom blinker import Signal\norder_paid = Signal()\n"
CONNECTS = "order_paid.connect(Handler())\norder_paid.connect(Handler().on_paid)\n"


def codes(classes: str) -> list[str]:
    source = HEADER + textwrap.dedent(classes) + CONNECTS
    return [f.code for f in check_source(source, "case.py", select=["SIG1"])]


def run(classes: str) -> str:
    """What blinker does with the connections, as the linted code would do it."""
    namespace: dict[str, object] = {}
    exec(HEADER + textwrap.dedent(classes), namespace)  # the test's own code, not linted code
    handler = namespace["Handler"]
    signal = Signal()
    try:
        signal.connect(handler())
        signal.connect(handler().on_paid)
    except TypeError as error:
        return f"TypeError: {error}"
    return "connected"


NO_WEAK_REFERENCES = {
    "slots without __weakref__": """
        class Handler:
            __slots__ = ("channel",)
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
    "slots in the class and in its base": """
        class Base:
            __slots__ = ()
        class Handler(Base):
            __slots__ = {"channel": "where to send"}
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
    "a slotted dataclass": """
        @dataclass(slots=True)
        class Handler:
            channel: str = "email"
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
}
WEAK_REFERENCES = {
    "no slots": """
        class Handler:
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
    "a __weakref__ slot": """
        class Handler:
            __slots__ = ("channel", "__weakref__")
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
    "a base without slots": """
        class Base:
            pass
        class Handler(Base):
            __slots__ = ("channel",)
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
    "a slotted dataclass with a weakref slot": """
        @dataclass(slots=True, weakref_slot=True)
        class Handler:
            channel: str = "email"
            def __call__(self, sender, **extra): pass
            def on_paid(self, sender, **extra): pass
    """,
}


@pytest.mark.parametrize("classes", NO_WEAK_REFERENCES.values(), ids=NO_WEAK_REFERENCES.keys())
def test_not_reported_when_no_weak_reference_can_be_made(classes):
    assert codes(classes) == []
    assert run(classes).startswith("TypeError: cannot create weak reference")


@pytest.mark.parametrize("classes", WEAK_REFERENCES.values(), ids=WEAK_REFERENCES.keys())
def test_reported_when_a_weak_reference_can_be_made(classes):
    if "weakref_slot=True" in classes and sys.version_info < (3, 11):
        pytest.skip("dataclass(weakref_slot=True) is new in Python 3.11")
    assert codes(classes) == ["SIG103", "SIG104"]
    assert run(classes) == "connected"


def test_slots_that_cannot_be_read_are_not_reported():
    assert (
        codes(
            "class Handler:\n    __slots__ = make_slots()\n    def __call__(self, sender): pass\n"
            "    def on_paid(self, sender): pass\n"
        )
        == []
    )
