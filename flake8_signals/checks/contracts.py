"""SIG301-SIG304: receivers and sends that do not fit how their library calls receivers."""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..analysis.connect_sites import ConnectSite
from ..analysis.connections import bind
from ..analysis.contracts import (
    SEND_METHODS,
    Bound,
    ContractAnalysis,
    ReceiverSite,
    ReceiverVerdict,
    SendCall,
    SendContract,
    SentBy,
    sends_from_index,
)
from ..analysis.expectations import expects_failure
from ..analysis.scopes import Scope
from ..analysis.signals import SignalResolver
from ..boundary import SITE, contained
from ..findings import Finding
from ..libraries import has_connect_text, library_named
from ..libraries.model import Binds, Library, ReceiverCall
from ..rules import RULES

if TYPE_CHECKING:
    from ..context import FileContext

_RECEIVER_CODES = frozenset({"SIG301", "SIG302", "SIG303"})
_SHOWN_LENGTH = 60


def check(context: FileContext) -> Iterator[Finding]:
    if not has_connect_text(context.source) and not _may_have_misplaced_send(context.calls.calls):
        return  # plenty of code calls .send() on sockets and generators: skip it cheaply
    project = _Project(context)
    decorators = {id(site.report_node): site for site in context.connect_sites if site.decorated is not None}

    def infer(expr: ast.expr) -> Library | None:
        known = project.library_of(expr)
        return known if known is not None else context.astroid.library_of(expr)

    resolver = SignalResolver(context.scopes, infer)

    def bound(site: ConnectSite) -> Bound | None:
        found = bind(site, context.scopes, resolver)
        return Bound(found.library, found.use.sender) if found is not None else None

    def transparent(decorator: ast.expr) -> bool:
        site = decorators.get(id(decorator))
        found = bind(site, context.scopes, resolver) if site is not None else None
        return found is not None and found.use.binds is Binds.RECEIVER

    analysis = ContractAnalysis(
        context.scopes,
        context.tree,
        bound,
        transparent,
        context.connect_sites,
        project.sends,
        context.calls,
        resolver.hint,
    )
    if any(context.enabled(code) for code in _RECEIVER_CODES):
        for site in analysis.receiver_sites():
            findings: list[Finding] = []
            with contained(SITE):
                if not expects_failure(site.report_node, context.scopes):
                    findings = _judge_receiver(site, analysis, context)
            yield from findings
    if context.enabled("SIG304"):
        for send in analysis.malformed_sends():
            finding = None
            with contained(SITE):
                if not expects_failure(send.node, context.scopes):
                    finding = _judge_send(send, resolver.library_of)
            if finding is not None:
                yield finding


