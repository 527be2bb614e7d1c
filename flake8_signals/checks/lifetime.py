"""SIG101-SIG106: receivers lost to a weak reference, or connected so that they are never called."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .. import notices, stats
from ..analysis.connect_sites import ConnectSite, Style
from ..analysis.connections import Connection, bind, candidates
from ..analysis.display import short_source
from ..analysis.expectations import expects_failure
from ..analysis.lifetime import LifetimeAnalysis, Loss, is_test_module
from ..analysis.wrapped_calls import WrappedCalls, bind_inner
from ..analysis.wrappers import ConnectWrapper, FreshReturner
from ..boundary import SITE, contained
from ..findings import Finding
from ..libraries import missing_package
from ..libraries.model import Binds, ReceiverKind
from ..rules import RULES

if TYPE_CHECKING:
    from ..context import FileContext

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def check(context: FileContext) -> Iterator[Finding]:
    sites = list(context.connect_sites)
    stats.STATS.connect_sites += len(sites)
    connections: dict[int, Connection | None] = {}

    def connection(site: ConnectSite) -> Connection | None:
        if id(site) not in connections:
            connections[id(site)] = bind(site, context.scopes, context.signals)
        return connections[id(site)]

    def weak_connection(other: ConnectSite) -> bool:
        found = connection(other)
        return found is not None and found.weak is True

    analysis = LifetimeAnalysis(
        context.scopes, sites, weak_connection, test_module=is_test_module(context.filename)
    )
    for site in sites:
        finding = None
        with contained(SITE):
            if not expects_failure(site.report_node, context.scopes):
                finding = _judge(site, analysis, connection, context)
        if finding is not None:
            yield finding
    yield from _through_wrappers(context, analysis)


def _through_wrappers(context: FileContext, analysis: LifetimeAnalysis) -> Iterator[Finding]:
    """Calls of the project's connect wrappers and fresh returners (:mod:`..analysis.wrappers`)."""
    wrapped = WrappedCalls(
        context.tree,
        context.scopes,
        context.module_name,
        context.source_roots,
        context.connect_sites,
        context.calls.calls,
    )
    for call, summary in wrapped.calls(context.source):
        finding = None
        with contained(SITE):
            if not expects_failure(call, context.scopes):
                finding = _judge_wrapped(call, summary, analysis, context)
        if finding is not None:
            yield finding


def _judge_wrapped(
    call: ast.Call, summary: ConnectWrapper | FreshReturner, analysis: LifetimeAnalysis, context: FileContext
) -> Finding | None:
    inner = bind_inner(summary, call, context.scopes, context.signals)
    if inner is None:
        return None
    library, weak, signal = inner
    if weak is not True:
        return None
    if isinstance(summary, FreshReturner):
        if not isinstance(context.scopes.parent(call), ast.Expr) or summary.kind not in library.weakly_held:
            return None  # the caller keeps what it returns, or the library holds it strongly
        if not context.enabled("SIG103"):
            return None
        made = "local function" if summary.kind is ReceiverKind.FUNCTION else "lambda"
        message = RULES["SIG103"].format(
            receiver=f"closure returned by '{summary.function}()'",
            path=f" ({made} '{summary.receiver}', connected there)",
            signal=_shown_expr(signal),
            when=f"as soon as '{summary.function}()' returns",
            function="",
            weakly=library.weak_phrase,
            strong_fix=library.strong_fix,
        )
        return Finding(call.lineno, call.col_offset, "SIG103", message)
    receiver = summary.receiver.find(call)
    if receiver is None or isinstance(receiver, ast.Starred):
        return None
    site = ConnectSite(call, Style.CALL, summary.function, None, call, receiver, None)
    loss = analysis.loss(site)
    if loss is None or not context.enabled(loss.code) or loss.receiver is None:
        return None
    if not loss.kinds & library.weakly_held:
        return None
    message = RULES[loss.code].format(
        receiver=loss.receiver,
        signal=_shown_expr(signal),
        when=loss.when,
        function=loss.function,
        weakly=library.weak_phrase,
        strong_fix=library.strong_fix,
        path=f"{loss.path} (through '{summary.function}()')",
    )
    return Finding(call.lineno, call.col_offset, loss.code, message)


def _shown_expr(expr: ast.expr | None) -> str:
    return short_source(expr) if expr is not None else "any signal"


