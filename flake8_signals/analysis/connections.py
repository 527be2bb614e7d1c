"""A connect site bound to the library form it uses: weak or not, what it returns, the sender.

:func:`candidates` lists, without resolving anything, every form of every library a site could
be (by method or function name and by how it is written); the lifetime family uses it to skip
sites no library could hold weakly. :func:`bind` decides which library the site really belongs
to, asking the signal resolver (and so maybe astroid) only then.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import NamedTuple

from ..libraries import CONNECT_FUNCTIONS, DECORATOR_FUNCTIONS, LIBRARIES
from ..libraries.model import Binds, ConnectForm, Library, Parameter, Weakness
from .connect_sites import ConnectSite, Style
from .scopes import ModuleScopes, Scope
from .signals import SignalResolver


class Use(NamedTuple):
    """How one library form treats a site written this way."""

    library: Library
    weakness: Weakness
    binds: Binds  # what the call returns, or what the decorated name is bound to
    sender: Parameter | None
    signal: Parameter | None  # where the signal is an argument, if it is
    form: ConnectForm | None  # None for decorator functions (@receiver)

    def weak(self, site: ConnectSite) -> bool | None:
        return self.weakness.of(None if site.style is Style.BARE_DECORATOR else site.call)


class Connection(NamedTuple):
    """A site and the form it turned out to use."""

    site: ConnectSite
    use: Use
    signal: ast.expr | None  # what messages show as the signal (None: any signal)

    @property
    def library(self) -> Library:
        return self.use.library

    @property
    def weak(self) -> bool | None:
        return self.use.weak(self.site)


def method_use(library: Library, form: ConnectForm, site: ConnectSite) -> Use | None:
    if site.style is Style.CALL and form.receiver is not None:
        return Use(library, form.weakness, form.returns, form.sender, form.signal, form)
    if site.style is Style.BARE_DECORATOR and form.bare_decorator:
        return Use(library, form.weakness, form.returns, None, None, form)
    decorator = form.called_decorator
    if site.style is Style.CALLED_DECORATOR and decorator is not None:
        return Use(library, decorator.weakness, decorator.binds, decorator.sender, decorator.signal, form)
    return None


def _function_uses(site: ConnectSite) -> Iterator[Use]:
    last = site.method
    if site.style is Style.CALL:
        for name, (library, form) in CONNECT_FUNCTIONS.items():
            if name.rsplit(".", 1)[-1] == last:
                yield Use(library, form.weakness, form.returns, form.sender, form.signal, form)
    elif site.style is Style.CALLED_DECORATOR:
        for name, (library, function) in DECORATOR_FUNCTIONS.items():
            if name.rsplit(".", 1)[-1] == last:
                d = function.decorator
                yield Use(library, d.weakness, d.binds, d.sender, d.signal, None)


def candidates(site: ConnectSite) -> Iterator[Use]:
    """Every use the site could be, judged by its spelling alone."""
    yield from _function_uses(site)
    if site.target is not None:
        for library in LIBRARIES:
            for form in library.connect_forms(site.method):
                use = method_use(library, form, site)
                if use is not None:
                    yield use


def bind(site: ConnectSite, scopes: ModuleScopes, resolver: SignalResolver) -> Connection | None:
    """The library form ``site`` uses; None when it is none of them, or it cannot be told."""
    scope = scopes.scope_containing(site.report_node)
    func = site.func
    qualname = scopes.qualified_name(func, scope) if func is not None else None
    if qualname in CONNECT_FUNCTIONS and site.style is Style.CALL:
        library, form = CONNECT_FUNCTIONS[qualname]
        use = Use(library, form.weakness, form.returns, form.sender, form.signal, form)
        return Connection(site, use, _argument(use.signal, site))
    if qualname in DECORATOR_FUNCTIONS and site.style is Style.CALLED_DECORATOR:
        library, function = DECORATOR_FUNCTIONS[qualname]
        d = function.decorator
        use = Use(library, d.weakness, d.binds, d.sender, d.signal, None)
        return Connection(site, use, _argument(use.signal, site))
    if site.target is None:
        return None
    resolved = resolver.library_of(site.target, scope)
    if resolved is not None:
        for form in resolved.connect_forms(site.method):
            found = method_use(resolved, form, site)
            if found is not None:
                shown = _argument(found.signal, site) if found.signal is not None else site.target
                return Connection(site, found, shown)
        return None
    return _bound_by_signal_argument(site, scope, resolver)


def _bound_by_signal_argument(site: ConnectSite, scope: Scope, resolver: SignalResolver) -> Connection | None:
    """``crawler.signals.connect(h, signal=signals.spider_closed)``: the object is not known, but
    the signal passed names the library (only forms that take the signal as an argument)."""
    for library in LIBRARIES:
        for form in library.connect_forms(site.method):
            use = method_use(library, form, site)
            if use is None or use.signal is None:
                continue
            argument = _argument(use.signal, site)
            if argument is not None and resolver.library_of(argument, scope) is library:
                return Connection(site, use, argument)
    return None


def _argument(parameter: Parameter | None, site: ConnectSite) -> ast.expr | None:
    if parameter is None or site.call is None:
        return None
    return parameter.find(site.call)