class _Project:
    """The project index (:mod:`..analysis.project_index`), asked only when a verdict needs it: the
    sends of a signal in other files, and which library's signal an expression names."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self._index: Any = None

    def _get(self) -> Any:
        if self._index is None:
            from ..analysis import project_index

            self._index = project_index.index_for(self.context)
        return self._index

    def _identity(self, expr: ast.expr) -> Any:
        if self.context.index_facts.extractor.ref_of(expr) is None:
            return None  # nothing the index could resolve (`getattr(module, name)`): do not read it
        return self._get().identity_of(expr, self.context)

    def library_of(self, expr: ast.expr) -> Library | None:
        identity = self._identity(expr)
        return library_named(identity.library) if identity is not None else None

    def sends(self, expr: ast.expr, library: Library | None) -> tuple[SentBy, ...] | None:
        from ..analysis import project_index

        if library is not None and not project_index.collects_sends_of(library):
            return ()  # the index could not have seen them: do not read the project for nothing
        identity = self._identity(expr)
        if identity is None:
            return ()
        return sends_from_index(self._index.sends_for(identity), os.path.abspath(self.context.filename))


def _may_have_misplaced_send(calls: Sequence[ast.Call]) -> bool:
    return any(
        isinstance(node.func, ast.Attribute)
        and node.func.attr in SEND_METHODS
        and (len(node.args) > 1 or (not node.args and any(k.arg == "sender" for k in node.keywords)))
        for node in calls
    )


def _judge_receiver(site: ReceiverSite, analysis: ContractAnalysis, context: FileContext) -> list[Finding]:
    verdict = analysis.judge(site)
    return [] if verdict is None or verdict.library is None else list(_receiver_findings(verdict, context))


def _receiver_findings(verdict: ReceiverVerdict, context: FileContext) -> Iterator[Finding]:
    """At most one finding per code for a connection: the first reason found for it."""
    site = verdict.site
    signal = _shown(site.signal)
    receiver = verdict.shape.label
    assert verdict.library is not None and verdict.library.receiver_call is not None
    call = verdict.library.receiver_call
    reported: set[str] = set()
    for problem in verdict.problems:
        if problem.code in reported or not context.enabled(problem.code):
            continue
        reported.add(problem.code)
        if problem.code == "SIG301":
            message = RULES["SIG301"].format(
                receiver=receiver,
                signal=signal,
                call=_call_text(problem.sent, call),
                reason=problem.reason,
                remedy=call.fix,
            )
        else:
            message = RULES["SIG302"].format(
                receiver=receiver,
                keyword=problem.keyword,
                signal=signal,
                reason=problem.reason,
                source=_source_text(verdict.contract, problem.keyword),
            )
        yield Finding(site.line, site.col, problem.code, message)
    contract = verdict.contract
    if verdict.coroutine_on_plain_send and contract is not None and context.enabled("SIG303"):
        plain = contract.first_plain_send
        where = _where(plain) if plain is not None else "?"
        message = RULES["SIG303"].format(receiver=receiver, signal=signal, where=where)
        yield Finding(site.line, site.col, "SIG303", message)


def _call_text(sent: frozenset[str] | None, call: ReceiverCall) -> str:
    if sent is None:
        return call.shown
    keywords = [*call.keywords, *sorted(k for k in sent if k not in call.keywords)]
    return "receiver(" + ", ".join([*call.positional, *(f"{k}=..." for k in keywords)]) + ")"


def _source_text(contract: SendContract | None, keyword: str) -> str:
    if contract is None:
        return "the signal"
    if contract.sent_by_library:
        return contract.sent_by_library
    sends = contract.sends_passing(keyword)
    if len(sends) == 1:
        return f"{sends[0].method}() at {_where(sends[0])}"
    if all(s.path is None for s in sends):
        return "the sends on lines " + ", ".join(str(s.line) for s in sends)
    return "the sends at " + ", ".join(_where(s) for s in sends)


def _where(send: SentBy) -> str:
    if send.path is None:
        return f"line {send.line}"
    try:
        path = os.path.relpath(send.path)
    except ValueError:  # another drive on Windows
        path = send.path
    return f"{path}:{send.line}"


def _judge_send(send: SendCall, library_of: Callable[[ast.expr, Scope], Library | None]) -> Finding | None:
    library = library_of(send.signal, send.scope)
    form = library.send_form(send.method) if library is not None else None
    if library is None or form is None:
        return None
    if send.positional > 1:
        problem = (
            f"is given {send.positional} positional arguments, but {library.short} takes only the "
            "sender positionally"
        )
    elif send.sender_by_keyword_only and not form.sender_by_keyword:
        problem = (
            f"passes the sender as keyword 'sender', but {library.short} takes it only positionally: "
            "receivers get None as the sender and an extra 'sender' keyword"
        )
    else:
        return None
    message = RULES["SIG304"].format(signal=_shown(send.signal), method=send.method, problem=problem)
    return Finding(send.node.lineno, send.node.col_offset, "SIG304", message)


def _shown(expr: ast.expr) -> str:
    text = ast.unparse(expr)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."