def _judge(
    site: ConnectSite,
    analysis: LifetimeAnalysis,
    connection: Callable[[ConnectSite], Connection | None],
    context: FileContext,
) -> Finding | None:
    if site.style is Style.BARE_DECORATOR and context.enabled("SIG105") and _may_bind_none(site, context):
        finding = _bound_to_none(site, connection(site))
        if finding is not None:
            return finding
    if site.style is Style.CALL and context.enabled("SIG106") and _bool_after_receiver(site):
        finding = _weak_flag_as_sender(site, connection(site))
        if finding is not None:
            return finding
    loss = analysis.loss(site)
    if loss is None or not context.enabled(loss.code) or not _may_be_lost(site, loss):
        return None
    stats.STATS.suspect_sites += 1
    found = connection(site)
    if found is None:
        _note_unknown_package(site, context)
        return None
    if found.weak is not True:
        return None
    if loss.result_kept and found.use.binds is Binds.RECEIVER:
        return None  # `self._keep = sig.connect(fn)`: connect() returned the receiver
    receiver, kinds = loss.receiver, loss.kinds
    if receiver is None and loss.resolve is not None:
        resolved = loss.resolve(context.astroid)
        if resolved is None:
            return None
        receiver, kinds = resolved.label, frozenset({resolved.kind})
    if receiver is None or not kinds & found.library.weakly_held:
        return None
    message = RULES[loss.code].format(
        receiver=receiver,
        signal=_shown(found),
        when=loss.when,
        function=loss.function,
        path=loss.path,
        weakly=found.library.weak_phrase,
        strong_fix=found.library.strong_fix,
    )
    return Finding(site.line, site.col, loss.code, message)


def _note_unknown_package(site: ConnectSite, context: FileContext) -> None:
    """A lost receiver was left unjudged because its signal comes from a package that is neither
    installed nor known: tell the user once per run (not as a finding)."""
    if site.target is None:
        return
    qualname = context.scopes.qualified_name(site.target, context.scopes.scope_containing(site.report_node))
    package = qualname.split(".")[0] if qualname else None
    if package and missing_package(package, context.source_roots):
        notices.missing_package(package)


def _may_be_lost(site: ConnectSite, loss: Loss) -> bool:
    """Some library could hold this receiver weakly, written this way (nothing resolved yet)."""
    for use in candidates(site):
        if use.weak(site) is not True or not loss.kinds & use.library.weakly_held:
            continue
        if loss.result_kept and use.binds is Binds.RECEIVER:
            continue
        return True
    return False


def _shown(found: Connection) -> str:
    return short_source(found.signal) if found.signal is not None else "any signal"


def _may_bind_none(site: ConnectSite, context: FileContext) -> bool:
    """Some library whose bare connect decorator binds None could be this one: not when the
    signal plainly comes from a library whose decorator returns the function (celery's
    ``@app.on_after_configure.connect``), which saves asking astroid."""
    uses = [use for use in candidates(site) if use.binds is Binds.NOTHING]
    if not uses or site.target is None:
        return False
    hint = context.signals.hint(site.target, context.scopes.scope_containing(site.report_node))
    return hint is None or any(use.library is hint for use in uses)


def _bound_to_none(site: ConnectSite, found: Connection | None) -> Finding | None:
    """SIG105: ``@sig.connect`` where connect() returns None (and connects weakly)."""
    if found is None or found.use.binds is not Binds.NOTHING or found.weak is not True:
        return None
    form = found.use.form
    assert site.decorated is not None and site.target is not None
    signal = short_source(site.target)
    remedy = (
        form.bare_decorator_fix.format(signal=signal)
        if form and form.bare_decorator_fix
        else (f"connect it with {signal}.connect({site.decorated.name}) after its definition")
    )
    message = RULES["SIG105"].format(
        receiver=site.decorated.name, decorator=f"{signal}.{site.method}", remedy=remedy
    )
    return Finding(site.line, site.col, "SIG105", message)


def _bool_after_receiver(site: ConnectSite) -> bool:
    call = site.call
    return call is not None and any(
        isinstance(a, ast.Constant) and isinstance(a.value, bool) for a in call.args[1:]
    )


def _weak_flag_as_sender(site: ConnectSite, found: Connection | None) -> Finding | None:
    """SIG106: ``True``/``False`` given positionally where the form takes the sender."""
    if found is None or site.call is None:
        return None
    sender = found.use.sender
    if sender is None or sender.position is None or found.use.weakness.parameter is None:
        return None
    args = site.call.args
    if len(args) <= sender.position or any(isinstance(a, ast.Starred) for a in args[: sender.position + 1]):
        return None
    value = args[sender.position]
    if not (isinstance(value, ast.Constant) and isinstance(value.value, bool)):
        return None
    func = site.call.func
    message = RULES["SIG106"].format(
        value=repr(value.value),
        ordinal=_ORDINALS[sender.position] if sender.position < len(_ORDINALS) else f"#{sender.position + 1}",
        call=short_source(func),
        receiver=f"'{short_source(site.receiver)}'" if site.receiver is not None else "the receiver",
    )
    return Finding(site.line, site.col, "SIG106", message)
