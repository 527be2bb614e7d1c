"""What one module says about signals, as the project index records it (see :mod:`.project_index`).

Facts are computed from a module's syntax tree alone; references to other modules stay
unresolved (:data:`Ref`) until every module of the project is known. They hold only plain values
(no syntax tree), so they can be kept between runs (:mod:`.index_cache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, TypeAlias


# -- references: what an expression may name, resolved once every module is known ------------
@dataclass(frozen=True, slots=True)
class Qualified:
    """A dotted name: ``pkg.mod.name``, ``pkg.mod.Cls.attr`` or an imported ``blinker.signal``."""

    name: str


@dataclass(frozen=True, slots=True)
class DefaultNamespace:
    """A library's default namespace (blinker's), by its id."""

    namespace: str


@dataclass(frozen=True, slots=True)
class NamedLookup:
    """The signal a namespace holds under a literal name: ``ns.signal("x")``, ``ns["x"]``."""

    namespace: Ref
    name: str


Ref: TypeAlias = "Qualified | DefaultNamespace | NamedLookup"


# -- what a module-level name is bound to -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MakesNamespace:
    """``ns = Namespace()``: a namespace object of this library."""

    library: str


@dataclass(frozen=True, slots=True)
class MakesSignal:
    """``sig = Signal()``: a signal object of this library."""

    library: str


@dataclass(frozen=True, slots=True)
class Alias:
    """The name holds whatever ``ref`` is (an import, ``x = other.y``, ``x = ns.signal("x")``)."""

    ref: Ref


BindingValue: TypeAlias = "MakesNamespace | MakesSignal | Alias"


@dataclass(frozen=True)
class SignalIdentity:
    kind: str  # "named" | "object"
    namespace: str  # named: qualified name of the namespace; object: defining module
    name: str  # named: the signal's name; object: the variable ("Cls.attr" in a class body)
    library: str = field(default="", compare=False)  # the library model's key

    def __str__(self) -> str:
        if self.kind == "named":
            return f"{self.namespace}.signal({self.name!r})"
        return f"{self.namespace}.{self.name}"


class SendInfo(NamedTuple):
    path: str
    line: int
    keywords: frozenset[str]
    has_double_star: bool
    has_async_wrapper: bool
    is_async: bool
    via: str = "call"  # "call" | "connect" (re-broadcast) | "reference"


class Lookup(NamedTuple):
    """A signal looked up by name: ``ns.signal("x")``, ``blinker.signal("x")`` or ``ns["x"]``."""

    line: int  # where the name is written (the literal), or the call for a name built at run time
    col: int
    namespace: Ref
    name: str | None  # None: built at run time
    pattern: str | None  # names a run-time name can take, as a regular expression (None: known)
    form: str  # "call" | "item"
    module_level: bool  # evaluated on import (module body or a class body in it)
    declared_as: str | None = None  # a module-level declaration: the variable it binds ("" for none)
    target: tuple[int, int] | None = None  # where that variable is written
    usage: str = "other"  # what is done with the result right there: send/listen/neutral/other


class Use(NamedTuple):
    """What is done with a signal or namespace: ``send``, ``listen``, ``escape`` (handed to code
    the index cannot follow), ``store`` (written to) or ``attr:NAME`` (an attribute read)."""

    ref: Ref
    how: str


class Send(NamedTuple):
    ref: Ref
    info: SendInfo


class ModuleFacts(NamedTuple):
    path: str
    module: str
    bindings: tuple[tuple[str, BindingValue], ...]  # module-level names ("Cls.attr" in a class)
    lookups: tuple[Lookup, ...]
    uses: tuple[Use, ...]
    sends: tuple[Send, ...]
    libraries: frozenset[str]


# -- what a reference resolves to ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NamespaceTarget:
    """A namespace, by its id (the qualified name of the object, or a library's default id)."""

    id: str


@dataclass(frozen=True, slots=True)
class LookupFunction:
    """A function that looks names up in a default namespace (``blinker.signal`` itself)."""

    namespace: str


Target: TypeAlias = "NamespaceTarget | SignalIdentity | LookupFunction"
