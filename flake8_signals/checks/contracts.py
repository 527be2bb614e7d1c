"""SIG301-SIG304: receivers and sends that do not fit blinker's ``receiver(sender, **kwargs)`` call."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..analysis.contracts import (
    SEND_METHODS,
    ContractAnalysis,
    ReceiverSite,
    ReceiverVerdict,
    SendCall,
    SendContract,
    SentBy,
    sends_from_index,
)
from ..analysis.scopes import Scope
from ..analysis.signals import SignalResolver
from ..boundary import SITE, contained
from ..findings import Finding
from ..rules import RULES

if TYPE_CHECKING:
    from ..checker import FileContext

CODES = frozenset({"SIG301", "SIG302", "SIG303", "SIG304"})
_RECEIVER_CODES = frozenset({"SIG301", "SIG302", "SIG303"})
_SHOWN_LENGTH = 60


# `.connect(`, `@sig.connect`, `.connect_via(`, `.connected_to(` but not `.connection`, `.connect_db(`.
_CONNECTS = re.compile(r"\.(?:connect|connect_via|connected_to)\b")
_SENDS = re.compile(r"\.send(?:_async)?\b")


def wants(source: str) -> bool:
    return _CONNECTS.search(source) is not None or _SENDS.search(source) is not None


def check(context: FileContext) -> Iterator[Finding]:
    if _CONNECTS.search(context.source) is None and not _may_have_misplaced_send(context.tree):
        return  # plenty of code calls .send() on sockets and generators: skip it cheaply
    project = _Project(context)
    signals = SignalResolver(context.scopes, context.astroid)

    def is_signal(expr: ast.expr, scope: Scope) -> bool:
        cheap = signals.cheap_verdict(expr, scope)
        if cheap is not None:
            return cheap
        if project.knows_signal(expr):
            return True
        return bool(context.astroid.is_signal(expr))

    analysis = ContractAnalysis(context.scopes, context.tree, is_signal, project.sends, context.connect_sites)
    if any(context.enabled(code) for code in _RECEIVER_CODES):
        for site in analysis.receiver_sites():
            findings: list[Finding] = []
            with contained(SITE):
                findings = _judge_receiver(site, analysis, context)
            yield from findings
    if context.enabled("SIG304"):
        for send in analysis.malformed_sends():
            finding = None
            with contained(SITE):
                finding = _judge_send(send, is_signal)
            if finding is not None:
                yield finding


class _Project:
    """The project index (:mod:`..analysis.project_index`), asked only when a verdict needs it: the
    sends of a signal in other files, and whether an expression names a blinker signal."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self._index: Any = None

    def _get(self) -> Any:
        if self._index is None:
            from ..analysis import project_index

            self._index = project_index.index_for(self.context)
        return self._index

    def _identity(self, expr: ast.expr) -> Any:
        index = self._get()
        return None if index is None else index.identity_of(expr, self.context)

    def knows_signal(self, expr: ast.expr) -> bool:
        return self._identity(expr) is not None

    def sends(self, expr: ast.expr) -> tuple[SentBy, ...] | None:
        identity = self._identity(expr)
        if identity is None:
            return ()
        return sends_from_index(self._index.sends_for(identity), os.path.abspath(self.context.filename))


def _may_have_misplaced_send(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SEND_METHODS
        and (len(node.args) > 1 or (not node.args and any(k.arg == "sender" for k in node.keywords)))
        for node in ast.walk(tree)
    )


def _judge_receiver(site: ReceiverSite, analysis: ContractAnalysis, context: FileContext) -> list[Finding]:
    verdict = analysis.judge(site)
    return [] if verdict is None else list(_receiver_findings(verdict, context))


def _receiver_findings(verdict: ReceiverVerdict, context: FileContext) -> Iterator[Finding]:
    """At most one finding per code for a connection: the first reason found for it."""
    site = verdict.site
    signal = _shown(site.signal)
    receiver = verdict.shape.label
    reported: set[str] = set()
    for problem in verdict.problems:
        if problem.code in reported or not context.enabled(problem.code):
            continue
        reported.add(problem.code)
        if problem.code == "SIG301":
            message = RULES["SIG301"].format(
                receiver=receiver, signal=signal, call=_call_text(problem.sent), reason=problem.reason
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


def _call_text(sent: frozenset[str] | None) -> str:
    if sent is None:
        return "receiver(sender, **kwargs)"
    return "receiver(" + ", ".join(["sender", *(f"{k}=..." for k in sorted(sent))]) + ")"


def _source_text(contract: SendContract | None, keyword: str) -> str:
    if contract is None:
        return "the signal"
    if contract.origin == "flask":
        return "Flask"
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


def _judge_send(send: SendCall, is_signal: Callable[[ast.expr, Scope], bool]) -> Finding | None:
    if not is_signal(send.signal, send.scope):
        return None
    if send.positional > 1:
        problem = (
            f"is given {send.positional} positional arguments, but blinker takes only the sender positionally"
        )
    else:
        problem = (
            "passes the sender as keyword 'sender', but blinker takes it only positionally: "
            "receivers get None as the sender and an extra 'sender' keyword"
        )
    message = RULES["SIG304"].format(signal=_shown(send.signal), method=send.method, problem=problem)
    return Finding(send.node.lineno, send.node.col_offset, "SIG304", message)


def _shown(expr: ast.expr) -> str:
    text = ast.unparse(expr)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."
