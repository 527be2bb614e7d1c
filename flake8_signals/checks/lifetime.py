"""SIG101-SIG104: receivers lost to a weak reference."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import stats
from ..analysis.connect_sites import ConnectSite
from ..analysis.display import short_source
from ..analysis.lifetime import LifetimeAnalysis, is_test_module
from ..analysis.signals import SignalResolver
from ..boundary import SITE, contained
from ..findings import Finding
from ..rules import RULES

if TYPE_CHECKING:
    from ..checker import FileContext

CODES = frozenset({"SIG101", "SIG102", "SIG103", "SIG104"})


# `.connect(` / `.connect_via(` / `@sig.connect`, not `connection` or `disconnect`
_CANDIDATE = re.compile(r"\.connect(?:_via)?\b")


def wants(source: str) -> bool:
    return _CANDIDATE.search(source) is not None


def check(context: FileContext) -> Iterator[Finding]:
    sites = list(context.connect_sites)
    stats.STATS.connect_sites += len(sites)
    if not sites:
        return
    signals = SignalResolver(context.scopes, context.astroid)

    def weak_signal_site(other: ConnectSite) -> bool:
        scope = context.scopes.scope_containing(other.report_node)
        return signals.is_signal(other.signal, scope)

    analysis = LifetimeAnalysis(
        context.scopes, sites, weak_signal_site, test_module=is_test_module(context.filename)
    )
    for site in sites:
        finding = None
        with contained(SITE):
            finding = _judge(site, analysis, signals, context)
        if finding is not None:
            yield finding


def _judge(
    site: ConnectSite, analysis: LifetimeAnalysis, signals: SignalResolver, context: FileContext
) -> Finding | None:
    loss = analysis.loss(site)
    if loss is None or not context.enabled(loss.code):
        return None
    stats.STATS.suspect_sites += 1
    scope = context.scopes.scope_containing(site.report_node)
    if not signals.is_signal(site.signal, scope):
        return None
    receiver = loss.receiver
    if receiver is None and loss.resolve is not None:
        receiver = loss.resolve(context.astroid)
    if receiver is None:
        return None
    message = RULES[loss.code].format(
        receiver=receiver, signal=short_source(site.signal), when=loss.when, function=loss.function
    )
    return Finding(site.line, site.col, loss.code, message)
