"""Signal names looked up by string: which lookups get a signal nobody sends or hears?

Works on the linted file's :class:`~.project_index.Lookup` facts and the project index; knows
nothing of messages (see :mod:`flake8_signals.checks.names`). Every verdict needs the whole
project, except SIG203, which compares a declaration with itself.

Namespaces created with ``Namespace()`` (or ``WeakNamespace()``) and the known libraries' own
namespaces are *closed*: their names are the names declared at module level (``x = ns.signal("x")``
or a bare ``ns.signal("x")`` statement) in the module that creates the namespace, plus those
declared at module level elsewhere that are not a near miss of one of those. A namespace the
project hands around (passes to a call, stores, writes to) is *open*: nothing is said about it.
A name that a name built at run time may be (``f"user-{action}"``) is never reported.

blinker's default namespace is different, anyone may add to it. There only a name that the project
connects to but never sends, and that is a near miss of a name it sends or declares, is reported
(SIG201); a name that belongs to another namespace is SIG202; a name connected to and never sent
nor declared anywhere is SIG291 (opt-in).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..boundary import SITE, contained
from .project_index import (
    DEFAULT_NAMESPACES,
    Lookup,
    ModuleFacts,
    NamespaceInfo,
    ProjectIndex,
    SignalIdentity,
    default_namespace_owner,
)
from .similarity import closest_near_miss, declaration_mismatch, did_you_mean, names_near_miss


class Verdict(NamedTuple):
    line: int
    col: int
    code: str
    values: tuple[tuple[str, str], ...]  # the rule's template fields


class NameAnalysis:
    def __init__(self, facts: ModuleFacts, index: ProjectIndex) -> None:
        self.facts = facts
        self.index = index
        self._declared: dict[str, frozenset[str]] = {}
        self._reference: frozenset[str] | None = None

    def verdicts(self) -> Iterator[Verdict]:
        for lookup in self.facts.lookups:
            if lookup.name is None:
                continue
            verdicts: list[Verdict] = []
            with contained(SITE):
                verdicts = list(self._judge(lookup))
            yield from verdicts

    def _judge(self, lookup: Lookup) -> Iterator[Verdict]:
        namespace_id = self.index.namespace_of(lookup.namespace)
        if namespace_id is None:
            return
        if lookup.declared_as:
            verdict = self._mismatch(lookup)
            if verdict is not None:
                yield verdict
        if not self.index.complete:
            return
        if namespace_id in DEFAULT_NAMESPACES:
            verdict = self._default_lookup(lookup, namespace_id) if lookup.form == "call" else None
        else:
            verdict = self._closed_lookup(lookup, namespace_id)
        if verdict is not None:
            yield verdict

    # -- SIG203 -------------------------------------------------------------------------------
    def _mismatch(self, lookup: Lookup) -> Verdict | None:
        assert lookup.name is not None and lookup.declared_as
        variable = lookup.declared_as.rsplit(".", 1)[-1]
        pair = declaration_mismatch(variable, lookup.name)
        if pair is None or lookup.target is None:
            return None
        line, col = lookup.target
        return Verdict(
            line,
            col,
            "SIG203",
            (
                ("variable", variable),
                ("name", lookup.name),
                ("variable_word", pair[0]),
                ("name_word", pair[1]),
            ),
        )

    # -- SIG201 in a closed namespace ---------------------------------------------------------
    def declared(self, info: NamespaceInfo) -> frozenset[str]:
        """The names a closed namespace declares (see the module docstring)."""
        if info.id not in self._declared:
            home = set(info.library_names) if info.library else {d.name for d in info.declarations if d.home}
            elsewhere = {d.name for d in info.declarations if not d.home}
            self._declared[info.id] = frozenset(
                home | {name for name in elsewhere if not any(names_near_miss(name, h) for h in home)}
            )
        return self._declared[info.id]

    def _closed_lookup(self, lookup: Lookup, namespace_id: str) -> Verdict | None:
        name = lookup.name
        assert name is not None
        info = self.index.namespace(namespace_id)
        if info is None or info.open or info.may_be_named(name):
            return None
        declared = self.declared(info)
        if not declared or name in declared:
            return None
        if lookup.declared_as is not None and info.home == self.facts.module:
            return None  # declaring it is what the home module does
        usage = self.index.usage(SignalIdentity("named", namespace_id, name))
        if lookup.form == "item":
            if name in info.created:
                return None  # some .signal() call may have made it before this runs
            consequence = "so this lookup raises KeyError"
        else:
            if (usage.sent or usage.escaped) and (usage.listened or usage.escaped):
                return None  # sent and received under this name: it works, declared or not
            consequence = _consequence(usage.sent, usage.listened)
        return Verdict(
            lookup.line,
            lookup.col,
            "SIG201",
            (
                ("name", name),
                ("namespace", self._describe(info)),
                ("consequence", consequence),
                ("remedy", self._remedy(name, info, declared)),
            ),
        )

    def _remedy(self, name: str, info: NamespaceInfo, declared: frozenset[str]) -> str:
        suggestion = did_you_mean(name, declared)
        if suggestion is not None:
            return f"did you mean '{suggestion}'?"
        for other in sorted(self.index.namespaces(), key=lambda i: i.id):
            if other.id == info.id or other.id in DEFAULT_NAMESPACES or other.open or not self._in_use(other):
                continue
            if name in self.declared(other):
                where = self.index.variable_for(SignalIdentity("named", other.id, name))
                use = self._here(where or _lookup_text(other.id, name))
                return f"it is declared in {self._describe(other)}: use {use}"
        if info.library:
            return f"use one of the signals {info.library} declares"
        if info.home == self.facts.module:
            return "declare it at module level, or use a declared name"
        return (
            f"declare it at module level in {info.home}, or use a declared name"
            if info.home
            else ("use a declared name")
        )

    # -- the default namespace: SIG201, SIG202, SIG291 ----------------------------------------
    def _default_lookup(self, lookup: Lookup, namespace_id: str) -> Verdict | None:
        name = lookup.name
        assert name is not None
        info = self.index.namespace(namespace_id)
        if info is None or info.open or info.may_be_named(name, ("send", "other")):
            return None
        usage = self.index.usage(SignalIdentity("named", namespace_id, name))
        if usage.sent or usage.escaped or name in info.library_sent:
            return None
        owners = self._owners(name)
        if owners:
            return Verdict(
                lookup.line,
                lookup.col,
                "SIG202",
                (
                    ("name", name),
                    ("owner", " and ".join(o for o, _ in owners)),
                    ("real", " or ".join(r for _, r in owners)),
                ),
            )
        if not usage.listened:
            return None  # only declared: nothing is lost yet
        near = closest_near_miss(name, self._default_reference(info) - {name})
        if near is not None:
            return Verdict(
                lookup.line,
                lookup.col,
                "SIG201",
                (
                    ("name", name),
                    ("namespace", f"{default_namespace_owner(namespace_id)}'s default namespace"),
                    ("consequence", "so receivers connected to it are never called"),
                    ("remedy", f"did you mean '{near}'?"),
                ),
            )
        if name not in {d.name for d in info.declarations}:
            return Verdict(lookup.line, lookup.col, "SIG291", (("name", name),))
        return None

    def _default_reference(self, info: NamespaceInfo) -> frozenset[str]:
        """Names of the default namespace that are really in use: sent, or declared at module
        level and not merely connected to."""
        if self._reference is None:
            names = set(info.library_sent)  # sent by a library the project uses
            for declared in {d.name for d in info.declarations} | info.created:
                usage = self.index.usage(SignalIdentity("named", info.id, declared))
                merely_connected = usage.listened and not usage.sent and not usage.escaped
                if usage.sent or (declared in {d.name for d in info.declarations} and not merely_connected):
                    names.add(declared)
            self._reference = frozenset(names)
        return self._reference

    def _owners(self, name: str) -> list[tuple[str, str]]:
        """Who else declares ``name``: (how to call them, what to use instead)."""
        owners = []
        for info in sorted(self.index.namespaces(), key=lambda i: (i.library is None, i.id)):
            if info.id in DEFAULT_NAMESPACES:
                continue
            if info.library:
                if not self._in_use(info) or name not in info.library_names:
                    continue
            elif name not in {d.name for d in info.declarations}:
                continue
            real = self.index.variable_for(SignalIdentity("named", info.id, name))
            owners.append((self._describe(info), self._here(real or _lookup_text(info.id, name))))
        return owners

    def _here(self, qualname: str) -> str:
        """A name as the linted module sees it: its own names without the module prefix."""
        prefix = f"{self.facts.module}."
        return qualname[len(prefix) :] if self.facts.module and qualname.startswith(prefix) else qualname

    def _describe(self, info: NamespaceInfo) -> str:
        if info.library:
            return f"{info.library}'s namespace"
        return f"namespace '{self._here(info.id)}'"

    def _in_use(self, info: NamespaceInfo) -> bool:
        """A library's namespace counts only in a project that imports the library."""
        return info.library is None or info.id.split(".")[0] in self.index.libraries


def _lookup_text(namespace_id: str, name: str) -> str:
    return f"{namespace_id}.signal('{name}')"


def _consequence(sent: bool, listened: bool) -> str:
    if listened and not sent:
        return "so receivers connected to it are never called"
    if sent and not listened:
        return "so no receiver hears what is sent to it"
    return "so this lookup creates a new, unrelated signal"
