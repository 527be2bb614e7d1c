"""Records whose kind is part of their value stay apart from records of another kind with the
same values (docs/development.md, "Records"): the project index keys dictionaries by them, so
none of them may be a named tuple, which equals any tuple of the same values."""

from __future__ import annotations

import pytest

from flake8_signals.analysis.project_facts import (
    Alias,
    DefaultNamespace,
    LookupFunction,
    MakesNamespace,
    MakesSignal,
    NamedLookup,
    NamespaceTarget,
    Qualified,
    SignalIdentity,
)

KINDS = [
    (Qualified("blinker"), ("blinker",)),
    (DefaultNamespace("blinker"), ("blinker",)),
    (NamedLookup(Qualified("ns"), "x"), (Qualified("ns"), "x")),
    (MakesNamespace("blinker"), ("blinker",)),
    (MakesSignal("blinker"), ("blinker",)),
    (Alias(Qualified("x")), (Qualified("x"),)),
    (NamespaceTarget("blinker"), ("blinker",)),
    (LookupFunction("blinker"), ("blinker",)),
    (SignalIdentity("named", "app.ns", "x", "blinker"), ("named", "app.ns", "x", "blinker")),
]


@pytest.mark.parametrize(("record", "values"), KINDS, ids=lambda v: type(v).__name__)
def test_a_record_is_not_the_tuple_of_its_values(record: object, values: tuple[object, ...]) -> None:
    assert record != values
    assert len({record: 1, values: 2}) == 2


def test_references_of_different_kinds_are_different_keys() -> None:
    refs = {Qualified("blinker"), DefaultNamespace("blinker"), NamespaceTarget("blinker")}
    assert len(refs | {LookupFunction("blinker")}) == 4
    assert MakesNamespace("blinker") != MakesSignal("blinker")


def test_a_signal_identity_ignores_its_library_key() -> None:
    assert SignalIdentity("named", "app.ns", "x", "blinker") == SignalIdentity("named", "app.ns", "x")
