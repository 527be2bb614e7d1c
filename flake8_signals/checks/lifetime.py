"""SIG101-SIG104: receivers lost to a weak reference."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .. import stats
from ..analysis.connect_sites import ConnectSite
from ..analysis.connections import Connection, bind, candidates
from ..analysis.display import short_source
from ..analysis.lifetime import LifetimeAnalysis, Loss, is_test_module
from ..boundary import SITE, contained
from ..findings import Finding
from ..libraries import CONNECT_TEXT
from ..libraries.model import Binds
from ..rules import RULES

if TYPE_CHECKING:
    from ..context import FileContext

CODES = frozenset({"SIG101", "SIG102", "SIG103", "SIG104"})


def wants(source: str) -> bool:
    return CONNECT_TEXT.search(source) is not None


def check(context: FileContext) -> Iterator[Finding]:
    sites = list(context.connect_sites)
    stats.STATS.connect_sites += len(sites)
    if not sites:
        return
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
            finding = _judge(site, analysis, connection, context)
        if finding is not None:
            yield finding


def _judge(
    site: ConnectSite,
    analysis: LifetimeAnalysis,
    connection: Callable[[ConnectSite], Connection | None],
    context: FileContext,
) -> Finding | None:
    loss = analysis.loss(site)
    if loss is None or not context.enabled(loss.code) or not _may_be_lost(site, loss):
        return None
    stats.STATS.suspect_sites += 1
    found = connection(site)
    if found is None or found.weak is not True:
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
        weakly=found.library.weak_phrase,
        strong_fix=found.library.strong_fix,
    )
    return Finding(site.line, site.col, loss.code, message)


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
